#pragma once
// Delivery workers (gửi thông báo ra ngoài). One claimer thread leases due deliveries (DeliveryStore::ClaimDue, one
// short transaction, passing by the endpoints the gate says cannot take an attempt now) and hands each one the
// gate admits to a pool of attempt threads; a delivery the gate refuses after all (two of one endpoint in a batch)
// is handed back unspent. An attempt thread makes one attempt over the channel holding no transaction or pooled
// connection and records it (RecordOutcome): delivered, a retry with exponential backoff and full jitter, or a dead
// letter; the outcome also feeds the endpoint's circuit breaker (endpoint_gate.h). Once a second the claimer puts
// off the due deliveries of open and slow endpoints (DeliveryStore::DeferEndpoint), so that they neither spend
// attempts nor sit at the head of the queue.
// A claimed delivery outside its subscriber's send windows or on a holiday (rules/send_windows.h) is handed back
// unattempted, due at the next open instant (DeliveryStore::Postpone): computed once, not polled. The holidays are
// read again once a second, so an import takes effect within a second.
// So a slow or dead endpoint holds at most `gate.max_in_flight` attempt threads, and then, once its breaker opens,
// one trial every `gate.open_for`; every other endpoint is served by the rest.
// Webhooks retry on their schedule (rules/webhook_schedule.h), e-mail with backoff (rules/retry.h). A webhook's answer
// can slow its endpoint down, disable it or give up the message (rules/webhook_reply.h); every webhook attempt feeds
// the endpoint's health (store/endpoint_health.h), and a disabled endpoint's deliveries become dead letters unsent. A
// worker that dies mid-attempt loses nothing: once its lease passes the row is attempted again (at least once; the
// receiver dedupes by the delivery id).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "endpoint_gate.h"
#include "platform/metrics.h"
#include "rules/retry.h"
#include "rules/webhook_reply.h"
#include "rules/webhook_schedule.h"
#include "senders.h"
#include "store/deliveries.h"
#include "store/endpoint_health.h"
#include "store/holidays.h"

namespace cchc::notification {

struct WorkerOptions {
  int threads = 16;                                 // attempts at once, all endpoints together
  int claim_batch = 16;                             // deliveries leased in one claim, at most
  std::chrono::milliseconds poll{200};              // the claimer's wait when nothing was due
  std::chrono::milliseconds webhook_timeout{5000};  // per attempt
  BackoffPolicy backoff;                            // e-mail's retries
  RetrySchedule webhook_schedule = [] {             // webhooks' (rules/webhook_schedule.h)
    std::string unused;
    return *ParseRetrySchedule(kSvixSchedule, &unused);
  }();
  std::chrono::milliseconds retry_after_max{std::chrono::hours(1)};  // the longest Retry-After honoured
  SmtpSettings smtp;
  WebhookPolicy webhook;                   // where webhooks may go (webhook_target.h)
  GateOptions gate;                        // per endpoint: in flight, rate, circuit breaker
  int attempt_budget = 8;                  // of a next day's digest the worker creates (as the consumer's)
  std::chrono::milliseconds lease{40000};  // a claim's; longer than the webhook and SMTP time-outs
  int max_lost_claims = 3;                 // claims lost mid-attempt before the delivery is a dead letter
  // What is due and what is open is decided at this time (tests move it; the database's clock only keeps leases).
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
};

// The endpoint of a delivery, as the gate names it: the webhook URL or the e-mail address.
std::string EndpointOf(const DueDelivery& d);

class DeliveryWorkers {
 public:
  // `health`: webhook endpoints' health, disabled ones (store/endpoint_health.h).
  DeliveryWorkers(DeliveryStore& store, HolidayStore& holidays, EndpointHealthStore& health, WorkerOptions options,
                  metrics::Registry& registry);
  ~DeliveryWorkers() { Stop(); }

  void Start();
  void Stop();  // finishes the attempts running; hands back the claimed ones not started

 private:
  struct Claimed {
    DueDelivery delivery;
    std::string endpoint;
  };
  void ClaimLoop();
  // Puts off the due deliveries of open, slow and rate-limited endpoints (the claimer, once a second).
  void DeferWaitingEndpoints();
  void AttemptLoop(int index);
  // Leases up to `limit` due deliveries and returns those the gate admitted; the others are handed back.
  std::vector<Claimed> ClaimAdmitted(int limit);
  void AttemptAndRecord(Claimed& c, std::mt19937_64& rng);
  AttemptResult Attempt(const DueDelivery& d);
  void UpdateGauges();
  // Hands back those of `claimed` that are outside their send windows now, due at their next opening.
  std::vector<DueDelivery> PostponeClosed(std::vector<DueDelivery> claimed, Clock::time_point now);

  // A webhook attempt's answer as rules/webhook_reply.h reads it: the endpoint slowed down or disabled, the message
  // given up; and the endpoint's health after it.
  WebhookReaction ReactToWebhook(const Claimed& c, AttemptResult& result);
  void RecordHealth(const DueDelivery& due, const AttemptResult& result, const WebhookReaction& reaction,
                    bool delivered);

  DeliveryStore& store_;
  HolidayStore& holiday_store_;
  Holidays holidays_;  // from yesterday (local) on; the claimer's alone
  EndpointHealthStore& health_;
  WorkerOptions options_;
  EndpointGate gate_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable changed_;  // a claim queued, an attempt finished, or stop
  std::deque<Claimed> queue_;
  int busy_ = 0;           // attempts running
  uint64_t finished_ = 0;  // attempts ended, ever
  std::thread claimer_;
  std::vector<std::thread> threads_;
  metrics::Family<metrics::Counter>& deliveries_;
  metrics::Family<metrics::Histogram>& seconds_;
  metrics::Counter& dead_letters_;
  metrics::Counter& digest_moved_;
  metrics::Counter& lost_claims_;
  metrics::Family<metrics::Counter>& waits_;
  metrics::Counter& deferred_;
  metrics::Counter& window_waits_;
  metrics::Family<metrics::Counter>& breaker_changes_;
  metrics::Gauge& pending_;
  metrics::Gauge& dead_gauge_;
  metrics::Gauge& open_endpoints_;
  metrics::Family<metrics::Gauge>& endpoint_states_;
  metrics::Counter& endpoints_disabled_;
};

}  // namespace cchc::notification
