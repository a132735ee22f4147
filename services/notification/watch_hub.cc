#include "watch_hub.h"

namespace cchc::notification {
void WatchHub::Stop() {
  if (stop_.exchange(true)) return;
  decltype(waiters_) waiters;
  {
    std::lock_guard lock(mu_);
    waiters.swap(waiters_);
  }
  for (auto& [id, of_subscriber] : waiters)
    for (auto& [n, wake] : of_subscriber) wake();
}

uint64_t WatchHub::Generation(const std::string& id) {
  std::lock_guard lock(mu_);
  return generations_[id];  // kept, so that BumpAll bumps it
}

void WatchHub::BumpAll() {
  decltype(waiters_) waiters;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, generation] : generations_) ++generation;
    waiters.swap(waiters_);
  }
  for (auto& [id, of_subscriber] : waiters)
    for (auto& [n, wake] : of_subscriber) wake();
}

void WatchHub::Bump(const std::string& id) {
  std::map<uint64_t, std::function<void()>> waiters;
  {
    std::lock_guard lock(mu_);
    ++generations_[id];
    auto it = waiters_.find(id);
    if (it != waiters_.end()) {
      waiters.swap(it->second);
      waiters_.erase(it);
    }
  }
  for (auto& [n, wake] : waiters) wake();
}

uint64_t WatchHub::AddWaiter(const std::string& id, uint64_t seen, std::function<void()> wake) {
  std::lock_guard lock(mu_);
  auto g = generations_.find(id);
  if (stop_ || (g == generations_.end() ? 0 : g->second) != seen) return 0;
  uint64_t n = ++last_waiter_;
  waiters_[id].emplace(n, std::move(wake));
  return n;
}

void WatchHub::RemoveWaiter(const std::string& id, uint64_t waiter) {
  std::function<void()> removed;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  auto w = it->second.find(waiter);
  if (w == it->second.end()) return;
  removed = std::move(w->second);
  it->second.erase(w);
  if (it->second.empty()) waiters_.erase(it);
}

size_t WatchHub::WaiterCount() {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [id, of_subscriber] : waiters_) n += of_subscriber.size();
  return n;
}

}  // namespace cchc::notification
