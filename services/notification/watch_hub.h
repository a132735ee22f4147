#pragma once
// Wakes Watch streams when their inbox may have grown. The consumer hints the subscribers of each event it
// writes; the hub bumps their generation right away and again a few milliseconds later (the hint comes
// before the transaction commits), and once more when the consumer starts its next event (by then the
// previous one has committed). A stream reads the generation, queries the rows after its cursor, and when
// there are none waits for the generation to change or for its idle timeout — the catch-up query on the
// timeout is what wakes streams of rows another replica wrote. Correctness (no gap, no repeat) rests on the
// cursor query alone; the hub only decides how soon it runs.
//
// There is deliberately no NOTIFY: PostgreSQL serialises the commits of every transaction that notifies,
// across the cluster, including their WAL flush — with the document service notifying its outbox relay on
// every commit, a NOTIFY per event halved what both services could commit.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cchc::notification {

class WatchHub {
 public:
  WatchHub() = default;
  ~WatchHub() { Stop(); }

  void Start();  // the thread that repeats hints
  void Stop();   // wakes every waiter; Wait returns at once from then on

  uint64_t Generation(const std::string& subscriber_id);
  // Returns when the generation differs from `seen`, after `timeout`, or once stopped.
  uint64_t Wait(const std::string& subscriber_id, uint64_t seen, std::chrono::milliseconds timeout);
  bool Stopped() const { return stop_; }

  // `subscriber_id` got a notification in a transaction about to commit.
  void Hint(const std::string& subscriber_id);
  // Every hinted transaction so far has ended: bump them all once more.
  void FlushHints();
  // Bumps the generation and calls the waiters of `subscriber_id`.
  void Bump(const std::string& subscriber_id);

  // Calls `wake` once — on the thread of the next Bump(subscriber_id) or of Stop(), outside the hub's lock —
  // unless removed first. Returns its id; 0 without registering when the generation already differs from
  // `seen` or the hub is stopped (the caller should query again instead of waiting).
  uint64_t AddWaiter(const std::string& subscriber_id, uint64_t seen, std::function<void()> wake);
  // Forgets a waiter that has not been called (nothing happens if it has).
  void RemoveWaiter(const std::string& subscriber_id, uint64_t waiter);
  size_t WaiterCount();

 private:
  struct Pending {
    std::chrono::steady_clock::time_point since;
    int bumps = 0;
  };
  void Loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, uint64_t> generations_;
  std::map<std::string, Pending> pending_;
  std::map<std::string, std::map<uint64_t, std::function<void()>>> waiters_;
  uint64_t last_waiter_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cchc::notification
