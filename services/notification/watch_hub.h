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
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"

namespace cchc::notification {

// What a bump by this process's consumer brings along: the subscriber's new notifications as committed, in
// cursor order, and the subscriber's last cursor before them (InsertedNotifications). A stream that has
// written up to that head can write these rows as they are: no query needed to know it missed nothing.
struct NewRows {
  int64_t head_before = 0;
  std::vector<v1::Notification> rows;
};

class WatchHub {
 public:
  // A waiter's call: the generation of the bump that woke it and the rows it brought (null when it brought
  // none: a bump for another replica's rows, BumpAll or Stop).
  using Wake = std::function<void(uint64_t generation, const std::shared_ptr<const NewRows>& rows)>;

  WatchHub() = default;
  ~WatchHub() { Stop(); }

  void Stop();  // calls every waiter and refuses new ones

  uint64_t Generation(const std::string& subscriber_id);
  bool Stopped() const { return stop_; }

  // `subscriber_id` got notifications in a transaction that has committed. Bumps the generation and calls the waiters
  // of `subscriber_id`, with `rows` when the caller has them.
  void Bump(const std::string& subscriber_id, const std::shared_ptr<const NewRows>& rows = nullptr);
  // Bumps every subscriber a stream has asked about (Generation keeps what it reads), and calls every waiter.
  void BumpAll();

  // Calls `wake` once — on the thread of the next Bump(subscriber_id) or of Stop(), outside the hub's lock —
  // unless removed first. Returns its id; 0 without registering when the generation already differs from
  // `seen` or the hub is stopped (the caller should query again instead of waiting).
  uint64_t AddWaiter(const std::string& subscriber_id, uint64_t seen, Wake wake);
  // Forgets a waiter that has not been called (nothing happens if it has).
  void RemoveWaiter(const std::string& subscriber_id, uint64_t waiter);
  size_t WaiterCount();

 private:
  std::mutex mu_;
  std::map<std::string, uint64_t> generations_;
  std::map<std::string, std::map<uint64_t, Wake>> waiters_;
  uint64_t last_waiter_ = 0;
  std::atomic<bool> stop_{false};
};

}  // namespace cchc::notification
