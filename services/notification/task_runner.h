#pragma once
// A small fixed pool of threads for the work of Watch streams that must not run on gRPC's callback threads
// (database queries) and for their idle timers. Tasks run in the order they became due; a delayed task runs
// no earlier than its delay. No thread per stream: every stream shares these few threads.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace cchc::notification {

class TaskRunner {
 public:
  explicit TaskRunner(int threads);
  ~TaskRunner() { Stop(); }
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  void Post(std::function<void()> task);
  void PostAfter(std::chrono::milliseconds delay, std::function<void()> task);
  // Joins the threads; tasks not started yet are dropped (so they must hold no one's last reference that
  // matters: streams capture weak pointers). Idempotent.
  void Stop();

 private:
  void Loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> ready_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cchc::notification
