#pragma once
// View counting (lượt xem) at burst rates without a hot row and without losing an acknowledged view.
// RecordAsync() queues the view; a flusher commits everything queued so far in a single statement (group
// commit: one commit per batch, not per view) that adds each article's views to one of kViewShards counter
// rows (ViewStore, store/views.h), chosen at random per batch so replicas rarely meet on a row. A view is
// acknowledged only after that commit, so an acknowledged view survives a crash; reads add the shards up.
// `flushers` flushers take turns: while one batch waits for its commit (the WAL flush), the next flusher
// already takes the views queued behind it, so a view waits for about one commit rather than the rest of the
// one in progress and then its own. Each flusher writes only its own shards (shard % flushers == its
// index), so two batches of one process never wait for each other's row lock. A committed batch's calls are
// answered by `acknowledgers` other threads: answering 64 calls (a gRPC write each) takes about as long as a
// commit, and the flusher meanwhile commits the next batch.
// Bounded: at most `queue_max` views wait (a view past them is refused at once, never queued; each flusher
// holds at most one batch more, out of the queue) and a commit takes at most `batch_max` of them, so one statement's
// time and the memory held stay bounded under any burst.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/metrics.h"
#include "store/views.h"

namespace cchc::news {

struct ViewLimits {
  int queue_max = 4096;   // views waiting for a commit: 64x the benchmark's 64 in flight, ~1 MB
  int batch_max = 1024;   // views per commit: one statement stays short while the queue drains behind it
  int flushers = 2;       // commits in progress at once (1 ≤ flushers ≤ kViewShards); each holds a connection
  int acknowledgers = 2;  // threads answering committed views (≥ 1)
};

class ViewCounter {
 public:
  // Starts the flushers. `registry` (optional) receives cchc_news_views_recorded_total and the batch sizes.
  explicit ViewCounter(ViewStore& store, metrics::Registry* registry = nullptr, ViewLimits limits = {});
  ~ViewCounter();  // commits what is queued, then stops
  ViewCounter(const ViewCounter&) = delete;
  ViewCounter& operator=(const ViewCounter&) = delete;

  // Called once the view's batch is committed (counted: the article is published) or failed (`error` set,
  // nothing counted). Runs on an acknowledger thread: keep it short and non-blocking.
  using Done = std::function<void(bool counted, std::exception_ptr error)>;

  // Queues one view of `article_id`; `done` reports the outcome. For callback (asynchronous) handlers, so no
  // thread waits for the commit. Returns false, without queuing or calling `done`, when `queue_max` views wait.
  bool RecordAsync(const std::string& article_id, Done done);
  const ViewLimits& limits() const { return limits_; }

 private:
  struct Pending {
    std::string article_id;
    Done done;
  };
  // A batch once committed (or failed), waiting for its calls to be answered.
  struct Outcome {
    std::vector<Pending> batch;
    std::set<std::string> counted;
    std::exception_ptr error;
  };
  void FlushLoop(int index);
  void Commit(std::vector<Pending>& batch, int index);
  void AcknowledgeLoop();

  ViewStore& store_;
  const ViewLimits limits_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> queue_;
  bool stop_ = false;
  metrics::Counter* recorded_ = nullptr;
  metrics::Histogram* batch_sizes_ = nullptr;
  std::mutex ack_mu_;
  std::condition_variable ack_cv_;
  std::deque<Outcome> outcomes_;
  bool ack_stop_ = false;
  std::vector<std::thread> ackers_;    // started before the flushers, stopped after them
  std::vector<std::thread> flushers_;  // last: they start after everything above exists
};

}  // namespace cchc::news
