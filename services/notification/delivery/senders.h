#pragma once
// The two external channels over libcurl. Each call makes one attempt within its timeout and reports the
// status (HTTP status or SMTP reply code, 0 when none came) and an error; retry decisions are the caller's.
#include <chrono>
#include <string>
#include <vector>

#include "rules/retry.h"
#include "smtp.h"  // SendEmail
#include "webhook_target.h"

namespace cchc::notification {

// One webhook message: its webhook-id (the same on every attempt), the secrets that sign it (the current one
// first, the previous one during a rotation's grace period) and the JSON body.
struct WebhookMessage {
  std::string id;
  std::vector<std::string> secrets;
  std::string body;
  std::string traceparent;  // W3C Trace Context of this attempt (a child of the event's); empty: no header
};

// POST `message.body` (application/json) to `url` with the Standard Webhooks headers webhook-id, webhook-timestamp
// (now) and webhook-signature (rules/signature.h), and `traceparent` unless empty. Success: 2xx.
// The URL is vetted under `policy` first (webhook_target.h) and the connection goes to the vetted address
// only; a refused URL is a `permanent` failure, a name that does not resolve a retryable one. Redirects are
// not followed (3xx is a failure), proxies are not used, and only http and https are spoken. The answer's body is
// kept up to 4096 bytes (response_capture.h).
AttemptResult PostWebhook(const std::string& url, const WebhookMessage& message, std::chrono::milliseconds timeout,
                          const WebhookPolicy& policy);

}  // namespace cchc::notification
