#include "views.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <stdexcept>

#include "platform/log.h"
#include "platform/thread_name.h"

namespace cchc::news {
namespace {

ViewLimits Checked(ViewLimits limits) {
  if (limits.flushers < 1 || limits.flushers > kViewShards)
    throw std::invalid_argument("view flushers: between 1 and " + std::to_string(kViewShards));
  if (limits.acknowledgers < 1) throw std::invalid_argument("view acknowledgers: at least 1");
  return limits;
}

}  // namespace

ViewCounter::ViewCounter(ViewStore& store, metrics::Registry* registry, ViewLimits limits)
    : store_(store), limits_(Checked(limits)) {
  if (registry != nullptr) {
    recorded_ =
        &registry->AddCounter("cchc_news_views_recorded_total", "Article views counted (committed)").WithLabels({});
    batch_sizes_ = &registry
                        ->AddHistogram("cchc_news_view_batch_size", "Views committed together", {},
                                       {1, 4, 16, 64, 256, 1024, 4096})
                        .WithLabels({});
  }
  for (int i = 0; i < limits_.acknowledgers; ++i)
    ackers_.emplace_back([this] {
      NameThisThread("views-acks");
      AcknowledgeLoop();
    });
  for (int i = 0; i < limits_.flushers; ++i)
    flushers_.emplace_back([this, i] {
      NameThisThread("views-flusher");
      FlushLoop(i);
    });
}

ViewCounter::~ViewCounter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& f : flushers_)
    if (f.joinable()) f.join();
  {
    std::lock_guard lock(ack_mu_);
    ack_stop_ = true;
  }
  ack_cv_.notify_all();
  for (auto& a : ackers_)
    if (a.joinable()) a.join();
}

bool ViewCounter::RecordAsync(const std::string& article_id, Done done) {
  {
    std::lock_guard lock(mu_);
    if (stop_) {
      done(false, std::make_exception_ptr(db::Unavailable("the view counter is stopping")));
      return true;
    }
    if (static_cast<int>(queue_.size()) >= limits_.queue_max) return false;
    queue_.push_back(Pending{article_id, std::move(done)});
  }
  cv_.notify_one();
  return true;
}

void ViewCounter::FlushLoop(int index) {
  std::vector<Pending> batch;
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty() && stop_) return;
    size_t take = std::min(queue_.size(), static_cast<size_t>(limits_.batch_max));
    std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take), std::back_inserter(batch));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    lock.unlock();
    Commit(batch, index);
    batch.clear();
    lock.lock();
  }
}

void ViewCounter::Commit(std::vector<Pending>& batch, int index) {
  thread_local std::minstd_rand random{std::random_device{}()};
  std::map<std::string, int64_t> per_article;
  for (const auto& p : batch) ++per_article[p.article_id];
  // One of this flusher's own shards: index, index + flushers, … below kViewShards.
  const int own = (kViewShards - index + limits_.flushers - 1) / limits_.flushers;
  const int shard = index + limits_.flushers * static_cast<int>(random() % static_cast<unsigned>(own));
  Outcome outcome;
  try {
    outcome.counted = store_.Add(per_article, shard);
    int64_t views = 0;
    for (const auto& p : batch) views += outcome.counted.count(p.article_id) > 0;
    if (recorded_ != nullptr) recorded_->Increment(static_cast<double>(views));
    if (batch_sizes_ != nullptr) batch_sizes_->Observe(static_cast<double>(batch.size()));
  } catch (const std::exception& e) {
    log::Warn("views not committed", {{"views", std::to_string(batch.size())}, {"error", e.what()}});
    outcome.error = std::make_exception_ptr(db::Unavailable(std::string("views not committed: ") + e.what()));
  }
  outcome.batch = std::move(batch);
  {
    std::lock_guard lock(ack_mu_);
    outcomes_.push_back(std::move(outcome));
  }
  ack_cv_.notify_one();
}

void ViewCounter::AcknowledgeLoop() {
  std::unique_lock lock(ack_mu_);
  while (true) {
    ack_cv_.wait(lock, [this] { return ack_stop_ || !outcomes_.empty(); });
    if (outcomes_.empty() && ack_stop_) return;
    Outcome o = std::move(outcomes_.front());
    outcomes_.pop_front();
    lock.unlock();
    for (auto& p : o.batch) p.done(!o.error && o.counted.count(p.article_id) > 0, o.error);
    lock.lock();
  }
}

}  // namespace cchc::news
