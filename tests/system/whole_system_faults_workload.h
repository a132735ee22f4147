#pragma once
// The fault suite's workload: writers that keep writing to every service through the faults, retrying each
// write until it is acknowledged (or the test stops them), and a watcher that keeps the subscriber's inbox open
// on a Watch stream. What was acknowledged and what the stream received is what the checks compare.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "system/system_stack.h"

namespace cchc::testing {

// The writes the writers saw acknowledged (a write whose answer was lost is not among them).
struct Acknowledged {
  std::mutex mu;
  std::set<std::string> documents;            // documents/{id}, published
  std::map<std::string, std::string> edited;  // documents/{id} → the subject an acknowledged update stored
  std::set<std::string> articles;             // articles/{id}, published
  std::set<std::string> units;                // unit codes
  std::atomic<int64_t> views{0}, uncertain_views{0};
};

// Each runs until `stop`: documents created (request_id), published, every other one then edited; articles
// created (request_id) and published; views recorded on `article`; scoring units created.
void WriteDocuments(SystemStack& s, const std::atomic<bool>& stop, Acknowledged& acked);
void WriteArticles(SystemStack& s, const std::atomic<bool>& stop, Acknowledged& acked);
void RecordViews(SystemStack& s, const std::atomic<bool>& stop, const std::string& article, Acknowledged& acked);
void WriteUnits(SystemStack& s, const std::atomic<bool>& stop, Acknowledged& acked);

// The subscriber's inbox on a Watch stream, resumed from its last cursor whenever it ends (a restart of the
// notification service ends it). Stopped (cancelled and joined) by Stop or at destruction.
class InboxWatcher {
 public:
  InboxWatcher() = default;
  InboxWatcher(const InboxWatcher&) = delete;
  InboxWatcher& operator=(const InboxWatcher&) = delete;
  ~InboxWatcher() { Stop(); }

  void Start(SystemStack& s, const std::string& subscriber, const std::string& token);
  void Stop();
  size_t DistinctCursors();  // how many different cursors arrived so far
  // The cursors in the order they arrived; read after Stop.
  const std::vector<int64_t>& Cursors() const { return watched_; }

 private:
  void Run(SystemStack& s, const std::string& subscriber, const std::string& token);

  std::mutex mu_;
  std::vector<int64_t> watched_;
  grpc::ClientContext* context_ = nullptr;  // the open stream's
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cchc::testing
