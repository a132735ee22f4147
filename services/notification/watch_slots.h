#pragma once
// The caps on open Watch streams of one process: at most `total` in all and `per_subscriber` for one
// subscriber. A stream takes its total slot before anything is allocated for it, its subscriber's slot once
// its ownership is confirmed, and gives both back when gRPC is done with it. Thread-safe.
#include <map>
#include <mutex>
#include <string>

namespace cchc::notification {

class WatchSlots {
 public:
  WatchSlots(int total, int per_subscriber) : total_(total), per_subscriber_(per_subscriber) {}

  // True (and counted) when fewer than `total` streams hold a slot; false changes nothing.
  bool TakeTotal();
  // True (and counted) when fewer than `per_subscriber` streams of `subscriber_id` hold one.
  bool TakeSubscriber(const std::string& subscriber_id);
  void ReleaseTotal();
  void ReleaseSubscriber(const std::string& subscriber_id);

  int Total();
  int OfSubscriber(const std::string& subscriber_id);
  int total_limit() const { return total_; }
  int per_subscriber_limit() const { return per_subscriber_; }

 private:
  const int total_, per_subscriber_;
  std::mutex mu_;
  int open_ = 0;
  std::map<std::string, int> by_subscriber_;  // no entry at 0
};

}  // namespace cchc::notification
