#pragma once
// Wakes Watch streams when their inbox grows. One thread LISTENs on kInboxChannel over a dedicated
// connection; each NOTIFY (sent by the inserting transaction, so delivered after its commit) bumps the
// subscriber's generation. A stream reads the generation, queries the rows after its cursor, and when
// there are none waits for the generation to change — so a commit between the query and the wait is never
// missed. A lost connection bumps every generation once it is back (streams catch up from the database).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "platform/db.h"

namespace cchc::notification {

class WatchHub {
 public:
  explicit WatchHub(db::Pool& pool) : pool_(pool) {}
  ~WatchHub() { Stop(); }

  void Start();
  void Stop();  // wakes every waiter; Wait returns at once from then on

  uint64_t Generation(const std::string& subscriber_id);
  // Returns when the generation differs from `seen`, after `timeout`, or once stopped.
  uint64_t Wait(const std::string& subscriber_id, uint64_t seen, std::chrono::milliseconds timeout);
  bool Stopped() const { return stop_; }

  // Bumps `subscriber_id` (or every subscriber when empty). Called by the listener.
  void Bump(const std::string& subscriber_id);

 private:
  void Loop();
  db::Pool& pool_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, uint64_t> generations_;
  uint64_t epoch_ = 0;  // added to every generation; bumped on reconnect
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cchc::notification
