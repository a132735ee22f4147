#pragma once
// Delivery workers (gửi thông báo ra ngoài): threads that lease a due delivery (Repository::ClaimDue, one
// short transaction), make one attempt over its channel holding no transaction or pooled connection, and
// record it (RecordOutcome): delivered, a retry with exponential backoff and full jitter, or a dead letter.
// A worker that dies mid-attempt loses nothing: once its lease passes the row is attempted again (at least
// once; the receiver dedupes by the delivery id). A slow endpoint stalls only the worker attempting it.
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
  WebhookPolicy webhook;                   // where webhooks may go (webhook_target.h)
  int attempt_budget = 8;                  // of a next day's digest the worker creates (as the consumer's)
  std::chrono::milliseconds lease{40000};  // a claim's; longer than the webhook and SMTP time-outs
};

class DeliveryWorkers {
 public:
  DeliveryWorkers(Repository& repository, WorkerOptions options, metrics::Registry& registry);
  ~DeliveryWorkers() { Stop(); }

  void Start();
  void Stop();  // finishes the attempts in hand
  // Leases, attempts and records one due delivery; false when none was due. Exposed for tests.
  bool RunOnce(std::mt19937_64& rng);

 private:
  AttemptResult Attempt(const DueDelivery& d);
  Repository& repository_;
  WorkerOptions options_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  metrics::Family<metrics::Counter>& deliveries_;
  metrics::Family<metrics::Histogram>& seconds_;
  metrics::Counter& dead_letters_;
  metrics::Counter& digest_moved_;
  metrics::Counter& lost_claims_;
  metrics::Gauge& pending_;
  metrics::Gauge& dead_gauge_;
};

}  // namespace cchc::notification
