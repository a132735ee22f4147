#include "watch_hub.h"

namespace cchc::notification {
namespace {
// When a hint is repeated after it was given: the commit it announces usually lands within these.
constexpr std::chrono::milliseconds kRepeats[] = {std::chrono::milliseconds(2), std::chrono::milliseconds(10),
                                                  std::chrono::milliseconds(50)};
}  // namespace

void WatchHub::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void WatchHub::Stop() {
  if (stop_.exchange(true)) return;
  cv_.notify_all();
  decltype(waiters_) waiters;
  {
    std::lock_guard lock(mu_);
    waiters.swap(waiters_);
  }
  for (auto& [id, of_subscriber] : waiters)
    for (auto& [n, wake] : of_subscriber) wake();
  if (thread_.joinable()) thread_.join();
}

uint64_t WatchHub::Generation(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = generations_.find(id);
  return it == generations_.end() ? 0 : it->second;
}

uint64_t WatchHub::Wait(const std::string& id, uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto current = [&] {
    auto it = generations_.find(id);
    return it == generations_.end() ? 0 : it->second;
  };
  cv_.wait_for(lock, timeout, [&] { return stop_ || current() != seen; });
  return current();
}

void WatchHub::Hint(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    ++generations_[id];
    pending_[id] = Pending{std::chrono::steady_clock::now(), 0};
  }
  cv_.notify_all();
}

void WatchHub::FlushHints() {
  {
    std::lock_guard lock(mu_);
    if (pending_.empty()) return;
    for (auto& [id, p] : pending_) ++generations_[id];
    pending_.clear();
  }
  cv_.notify_all();
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
  cv_.notify_all();
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

void WatchHub::Loop() {
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    bool bumped = false;
    {
      std::lock_guard lock(mu_);
      auto now = std::chrono::steady_clock::now();
      for (auto it = pending_.begin(); it != pending_.end();) {
        auto& p = it->second;
        if (now - p.since >= kRepeats[p.bumps]) {
          ++generations_[it->first];
          bumped = true;
          if (++p.bumps == static_cast<int>(std::size(kRepeats))) {
            it = pending_.erase(it);
            continue;
          }
        }
        ++it;
      }
    }
    if (bumped) cv_.notify_all();
  }
}

}  // namespace cchc::notification
