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
    for (auto& [n, wake] : of_subscriber) wake(0, nullptr);
}

uint64_t WatchHub::Generation(const std::string& id) {
  std::lock_guard lock(mu_);
  return generations_[id];  // kept, so that BumpAll bumps it
}

void WatchHub::BumpAll() {
  decltype(waiters_) waiters;
  std::map<std::string, uint64_t> generations;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, generation] : generations_) ++generation;
    waiters.swap(waiters_);
    generations = generations_;
  }
  for (auto& [id, of_subscriber] : waiters)
    for (auto& [n, wake] : of_subscriber) wake(generations[id], nullptr);
}

void WatchHub::Bump(const std::string& id, const std::shared_ptr<const NewRows>& rows) {
  std::map<uint64_t, Wake> waiters;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = ++generations_[id];
    auto it = waiters_.find(id);
    if (it != waiters_.end()) {
      waiters.swap(it->second);
      waiters_.erase(it);
    }
  }
  for (auto& [n, wake] : waiters) wake(generation, rows);
}

uint64_t WatchHub::AddWaiter(const std::string& id, uint64_t seen, Wake wake) {
  std::lock_guard lock(mu_);
  auto g = generations_.find(id);
  if (stop_ || (g == generations_.end() ? 0 : g->second) != seen) return 0;
  uint64_t n = ++last_waiter_;
  waiters_[id].emplace(n, std::move(wake));
  return n;
}

void WatchHub::RemoveWaiter(const std::string& id, uint64_t waiter) {
  Wake removed;  // destroyed outside the lock
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
