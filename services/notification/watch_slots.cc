#include "watch_slots.h"

namespace cchc::notification {

bool WatchSlots::TakeTotal() {
  std::lock_guard lock(mu_);
  if (open_ >= total_) return false;
  ++open_;
  return true;
}

bool WatchSlots::TakeSubscriber(const std::string& id) {
  std::lock_guard lock(mu_);
  auto [it, added] = by_subscriber_.try_emplace(id, 0);
  if (it->second >= per_subscriber_) return false;
  ++it->second;
  return true;
}

void WatchSlots::ReleaseTotal() {
  std::lock_guard lock(mu_);
  if (open_ > 0) --open_;
}

void WatchSlots::ReleaseSubscriber(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = by_subscriber_.find(id);
  if (it == by_subscriber_.end()) return;
  if (--it->second <= 0) by_subscriber_.erase(it);
}

int WatchSlots::Total() {
  std::lock_guard lock(mu_);
  return open_;
}

int WatchSlots::OfSubscriber(const std::string& id) {
  std::lock_guard lock(mu_);
  auto it = by_subscriber_.find(id);
  return it == by_subscriber_.end() ? 0 : it->second;
}

}  // namespace cchc::notification
