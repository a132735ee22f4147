#include "watch_hub.h"

#include <pqxx/notification>

#include "platform/log.h"
#include "repository.h"

namespace cchc::notification {
namespace {

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, WatchHub& hub) : pqxx::notification_receiver(c, kInboxChannel), hub_(hub) {}
  void operator()(const std::string& payload, int) override { hub_.Bump(payload); }

 private:
  WatchHub& hub_;
};

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
  return epoch_ + (it == generations_.end() ? 0 : it->second);
}

uint64_t WatchHub::Wait(const std::string& id, uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto current = [&] {
    auto it = generations_.find(id);
    return epoch_ + (it == generations_.end() ? 0 : it->second);
  };
  cv_.wait_for(lock, timeout, [&] { return stop_ || current() != seen; });
  return current();
}

void WatchHub::Bump(const std::string& id) {
  {
    std::lock_guard lock(mu_);
    if (id.empty())
      ++epoch_;
    else
      ++generations_[id];
  }
  cv_.notify_all();
}

void WatchHub::Loop() {
  auto backoff = std::chrono::milliseconds(100);
  while (!stop_) {
    try {
      auto conn = pool_.OpenDedicated();
      Receiver receiver(*conn, *this);
      Bump("");  // anything committed while not listening is caught up from the database
      backoff = std::chrono::milliseconds(100);
      while (!stop_) conn->await_notification(0, 200000);
    } catch (const std::exception& e) {
      if (stop_) break;
      log::Warn("watch: listener connection lost, reconnecting", {{"error", e.what()}});
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }
}

}  // namespace cchc::notification
