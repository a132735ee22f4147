#include "scheduler.h"

#include "platform/log.h"
#include "platform/thread_name.h"

namespace cchc::news {

Scheduler::Scheduler(ArticleStore& articles, std::chrono::milliseconds interval, metrics::Registry& registry)
    : articles_(articles),
      interval_(interval),
      published_(
          registry.AddCounter("cchc_news_scheduled_published_total", "Scheduled articles published").WithLabels({})),
      errors_(registry.AddCounter("cchc_news_scheduler_errors_total", "Failed scheduler passes").WithLabels({})) {}

Scheduler::~Scheduler() {
  Stop();
}

void Scheduler::Start() {
  thread_ = std::thread([this] {
    NameThisThread("news-scheduler");
    Loop();
  });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Loop() {
  constexpr int kBatch = 100;
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    int published = 0;
    try {
      published = articles_.PublishDue(kBatch);
      if (published > 0) {
        published_.Increment(published);
        log::Info("scheduled articles published", {{"count", std::to_string(published)}});
      }
    } catch (const std::exception& e) {
      errors_.Increment();
      log::Warn("scheduler pass failed", {{"error", e.what()}});
    }
    lock.lock();
    if (published < kBatch) cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace cchc::news
