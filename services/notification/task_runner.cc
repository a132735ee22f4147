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

TaskRunner::TimerId TaskRunner::PostAfter(std::chrono::milliseconds delay, std::function<void()> task) {
  TimerId id = 0;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (stop_) return 0;
    id = ++last_timer_;
    auto due = std::chrono::steady_clock::now() + delay;
    timers_.emplace(Deadline{due, id}, std::move(task));
    due_at_.emplace(id, due);
    // A sleeping thread that wakes by this deadline runs it (a thread at work looks before it sleeps again);
    // otherwise one must wake to wait for it. A stream re-arms its timer at each wait, seconds after the
    // deadline some thread already sleeps until: no wake-up.
    bool someone_sleeps = sleeping_untimed_ > 0 || !sleeping_until_.empty();
    wake = someone_sleeps && (sleeping_until_.empty() || *sleeping_until_.begin() > due);
    if (wake) ++timer_wake_ups_;
  }
  if (wake) cv_.notify_one();
  return id;
}

void TaskRunner::Cancel(TimerId timer) {
  std::function<void()> dropped;  // destroyed outside the lock
  std::lock_guard lock(mu_);
  auto due = due_at_.find(timer);
  if (due == due_at_.end()) return;
  auto it = timers_.find(Deadline{due->second, timer});
  dropped = std::move(it->second);
  timers_.erase(it);
  due_at_.erase(due);
}

size_t TaskRunner::TimerCount() {
  std::lock_guard lock(mu_);
  return timers_.size();
}

TaskRunner::Sleepers TaskRunner::SleepingThreads() {
  std::lock_guard lock(mu_);
  return {sleeping_untimed_, {sleeping_until_.begin(), sleeping_until_.end()}};
}

uint64_t TaskRunner::TimerWakeUps() {
  std::lock_guard lock(mu_);
  return timer_wake_ups_;
}

void TaskRunner::Stop() {
  std::deque<std::function<void()>> ready;
  std::map<Deadline, std::function<void()>> timers;
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
    ready.swap(ready_);
    timers.swap(timers_);
    due_at_.clear();
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void TaskRunner::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto now = std::chrono::steady_clock::now();
    while (!timers_.empty() && timers_.begin()->first.first <= now) {
      ready_.push_back(std::move(timers_.begin()->second));
      due_at_.erase(timers_.begin()->first.second);
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
    if (timers_.empty()) {
      ++sleeping_untimed_;
      cv_.wait(lock);
      --sleeping_untimed_;
    } else {
      // A copy: wait_until reads its deadline again after waking, and meanwhile another thread may have
      // taken or cancelled that timer.
      const auto until = timers_.begin()->first.first;
      auto sleeping = sleeping_until_.insert(until);
      cv_.wait_until(lock, until);
      sleeping_until_.erase(sleeping);
    }
  }
}

}  // namespace cchc::notification
