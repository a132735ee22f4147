#include "call_watchdog.h"

#include <sys/socket.h>

#include <algorithm>

#include "log.h"
#include "thread_name.h"

namespace cchc::db {

CallWatchdog::CallWatchdog(std::chrono::milliseconds timeout) : timeout_(timeout) {
  thread_ = std::thread([this] {
    NameThisThread("db-watchdog");
    Loop();
  });
}

CallWatchdog::~CallWatchdog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void CallWatchdog::Loop() {
  const auto period = std::clamp(timeout_ / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, period);
    auto now = std::chrono::steady_clock::now();
    for (auto& [id, entry] : watched_) {
      if (entry.cut || now < entry.deadline) continue;
      // Under mu_: the guard, and so the connection and its socket, outlive this call.
      ::shutdown(entry.fd, SHUT_RDWR);
      entry.cut = true;
      log::Warn("database call cut: no answer within the time-out (--database-call-timeout-ms)",
                {{"timeout_ms", std::to_string(timeout_.count())}});
    }
  }
}

CallWatchdog::Guard::Guard(CallWatchdog* watchdog, int fd) : watchdog_(watchdog) {
  std::lock_guard lock(watchdog_->mu_);
  id_ = watchdog_->next_id_++;
  watchdog_->watched_[id_] = {fd, std::chrono::steady_clock::now() + watchdog_->timeout_};
}

CallWatchdog::Guard::Guard(Guard&& other) noexcept : watchdog_(other.watchdog_), id_(other.id_) {
  other.watchdog_ = nullptr;
}

CallWatchdog::Guard::~Guard() {
  if (!watchdog_) return;
  std::lock_guard lock(watchdog_->mu_);
  watchdog_->watched_.erase(id_);
}

bool CallWatchdog::Guard::Cut() const {
  if (!watchdog_) return false;
  std::lock_guard lock(watchdog_->mu_);
  auto it = watchdog_->watched_.find(id_);
  return it != watchdog_->watched_.end() && it->second.cut;
}

}  // namespace cchc::db
