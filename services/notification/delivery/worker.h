#pragma once
// Delivery workers (gửi thông báo ra ngoài): threads that claim due rows of the deliveries table with
// FOR NO KEY UPDATE SKIP LOCKED (so two replicas never send the same row at once; the subscriber is held
// FOR KEY SHARE with it, so a DeleteSubscriber waits for the attempt), make one attempt over
// the row's channel, record it in delivery_attempts, and either finish the row, schedule a retry with
// exponential backoff and full jitter, or dead-letter it. The row stays locked during the attempt; a
// crash rolls the claim back and the row is attempted again (at-least-once). The claim's lock lets the
// consumer attach items to a digest being sent; the protocol that keeps those items is in repository.h.
#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "platform/metrics.h"
#include "repository.h"
#include "rules/retry.h"
#include "senders.h"

namespace cchc::notification {

struct WorkerOptions {
  int threads = 2;
  std::chrono::milliseconds poll{200};              // idle wait between claims
  std::chrono::milliseconds webhook_timeout{5000};  // per attempt
  BackoffPolicy backoff;
  SmtpSettings smtp;
  WebhookPolicy webhook;   // where webhooks may go (webhook_target.h)
  int attempt_budget = 8;  // of a next day's digest the worker creates (as the consumer's)
};

class DeliveryWorkers {
 public:
  DeliveryWorkers(db::Pool& pool, Repository& repository, WorkerOptions options, metrics::Registry& registry);
  ~DeliveryWorkers() { Stop(); }

  void Start();
  void Stop();  // finishes the attempts in hand
  // Claims and attempts one due delivery; false when none was due. Exposed for tests.
  bool RunOnce(std::mt19937_64& rng);

 private:
  AttemptResult Attempt(const DueDelivery& d);
  db::Pool& pool_;
  Repository& repository_;
  WorkerOptions options_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  metrics::Family<metrics::Counter>& deliveries_;
  metrics::Family<metrics::Histogram>& seconds_;
  metrics::Counter& dead_letters_;
  metrics::Counter& digest_moved_;
  metrics::Gauge& pending_;
  metrics::Gauge& dead_gauge_;
};

}  // namespace cchc::notification
