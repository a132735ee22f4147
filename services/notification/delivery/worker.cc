#include "worker.h"

#include "platform/cloudevents.h"
#include "platform/log.h"
#include "platform/thread_name.h"
#include "render.h"

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

}  // namespace

DeliveryWorkers::DeliveryWorkers(Repository& repository, WorkerOptions options, metrics::Registry& registry)
    : repository_(repository),
      options_(std::move(options)),
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
      pending_(registry.AddGauge("cchc_deliveries_pending", "Deliveries waiting for their due time or a retry")
                   .WithLabels({})),
      dead_gauge_(registry.AddGauge("cchc_delivery_dead_letters", "Deliveries currently in the dead-letter list")
                      .WithLabels({})) {}

void DeliveryWorkers::Start() {
  stop_ = false;
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this, i] {
      NameThisThread("delivery-" + std::to_string(i));
      std::mt19937_64 rng(std::random_device{}() + static_cast<uint64_t>(i));
      auto last_gauges = std::chrono::steady_clock::time_point{};
      while (!stop_) {
        bool worked = false;
        try {
          worked = RunOnce(rng);
          if (i == 0 && std::chrono::steady_clock::now() - last_gauges > std::chrono::seconds(1)) {
            pending_.Set(static_cast<double>(repository_.PendingCount()));
            dead_gauge_.Set(static_cast<double>(repository_.DeadLetterCount()));
            last_gauges = std::chrono::steady_clock::now();
          }
        } catch (const std::exception& e) {
          log::Warn("delivery: worker error", {{"error", e.what()}});
          std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        if (!worked)
          for (auto slept = std::chrono::milliseconds(0); slept < options_.poll && !stop_;
               slept += std::chrono::milliseconds(50))
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
}

void DeliveryWorkers::Stop() {
  stop_ = true;
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

AttemptResult DeliveryWorkers::Attempt(const DueDelivery& d) {
  if (d.items.empty()) return {0, ""};  // a digest whose notifications were all removed: nothing to send
  if (d.channel == v1::WEBHOOK) {
    if (d.webhook_url.empty()) return {400, "the subscriber has no webhook_url any more"};
    return PostWebhook(d.webhook_url, d.webhook_secret,
                       WebhookBody("deliveries/" + d.id, d.subscriber_id, d.items, d.digest_day),
                       options_.webhook_timeout, options_.webhook);
  }
  if (d.channel == v1::EMAIL) {
    if (d.email.empty()) return {550, "the subscriber has no email any more"};
    std::string message = EmailMessage(options_.smtp.from, d.email, d.display_name, d.items, d.digest_day,
                                       d.id + "@cchc-notification", Rfc5322Now());
    return SendEmail(options_.smtp, d.email, message);
  }
  return {400, "channel " + ChannelName(d.channel) + " has no external delivery"};
}

bool DeliveryWorkers::RunOnce(std::mt19937_64& rng) {
  auto due = repository_.ClaimDue(options_.lease);
  if (!due) return false;
  auto started = std::chrono::steady_clock::now();
  AttemptResult result = Attempt(*due);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int attempt = due->attempt_count + 1;
  Verdict verdict = Classify(result, due->channel == v1::EMAIL, attempt, due->attempt_budget);
  AttemptOutcome outcome{"delivered", result.status_code, result.error.substr(0, 500),
                         static_cast<int64_t>(seconds * 1000), std::nullopt};
  if (verdict == Verdict::kRetry) {
    outcome.outcome = "retry";
    auto at = std::chrono::system_clock::now() + BackoffDelay(options_.backoff, attempt, rng);
    outcome.next_micros = std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  } else if (verdict == Verdict::kDeadLetter) {
    outcome.outcome = "dead_letter";
  }
  RecordedOutcome recorded = repository_.RecordOutcome(*due, outcome, options_.attempt_budget);
  std::string channel = ChannelName(due->channel);
  if (!recorded.recorded) {
    log::Warn("delivery: claim lost during the attempt (lease passed, or the subscriber was deleted)",
              {{"delivery", due->id}, {"channel", channel}, {"outcome", outcome.outcome}});
    lost_claims_.Increment();
    return true;
  }
  deliveries_.WithLabels({channel, outcome.outcome}).Increment();
  seconds_.WithLabels({channel}).Observe(seconds);
  if (recorded.moved) digest_moved_.Increment(recorded.moved);
  if (verdict == Verdict::kDeadLetter) {
    dead_letters_.Increment();
    log::Warn("delivery: dead letter", {{"delivery", due->id}, {"channel", channel}, {"error", result.error}});
  }
  return true;
}

}  // namespace cchc::notification
