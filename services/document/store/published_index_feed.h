#pragma once
// Keeps a PublishedIndex (published_index.h) equal to the published rows of document_search, in every replica.
//
// Load reads the published rows in batches. After that the index follows document_search_log (migration 015: a row
// per insert, update or delete of a published document's search row, written by trigger in the writing
// transaction): each poll reads the log past a floor, fetches the current rows of the ids it has not applied yet
// and puts or removes them. Change numbers are taken before commit, so a row with a lower number can become visible
// after one with a higher; the floor therefore only passes a poll's highest number once every transaction running
// at that poll's snapshot has ended (the snapshot's xmax at or below a later snapshot's xmin), and the rows above it
// are read again until then (what was applied is remembered, not fetched twice). A truncate logs the nil uuid: the
// index is loaded again.
//
// A search asks through Newest, which first waits for a poll that began after it was called (one poll at a time;
// searches that arrive meanwhile share the next): what any replica committed before the search is in its
// candidates, as with the SQL. A background thread loads, polls once a second when no search does, compacts the
// index, and deletes log rows older than an hour; a replica that could not poll for half an hour loads anew.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/db.h"
#include "platform/metrics.h"
#include "store/published_index.h"

namespace cchc::document {

class PublishedIndexFeed {
 public:
  // `poll_rows`: the log rows a poll reads per statement (tests lower it to page).
  explicit PublishedIndexFeed(db::Pool& pool, metrics::Registry* registry = nullptr, int poll_rows = 10000);
  ~PublishedIndexFeed();
  PublishedIndexFeed(const PublishedIndexFeed&) = delete;
  PublishedIndexFeed& operator=(const PublishedIndexFeed&) = delete;

  // The background thread: Load, then every `interval` a poll (unless searches polled), Compact and the log's
  // pruning. Stop (or the destructor) ends it.
  void Start(std::chrono::milliseconds interval = std::chrono::seconds(1));
  void Stop();

  // Reads every published document into the index; Ready after. Tests call it instead of Start.
  void Load();
  bool Ready() const;
  // The ids of the newest `max` published documents matching q, as of a poll begun after this call; nullopt
  // before the index is loaded.
  std::optional<std::vector<std::string>> Newest(const IndexQuery& q, size_t max);
  // A poll begun after this call, done (Newest's first step).
  void CatchUp();

  const PublishedIndex& index() const { return index_; }
  // How many times the index was loaded (the first time, after a truncate, after half an hour without a poll).
  int Loads() const;
  // The poll's statement, prepared on the pool's connections (SearchIndexStatements).
  static const db::Statement& PollStatement();

 private:
  void LoadLocked();  // under write_mutex_
  void Poll();        // under write_mutex_
  void ReportSize();  // the gauges
  void Loop(std::chrono::milliseconds interval);

  db::Pool& pool_;
  int poll_rows_;
  PublishedIndex index_;
  metrics::Gauge* documents_ = nullptr;
  metrics::Gauge* postings_ = nullptr;

  std::mutex write_mutex_;  // Load, Poll, Compact: one at a time
  bool ready_ = false;      // guarded by poll_mutex_ (written under both)
  int loads_ = 0;           // guarded by poll_mutex_
  int64_t floor_ = 0;       // every committed log row at or below it is applied
  struct Seen {
    int64_t highest;  // the highest change the poll read
    uint64_t xmax;    // its snapshot's xmax
  };
  std::deque<Seen> pending_;   // polls whose highest may become the floor
  std::set<int64_t> applied_;  // changes above the floor already applied
  std::chrono::steady_clock::time_point polled_at_;

  mutable std::mutex poll_mutex_;
  std::condition_variable polled_;
  uint64_t polls_started_ = 0, polls_done_ = 0;
  bool polling_ = false;

  std::atomic<bool> stopping_{false};  // read between the load's batches
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cchc::document
