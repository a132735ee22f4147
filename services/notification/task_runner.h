#pragma once
// A small fixed pool of threads for the work of Watch streams that must not run on gRPC's callback threads
// (database queries) and for their idle timers. Tasks run in the order they became due; a delayed task runs
// no earlier than its delay. No thread per stream: every stream shares these few threads.
//
// A stream arms an idle timer each time it waits and cancels it when woken sooner, which at a few hundred
// events a second is most of the time: a cancelled timer wakes no thread, and arming one wakes a sleeping
// thread only when none sleeps until an earlier deadline (each wake-up is a thread switch, and on a small
// machine those, not the work, are what a notification's latency is made of).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cchc::notification {

class TaskRunner {
 public:
  explicit TaskRunner(int threads);
  ~TaskRunner() { Stop(); }
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  using TimerId = uint64_t;  // 0 is never a timer's

  void Post(std::function<void()> task);
  // Runs `task` once `delay` has passed, unless cancelled first. Returns 0 (and drops the task) once stopped.
  TimerId PostAfter(std::chrono::milliseconds delay, std::function<void()> task);
  // Drops a timer that has not become due; does nothing for one that has (it runs, or ran) or for 0.
  void Cancel(TimerId timer);
  size_t TimerCount();
  // For tests of the wake-ups the comment above promises: the threads waiting for work now, and how many
  // times arming a timer has woken one.
  struct Sleepers {
    int without_timer = 0;
    std::vector<std::chrono::steady_clock::time_point> until;  // the others' deadlines, earliest first
  };
  Sleepers SleepingThreads();
  uint64_t TimerWakeUps();
  // Joins the threads; tasks not started yet are dropped (so they must hold no one's last reference that
  // matters: streams capture weak pointers). Idempotent.
  void Stop();

 private:
  void Loop();
  std::mutex mu_;
  std::condition_variable cv_;
  using Deadline = std::pair<std::chrono::steady_clock::time_point, TimerId>;  // in the order they are due
  std::deque<std::function<void()>> ready_;
  std::map<Deadline, std::function<void()>> timers_;
  std::unordered_map<TimerId, std::chrono::steady_clock::time_point> due_at_;  // of the timers in timers_
  TimerId last_timer_ = 0;
  // The threads waiting for work: how many wait with no timer, and the deadlines the others wait until.
  int sleeping_untimed_ = 0;
  std::multiset<std::chrono::steady_clock::time_point> sleeping_until_;
  uint64_t timer_wake_ups_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cchc::notification
