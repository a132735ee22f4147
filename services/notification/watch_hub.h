#pragma once
// Wakes Watch streams when their inbox may have grown. The consumer bumps the subscribers it notified right
// after its transaction commits; the InboxListener bumps those another replica notified (inbox_notice.h). A
// stream reads the generation, queries the rows after its cursor, and when there are none registers a waiter
// against the generation it read (refused if it moved meanwhile, so no wake-up falls between the query and
// the registration) — or its idle timer fires first, a safety net for a notice lost while a listener
// reconnected. Correctness (no gap, no repeat) rests on the cursor query alone; the hub only decides how
// soon it runs.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cchc::notification {

class WatchHub {
 public:
  WatchHub() = default;
  ~WatchHub() { Stop(); }

  void Stop();  // calls every waiter and refuses new ones

  uint64_t Generation(const std::string& subscriber_id);
  bool Stopped() const { return stop_; }

  // `subscriber_id` got notifications in a transaction that has committed. Bumps the generation and calls the waiters
  // of `subscriber_id`.
  void Bump(const std::string& subscriber_id);
  // Bumps every subscriber a stream has asked about (Generation keeps what it reads), and calls every waiter.
  void BumpAll();

  // Calls `wake` once — on the thread of the next Bump(subscriber_id) or of Stop(), outside the hub's lock —
  // unless removed first. Returns its id; 0 without registering when the generation already differs from
  // `seen` or the hub is stopped (the caller should query again instead of waiting).
  uint64_t AddWaiter(const std::string& subscriber_id, uint64_t seen, std::function<void()> wake);
  // Forgets a waiter that has not been called (nothing happens if it has).
  void RemoveWaiter(const std::string& subscriber_id, uint64_t waiter);
  size_t WaiterCount();

 private:
  std::mutex mu_;
  std::map<std::string, uint64_t> generations_;
  std::map<std::string, std::map<uint64_t, std::function<void()>>> waiters_;
  uint64_t last_waiter_ = 0;
  std::atomic<bool> stop_{false};
};

}  // namespace cchc::notification
