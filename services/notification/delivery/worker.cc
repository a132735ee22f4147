#include "worker.h"

#include "platform/log.h"
#include "platform/thread_name.h"
#include "platform/trace_context.h"
#include "render.h"
#include "rules/signature.h"

namespace cchc::notification {
namespace {

std::string ChannelName(v1::Channel c) {
  return c == v1::EMAIL ? "email" : c == v1::WEBHOOK ? "webhook" : "inbox";
}

std::string Rfc5322Now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

const char* RefusalName(EndpointGate::Refusal r) {
  switch (r) {
    case EndpointGate::Refusal::kBusy:
      return "busy";
    case EndpointGate::Refusal::kRateLimited:
      return "rate_limited";
    case EndpointGate::Refusal::kOpen:
      return "open";
    case EndpointGate::Refusal::kNone:
      break;
  }
  return "none";
}

// A steady-clock time as microseconds since the epoch, for the database.
int64_t SystemMicros(EndpointGate::Clock::time_point t) {
  auto system = std::chrono::system_clock::now() + (t - EndpointGate::Clock::now());
  return std::chrono::duration_cast<std::chrono::microseconds>(system.time_since_epoch()).count();
}

}  // namespace

std::string EndpointOf(const DueDelivery& d) {
  return d.channel == v1::EMAIL ? EmailEndpoint(d.email) : WebhookEndpoint(d.webhook_url);
}

DeliveryWorkers::DeliveryWorkers(DeliveryStore& store, HolidayStore& holidays, EndpointHealthStore& health,
                                 WorkerOptions options, metrics::Registry& registry)
    : store_(store),
      holiday_store_(holidays),
      health_(health),
      options_(std::move(options)),
      gate_(options_.gate),
      deliveries_(registry.AddCounter("cchc_deliveries_total", "Delivery attempts, by channel and outcome",
                                      {"channel", "outcome"})),
      seconds_(registry.AddHistogram("cchc_delivery_seconds", "Duration of one delivery attempt", {"channel"},
                                     metrics::LatencyBuckets())),
      dead_letters_(registry.AddCounter("cchc_delivery_dead_letters_total", "Deliveries given up on (dead letters)")
                        .WithLabels({})),
      digest_moved_(registry
                        .AddCounter("cchc_digest_items_moved_total",
                                    "Digest items attached while their digest was being sent, moved to the next "
                                    "day's digest")
                        .WithLabels({})),
      lost_claims_(registry
                       .AddCounter("cchc_delivery_lost_claims_total",
                                   "Attempts not recorded: their lease had passed and the delivery was claimed again, "
                                   "or the subscriber was deleted")
                       .WithLabels({})),
      waits_(registry.AddCounter("cchc_delivery_waits_total",
                                 "Claimed deliveries handed back unattempted because their endpoint could not take "
                                 "one more, by reason (busy, rate_limited, open)",
                                 {"reason"})),
      deferred_(registry
                    .AddCounter("cchc_delivery_deferred_total",
                                "Due deliveries put off, unattempted, because their endpoint's circuit breaker was "
                                "open or the endpoint was slow")
                    .WithLabels({})),
      window_waits_(registry
                        .AddCounter("cchc_delivery_window_waits_total",
                                    "Claimed deliveries handed back unattempted to wait for their subscriber's next "
                                    "send window (closed hours or a holiday)")
                        .WithLabels({})),
      breaker_changes_(registry.AddCounter("cchc_delivery_breaker_changes_total",
                                           "Endpoint circuit breakers that changed, by the state they went to",
                                           {"to"})),
      pending_(registry.AddGauge("cchc_deliveries_pending", "Deliveries waiting for their due time or a retry")
                   .WithLabels({})),
      dead_gauge_(registry.AddGauge("cchc_delivery_dead_letters", "Deliveries currently in the dead-letter list")
                      .WithLabels({})),
      open_endpoints_(registry
                          .AddGauge("cchc_delivery_endpoints_open",
                                    "Endpoints whose circuit breaker is open or half-open (this replica's)")
                          .WithLabels({})),
      endpoint_states_(registry.AddGauge("cchc_webhook_endpoints",
                                         "Subscribers' webhook endpoints by health state (healthy, failing, unhealthy, "
                                         "disabled)",
                                         {"state"})),
      endpoints_disabled_(registry
                              .AddCounter("cchc_webhook_endpoints_disabled_total",
                                          "Webhook endpoints disabled (410, webhook-delivery: disable, or failing for "
                                          "the configured time)")
                              .WithLabels({})) {}

void DeliveryWorkers::Start() {
  stop_ = false;
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { AttemptLoop(i); });
  claimer_ = std::thread([this] { ClaimLoop(); });
}

void DeliveryWorkers::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (claimer_.joinable()) claimer_.join();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  // Claimed, not started: back to the queue at once rather than after their lease.
  std::vector<DueDelivery> unstarted;
  for (auto& c : queue_) {
    gate_.Abandon(c.endpoint);
    unstarted.push_back(std::move(c.delivery));
  }
  queue_.clear();
  try {
    store_.Unclaim(unstarted);
  } catch (const std::exception& e) {
    log::Warn("delivery: could not hand claims back (their leases will pass)", {{"error", e.what()}});
  }
}

void DeliveryWorkers::UpdateGauges() {
  pending_.Set(static_cast<double>(store_.PendingCount()));
  dead_gauge_.Set(static_cast<double>(store_.DeadLetterCount()));
  open_endpoints_.Set(static_cast<double>(gate_.OpenCount(EndpointGate::Clock::now())));
  for (const auto& [state, n] : health_.CountByState())
    endpoint_states_.WithLabels({state}).Set(static_cast<double>(n));
}

void DeliveryWorkers::DeferWaitingEndpoints() {
  for (const auto& d : gate_.Deferrals(EndpointGate::Clock::now())) {
    auto spacing = std::chrono::duration_cast<std::chrono::microseconds>(d.spacing).count();
    deferred_.Increment(static_cast<double>(store_.DeferEndpoint(d.endpoint, SystemMicros(d.until), spacing)));
  }
}

std::vector<DueDelivery> DeliveryWorkers::PostponeClosed(std::vector<DueDelivery> claimed, Clock::time_point now) {
  std::vector<DueDelivery> open;
  std::vector<std::pair<DueDelivery, int64_t>> waiting;
  for (auto& d : claimed) {
    Clock::time_point at = NextOpen(now, d.windows, holidays_);
    if (at == now) {
      open.push_back(std::move(d));
    } else {
      int64_t micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
      waiting.emplace_back(std::move(d), micros);
    }
  }
  store_.Postpone(waiting);
  window_waits_.Increment(static_cast<double>(waiting.size()));
  return open;
}

std::vector<DeliveryWorkers::Claimed> DeliveryWorkers::ClaimAdmitted(int limit) {
  std::vector<DueDelivery> admitted, refused;
  std::vector<std::string> endpoints;
  const Clock::time_point now = options_.now();
  for (auto& d :
       PostponeClosed(store_.ClaimDue(options_.lease, gate_.Blocked(EndpointGate::Clock::now()), limit, now), now)) {
    std::string endpoint = EndpointOf(d);
    auto refusal = gate_.TryAcquire(endpoint, EndpointGate::Clock::now());
    if (refusal == EndpointGate::Refusal::kNone) {
      admitted.push_back(std::move(d));
      endpoints.push_back(std::move(endpoint));
    } else {
      waits_.WithLabels({RefusalName(refusal)}).Increment();
      refused.push_back(std::move(d));
    }
  }
  try {
    store_.Unclaim(refused);
    store_.LoadItems(admitted);
  } catch (...) {
    // Not attempted: their leases pass and they are claimed again.
    for (const auto& e : endpoints) gate_.Abandon(e);
    throw;
  }
  std::vector<Claimed> out;
  for (size_t i = 0; i < admitted.size(); ++i) out.push_back({std::move(admitted[i]), std::move(endpoints[i])});
  return out;
}

void DeliveryWorkers::ClaimLoop() {
  NameThisThread("delivery-claim");
  auto last_upkeep = std::chrono::steady_clock::time_point{};
  while (!stop_) {
    try {
      if (std::chrono::steady_clock::now() - last_upkeep >= std::chrono::seconds(1)) {
        last_upkeep = std::chrono::steady_clock::now();
        DeferWaitingEndpoints();
        holidays_ = holiday_store_.From(LocalDay(options_.now()) - std::chrono::days(1));
        UpdateGauges();
      }
      int free = 0;
      uint64_t finished_before = 0;
      {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, options_.poll,
                          [&] { return stop_ || busy_ + static_cast<int>(queue_.size()) < options_.threads; });
        if (stop_) break;
        free = options_.threads - busy_ - static_cast<int>(queue_.size());
        finished_before = finished_;
      }
      if (free <= 0) continue;
      auto admitted = ClaimAdmitted(std::min(free, options_.claim_batch));
      if (!admitted.empty()) {
        {
          std::lock_guard lock(mutex_);
          for (auto& c : admitted) queue_.push_back(std::move(c));
        }
        changed_.notify_all();
        continue;
      }
      // Nothing claimable: wait for the poll, or for an attempt to end (its endpoint may take the next one).
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, options_.poll, [&] { return stop_ || finished_ != finished_before; });
    } catch (const std::exception& e) {
      log::Warn("delivery: claim error", {{"error", e.what()}});
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stop_.load(); });
    }
  }
}

void DeliveryWorkers::AttemptLoop(int index) {
  NameThisThread("delivery-" + std::to_string(index));
  std::mt19937_64 rng(std::random_device{}() + static_cast<uint64_t>(index));
  while (true) {
    Claimed c;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      c = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    try {
      AttemptAndRecord(c, rng);
    } catch (const std::exception& e) {
      // The outcome was not stored: the lease passes and the delivery is attempted again.
      log::Warn("delivery: worker error", {{"delivery", c.delivery.id}, {"error", e.what()}});
    }
    {
      std::lock_guard lock(mutex_);
      --busy_;
      ++finished_;
    }
    changed_.notify_all();
  }
}

AttemptResult DeliveryWorkers::Attempt(const DueDelivery& d) {
  if (d.channel == v1::WEBHOOK) {
    if (d.webhook_url.empty()) return {400, "the subscriber has no webhook_url any more"};
    // Each attempt is a span of its own: a child of the event's trace (AttemptAndRecord's scope).
    WebhookMessage message{WebhookMessageId(d.id), d.webhook_secrets,
                           WebhookBody(d.id, d.subscriber_id, d.items, d.digest_day),
                           trace::ChildOf(trace::CurrentOrNew()).ToHeader()};
    return PostWebhook(d.webhook_url, message, options_.webhook_timeout, options_.webhook);
  }
  if (d.channel == v1::EMAIL) {
    if (d.email.empty()) return {550, "the subscriber has no email any more"};
    std::string message = EmailMessage(options_.smtp.from, d.email, d.display_name, d.items, d.digest_day,
                                       d.id + "@cchc-notification", Rfc5322Now());
    return SendEmail(options_.smtp, d.email, message);
  }
  return {400, "channel " + ChannelName(d.channel) + " has no external delivery"};
}

void DeliveryWorkers::AttemptAndRecord(Claimed& c, std::mt19937_64& rng) {
  const DueDelivery& due = c.delivery;
  // The event's trace (a digest or an older row: a new one): the attempt's logs and its traceparent header.
  trace::Scope trace_scope(trace::Parse(due.traceparent).value_or(trace::NewTrace()));
  // Not attempted again when its attempts keep ending the worker (or stalling it past the lease): a dead letter
  // says so, where a crash loop would stop every delivery.
  const bool abandoned = due.lost_claims >= options_.max_lost_claims;
  // A digest whose notifications were all removed sends nothing.
  bool reached_endpoint = !due.items.empty() && !abandoned;
  auto started = std::chrono::steady_clock::now();
  AttemptResult result;
  try {
    if (abandoned) {
      result = {0, std::to_string(due.lost_claims) +
                       " earlier attempts never finished (the worker died or stalled mid-attempt); not tried again"};
      result.permanent = true;
    } else if (reached_endpoint && due.channel == v1::WEBHOOK && !due.webhook_disabled_reason.empty()) {
      // Not sent: a dead letter an operator can retry once the endpoint is enabled again.
      result = {0, "the webhook endpoint is disabled (" + due.webhook_disabled_reason + "); EnableWebhook turns it on",
                true};
      reached_endpoint = false;
    } else {
      result = reached_endpoint ? Attempt(due) : AttemptResult{0, ""};
    }
  } catch (...) {
    gate_.Abandon(c.endpoint);
    throw;
  }
  auto ended = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(ended - started).count();
  int attempt = due.attempt_count + 1;
  const bool webhook_answer = reached_endpoint && due.channel == v1::WEBHOOK;
  WebhookReaction reaction;
  if (webhook_answer) reaction = ReactToWebhook(c, result);
  Verdict verdict = Classify(result, due.channel == v1::EMAIL, attempt, due.attempt_budget);
  std::string channel = ChannelName(due.channel);
  if (reached_endpoint) {
    bool changed = false;
    BreakerState state = gate_.Release(c.endpoint, verdict == Verdict::kDelivered, ended, ended - started, &changed);
    if (changed) {
      breaker_changes_.WithLabels({BreakerStateName(state)}).Increment();
      log::Warn(state == BreakerState::kOpen ? "delivery: endpoint circuit breaker opened"
                                             : "delivery: endpoint circuit breaker closed",
                {{"subscriber", due.subscriber_id}, {"channel", channel}, {"error", result.error}});
    }
  } else {
    gate_.Abandon(c.endpoint);
  }
  AttemptOutcome outcome{"delivered", result.status_code, result.error.substr(0, 500),
                         static_cast<int64_t>(seconds * 1000), std::nullopt};
  outcome.response_body = result.response_body;
  outcome.response_truncated = result.response_truncated;
  if (verdict == Verdict::kRetry) {
    outcome.outcome = "retry";
    auto delay = due.channel == v1::WEBHOOK ? ScheduledDelay(options_.webhook_schedule, attempt, rng)
                                            : BackoffDelay(options_.backoff, attempt, rng);
    auto at = std::chrono::system_clock::now() + std::max(delay, reaction.wait);
    outcome.next_micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  } else if (verdict == Verdict::kDeadLetter) {
    outcome.outcome = "dead_letter";
  }
  RecordedOutcome recorded = store_.RecordOutcome(due, outcome, options_.attempt_budget);
  if (!recorded.recorded) {
    log::Warn("delivery: claim lost during the attempt (lease passed, or the subscriber was deleted)",
              {{"delivery", due.id}, {"channel", channel}, {"outcome", outcome.outcome}});
    lost_claims_.Increment();
    return;
  }
  if (webhook_answer) RecordHealth(due, result, reaction, verdict == Verdict::kDelivered);
  deliveries_.WithLabels({channel, outcome.outcome}).Increment();
  seconds_.WithLabels({channel}).Observe(seconds);
  if (recorded.moved) digest_moved_.Increment(recorded.moved);
  if (verdict == Verdict::kDeadLetter) {
    dead_letters_.Increment();
    log::Warn("delivery: dead letter", {{"delivery", due.id}, {"channel", channel}, {"error", result.error}});
  }
}

}  // namespace cchc::notification
