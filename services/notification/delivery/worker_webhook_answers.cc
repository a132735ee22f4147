// The delivery workers' part in a webhook endpoint's answers (rules/webhook_reply.h): 410 and
// `webhook-delivery` headers, Retry-After slowing the endpoint, and its health (store/endpoint_health.h).
#include "platform/log.h"
#include "worker.h"

namespace cchc::notification {

WebhookReaction DeliveryWorkers::ReactToWebhook(const Claimed& c, AttemptResult& result) {
  WebhookReaction r = ReactTo(result.status_code, result.retry_after, result.delivery_header,
                              std::chrono::system_clock::now(), options_.retry_after_max);
  if (!result.ok() && r.abort_message) {
    result.permanent = true;
    result.error += " (the receiver answered webhook-delivery: abort-message)";
  } else if (!result.ok() && r.disable_endpoint) {
    result.permanent = true;
    result.error += " (the endpoint is disabled)";
  }
  if (r.slow_down) {
    auto now = EndpointGate::Clock::now();
    gate_.SlowDown(c.endpoint, now + r.wait, now);
  }
  return r;
}

void DeliveryWorkers::RecordHealth(const DueDelivery& due, const AttemptResult& result, const WebhookReaction& reaction,
                                   bool delivered) {
  // A success at an endpoint with no failure on record (as claimed) writes nothing: the common case costs no
  // statement beyond the attempt's own.
  try {
    bool disabled = false;
    std::string reason;
    if (reaction.disable_endpoint) {
      reason = result.status_code == 410 ? "it answered 410 Gone" : "it answered webhook-delivery: disable";
      disabled = health_.Disable(due.subscriber_id, reason);
    } else if ((!delivered || due.endpoint_health_row) && health_.RecordAttempt(due.subscriber_id, delivered)) {
      disabled = true;
      reason = "every attempt failed for the configured time";
    }
    if (disabled) {
      endpoints_disabled_.Increment();
      log::Warn("delivery: webhook endpoint disabled; its owner was told (EnableWebhook turns it on)",
                {{"subscriber", due.subscriber_id}, {"reason", reason}});
    }
  } catch (const std::exception& e) {
    log::Warn("delivery: could not record the endpoint's health",
              {{"subscriber", due.subscriber_id}, {"error", e.what()}});
  }
}

}  // namespace cchc::notification
