#include "lifecycle_scheduler.h"

#include "platform/dates.h"
#include "platform/log.h"
#include "platform/thread_name.h"

namespace cchc::document {

LifecycleScheduler::LifecycleScheduler(LifecycleStore& store, std::chrono::milliseconds interval,
                                       metrics::Registry& registry, Clock clock)
    : store_(store),
      interval_(interval),
      clock_(std::move(clock)),
      announced_(registry
                     .AddCounter("cchc_document_lifecycle_announced_total",
                                 "Lifecycle events (became effective, expired) written to the outbox")
                     .WithLabels({})),
      errors_(registry.AddCounter("cchc_document_lifecycle_errors_total", "Failed lifecycle scheduler passes")
                  .WithLabels({})),
      registry_(registry) {}

void LifecycleScheduler::PurgeAudit(AuditStore* audit, std::chrono::hours retention, int batch) {
  audit_ = audit;
  audit_retention_ = retention;
  audit_batch_ = batch;
  audit_purged_ = &registry_
                       .AddCounter("cchc_document_audit_purged_total",
                                   "Audit rows deleted for being older than --audit-retention-days")
                       .WithLabels({});
}

LifecycleScheduler::~LifecycleScheduler() {
  Stop();
}

void LifecycleScheduler::Start() {
  thread_ = std::thread([this] {
    NameThisThread("doc-lifecycle");
    Loop();
  });
}

void LifecycleScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int LifecycleScheduler::Pass() {
  const auto now = clock_();
  const std::string today = dates::ToIso(dates::VietnamDay(now));
  if (!started_) {
    const std::string first = store_.Start(today);
    started_ = true;
    log::Info("document lifecycle announcements on", {{"first_start_day", first}});
  }
  const int announced = store_.AnnounceDue(today);
  for (const auto& [name, chore] : chores_)
    if (int n = chore(now); n > 0)
      log::Info("document scheduler chore", {{"chore", name}, {"count", std::to_string(n)}});
  if (audit_) {
    const auto cutoff = clock_() - audit_retention_;
    const int64_t cutoff_us = std::chrono::duration_cast<std::chrono::microseconds>(cutoff.time_since_epoch()).count();
    if (int purged = audit_->Purge(cutoff_us, audit_batch_); purged > 0) {
      audit_purged_->Increment(purged);
      log::Info("audit rows past their retention deleted", {{"count", std::to_string(purged)}});
    }
  }
  return announced;
}

void LifecycleScheduler::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    try {
      if (int n = Pass(); n > 0) {
        announced_.Increment(n);
        log::Info("document lifecycle events announced", {{"count", std::to_string(n)}});
      }
    } catch (const std::exception& e) {
      errors_.Increment();
      log::Warn("document lifecycle pass failed", {{"error", e.what()}});
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace cchc::document
