#pragma once
// What a webhook receiver's answer asks of us beyond success or failure (Standard Webhooks' delivery rules, Svix's
// receiver headers): 410 Gone disables the endpoint; 429, 502, 504 and a `Retry-After` slow it down (its rate
// halves and its next attempt waits for `Retry-After`, bounded); the response header `webhook-delivery: disable`
// disables the endpoint, `webhook-delivery: abort-message` gives up on this message (a dead letter at once).
// Pure functions: the worker applies the reaction (delivery/worker.cc).
#include <chrono>
#include <optional>
#include <string_view>

namespace cchc::notification {

enum class DeliveryDirective { kNone, kDisable, kAbortMessage };

// The `webhook-delivery` header's value, case-insensitive and trimmed; kNone for an absent or unknown one.
DeliveryDirective ParseDeliveryDirective(std::string_view value);

// `Retry-After` (RFC 9110): delay-seconds, or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") taken relative to
// `now` (a past date: zero). nullopt for an absent or malformed value.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now);

struct WebhookReaction {
  bool disable_endpoint = false;      // 410, or `webhook-delivery: disable`
  bool abort_message = false;         // `webhook-delivery: abort-message` on a failure: no more attempts of it
  bool slow_down = false;             // 429, 502, 504, or a failure carrying `Retry-After`
  std::chrono::milliseconds wait{0};  // the endpoint's next attempt not before this (Retry-After, at most max_wait)
};

// The reaction to an answer with HTTP `status` (0: none came) and the two headers' raw values (empty: absent).
// A success only honours `disable`; Retry-After counts on a failure only.
WebhookReaction ReactTo(int status, std::string_view retry_after, std::string_view delivery_header,
                        std::chrono::system_clock::time_point now, std::chrono::milliseconds max_wait);

}  // namespace cchc::notification
