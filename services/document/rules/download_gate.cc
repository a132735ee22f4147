#include "download_gate.h"

#include "platform/thread_name.h"

namespace cchc::document {

DownloadGate::Ticket::Ticket(DownloadGate& gate, std::function<void()> cancel, Clock::time_point now)
    : gate_(gate), cancel_(std::move(cancel)), started_(now), last_progress_(now.time_since_epoch().count()) {}

DownloadGate::Ticket::~Ticket() {
  gate_.Leave(this);
}

void DownloadGate::Ticket::Progress(Clock::time_point now) {
  last_progress_.store(now.time_since_epoch().count());
}

bool DownloadGate::Ticket::PastOverall(Clock::time_point now) const {
  return now - started_ >= gate_.limits_.overall;
}

DownloadGate::DownloadGate(DownloadLimits limits, metrics::Registry* registry) : limits_(limits) {
  if (registry) {
    in_progress_ = &registry->AddGauge("cchc_downloads_in_progress", "Attachment downloads running").WithLabels({});
    refused_ = &registry
                    ->AddCounter("cchc_downloads_refused_total",
                                 "Attachment downloads refused because --download-concurrency were running")
                    .WithLabels({});
    auto& cancelled = registry->AddCounter("cchc_downloads_cancelled_total",
                                           "Attachment downloads cancelled at a deadline", {"reason"});
    cancelled_idle_ = &cancelled.WithLabels({"idle"});
    cancelled_overall_ = &cancelled.WithLabels({"overall"});
  }
  watchdog_ = std::thread([this] { Watch(); });
}

DownloadGate::~DownloadGate() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  watchdog_.join();
}

std::unique_ptr<DownloadGate::Ticket> DownloadGate::TryEnter(std::function<void()> cancel) {
  std::lock_guard lock(mu_);
  if (static_cast<int>(running_.size()) >= limits_.concurrency) {
    if (refused_) refused_->Increment();
    return nullptr;
  }
  std::unique_ptr<Ticket> ticket(new Ticket(*this, std::move(cancel), Clock::now()));
  ticket->position_ = running_.insert(running_.end(), ticket.get());
  if (in_progress_) in_progress_->Set(static_cast<double>(running_.size()));
  return ticket;
}

void DownloadGate::Leave(Ticket* ticket) {
  std::lock_guard lock(mu_);
  running_.erase(ticket->position_);
  if (in_progress_) in_progress_->Set(static_cast<double>(running_.size()));
}

int DownloadGate::Running() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(running_.size());
}

int DownloadGate::CancelOverdue(Clock::time_point now) {
  // Under the lock: a ticket cannot leave (and its call end) while its cancel function runs.
  std::lock_guard lock(mu_);
  int count = 0;
  for (Ticket* t : running_) {
    if (t->cancelled_.load() != Overdue::kNo) continue;
    Overdue why = Overdue::kNo;
    if (t->PastOverall(now))
      why = Overdue::kOverall;
    else if (now - Clock::time_point(Clock::duration(t->last_progress_.load())) >= limits_.idle)
      why = Overdue::kIdle;
    if (why == Overdue::kNo) continue;
    t->cancelled_.store(why);
    if (auto* counter = why == Overdue::kIdle ? cancelled_idle_ : cancelled_overall_) counter->Increment();
    t->cancel_();
    ++count;
  }
  return count;
}

void DownloadGate::Watch() {
  NameThisThread("download-watch");
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, limits_.check_interval);
    if (stopping_) break;
    lock.unlock();
    CancelOverdue(Clock::now());
    lock.lock();
  }
}

}  // namespace cchc::document
