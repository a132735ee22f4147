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
  {
    std::lock_guard lock(mu_);
    ++generations_[id];
  }
  cv_.notify_all();
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
