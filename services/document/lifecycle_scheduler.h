#pragma once
// The lifecycle scheduler (hiệu lực): a background loop that announces the documents taking effect
// (DocumentBecameEffective) and expiring (DocumentExpired) when their day comes in Asia/Ho_Chi_Minh, and catches
// up after downtime. Every replica may run it: the claims in LifecycleStore make each announcement once. On its
// first pass it records the feature's first start day (store/lifecycle.h); the clock is injected for tests.
// With PurgeAudit, each pass also deletes a batch of audit rows older than the retention (the trail's only deletion).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "platform/metrics.h"
#include "store/audit.h"
#include "store/lifecycle.h"

namespace cchc::document {

using Clock = std::function<std::chrono::system_clock::time_point()>;

class LifecycleScheduler {
 public:
  LifecycleScheduler(
      LifecycleStore& store, std::chrono::milliseconds interval, metrics::Registry& registry,
      Clock clock = [] { return std::chrono::system_clock::now(); });
  ~LifecycleScheduler();
  // A chore each pass runs after the announcements, with the pass's "now" (the outgoing register's reservations
  // expire here); returns what it changed, for the log. Before Start.
  using Chore = std::function<int(std::chrono::system_clock::time_point now)>;
  void AlsoEachPass(std::string name, Chore chore) { chores_.emplace_back(std::move(name), std::move(chore)); }
  // Before Start: every pass deletes at most `batch` audit rows older than `retention` (by the clock).
  void PurgeAudit(AuditStore* audit, std::chrono::hours retention, int batch = 1000);
  void Start();
  void Stop();

 private:
  void Loop();
  // One pass: the start recorded (once), then what is due today announced. Returns the events written.
  int Pass();

  LifecycleStore& store_;
  std::chrono::milliseconds interval_;
  Clock clock_;
  metrics::Counter& announced_;
  metrics::Counter& errors_;
  bool started_ = false;  // the first start day is recorded
  std::vector<std::pair<std::string, Chore>> chores_;
  AuditStore* audit_ = nullptr;
  std::chrono::hours audit_retention_{0};
  int audit_batch_ = 0;
  metrics::Counter* audit_purged_ = nullptr;
  metrics::Registry& registry_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cchc::document
