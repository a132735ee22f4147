#pragma once
// Retry rules of webhook and e-mail deliveries: which outcomes are worth another attempt, and when.
// Backoff is exponential with full jitter: attempt n waits a uniform random time in [0, min(cap, base·2^(n-1))].
#include <chrono>
#include <random>
#include <string>

namespace cchc::notification {

// What one attempt produced.
struct AttemptResult {
  int status_code = 0;     // HTTP status or SMTP reply code; 0 when no answer came (network error, timeout)
  std::string error;       // empty on success
  bool permanent = false;  // no later attempt can succeed (refused by the SSRF policy, an SMTP server that refused
                           // TLS): a dead letter at once

  // The first kResponseBodyLimit bytes of an HTTP answer's body (delivery/response_capture.h); whether it had more.
  std::string response_body{};
  bool response_truncated = false;
  // A webhook answer's `Retry-After` and `webhook-delivery` headers as received (empty: absent); see
  // rules/webhook_reply.h.
  std::string retry_after = {}, delivery_header = {};
  bool ok() const { return error.empty(); }
};

enum class Verdict { kDelivered, kRetry, kDeadLetter };

// Delivered on success; a dead letter at once when `permanent`; retry on network errors (no status), HTTP 3xx (a
// redirect is never followed: a failure), 5xx, 408 and 429, and SMTP 4xx (transient); dead letter at once on any other
// 4xx (HTTP) or 5xx (SMTP, permanent); a retryable failure on the last allowed attempt is a dead letter too.
Verdict Classify(const AttemptResult& result, bool smtp, int attempt, int max_attempts);

struct BackoffPolicy {
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{std::chrono::minutes(10)};
};

// The upper bound of the wait after failed attempt `attempt` (1-based): min(cap, base·2^(attempt-1)).
std::chrono::milliseconds BackoffCeiling(const BackoffPolicy& policy, int attempt);
// A uniform draw in [0, BackoffCeiling].
std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempt, std::mt19937_64& rng);

}  // namespace cchc::notification
