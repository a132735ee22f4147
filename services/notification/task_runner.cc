#include "task_runner.h"

#include "platform/log.h"
#include "platform/thread_name.h"

namespace cchc::notification {

TaskRunner::TaskRunner(int threads) {
  for (int i = 0; i < threads; ++i)
    threads_.emplace_back([this] {
      NameThisThread("task-runner");
      Loop();
    });
}

void TaskRunner::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    ready_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void TaskRunner::PostAfter(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    timers_.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
  }
  cv_.notify_one();  // an idle thread may be sleeping until a later deadline
}

void TaskRunner::Stop() {
  std::deque<std::function<void()>> ready;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers;
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
    ready.swap(ready_);
    timers.swap(timers_);
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void TaskRunner::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto now = std::chrono::steady_clock::now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
      ready_.push_back(std::move(timers_.begin()->second));
      timers_.erase(timers_.begin());
    }
    if (!ready_.empty()) {
      auto task = std::move(ready_.front());
      ready_.pop_front();
      lock.unlock();
      try {
        task();
      } catch (const std::exception& e) {
        log::Error("watch task failed", {{"error", e.what()}});
      }
      task = nullptr;  // its captures go before the lock is taken again
      lock.lock();
      continue;
    }
    if (timers_.empty())
      cv_.wait(lock);
    else
      cv_.wait_until(lock, timers_.begin()->first);
  }
}

}  // namespace cchc::notification
