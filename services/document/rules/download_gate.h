#pragma once
// Bounds on attachment downloads in one process: at most `concurrency` at once (a further one is refused, the
// caller answers RESOURCE_EXHAUSTED), each cancelled when its client has taken nothing for `idle` or when it
// has run for `overall`. A watchdog thread checks the deadlines every `check_interval` and calls the download's
// cancel function (for gRPC, ServerContext::TryCancel, which unblocks a Write waiting on a client that stopped
// reading). Thread-safe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "platform/metrics.h"

namespace cchc::document {

struct DownloadLimits {
  int concurrency = 16;
  std::chrono::milliseconds idle{std::chrono::seconds(30)};
  std::chrono::milliseconds overall{std::chrono::minutes(10)};
  std::chrono::milliseconds check_interval{200};
};

class DownloadGate {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Overdue { kNo, kIdle, kOverall };

  // A running download. Destroying it frees its place.
  class Ticket {
   public:
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    // The client took a chunk: its idle deadline starts again from `now`.
    void Progress(Clock::time_point now = Clock::now());
    // Why the gate cancelled it, or kNo.
    Overdue Cancelled() const { return cancelled_.load(); }
    // Whether its overall deadline has passed (checked between chunks, before the watchdog sees it).
    bool PastOverall(Clock::time_point now = Clock::now()) const;

   private:
    friend class DownloadGate;
    Ticket(DownloadGate& gate, std::function<void()> cancel, Clock::time_point now);
    DownloadGate& gate_;
    std::function<void()> cancel_;
    Clock::time_point started_;
    std::atomic<Clock::rep> last_progress_;
    std::atomic<Overdue> cancelled_{Overdue::kNo};
    std::list<Ticket*>::iterator position_;
  };

  // Starts the watchdog. `registry` (optional) gets cchc_downloads_in_progress, cchc_downloads_refused_total and
  // cchc_downloads_cancelled_total{reason}.
  explicit DownloadGate(DownloadLimits limits, metrics::Registry* registry = nullptr);
  ~DownloadGate();  // stops the watchdog; every Ticket must be gone

  // A place for one download, or nullptr when `concurrency` are running. `cancel` is called (once, from the
  // watchdog thread) when the download passes a deadline.
  std::unique_ptr<Ticket> TryEnter(std::function<void()> cancel);
  // Cancels the downloads past a deadline at `now`; returns how many. The watchdog calls it; tests may too.
  int CancelOverdue(Clock::time_point now);
  const DownloadLimits& Limits() const { return limits_; }
  int Running() const;

 private:
  void Leave(Ticket* ticket);
  void Watch();

  const DownloadLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::list<Ticket*> running_;
  bool stopping_ = false;
  metrics::Gauge* in_progress_ = nullptr;
  metrics::Counter* refused_ = nullptr;
  metrics::Counter* cancelled_idle_ = nullptr;
  metrics::Counter* cancelled_overall_ = nullptr;
  std::thread watchdog_;
};

}  // namespace cchc::document
