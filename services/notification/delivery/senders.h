#pragma once
// The two external channels over libcurl. Each call makes one attempt within its timeout and reports the
// status (HTTP status or SMTP reply code, 0 when none came) and an error; retry decisions are the caller's.
#include <chrono>
#include <string>

#include "rules/retry.h"
#include "smtp.h"  // SendEmail

namespace cchc::notification {

// POST `body` (application/json) to `url` with the signature headers (rules/signature.h). Success: 2xx.
AttemptResult PostWebhook(const std::string& url, const std::string& secret, const std::string& body,
                          std::chrono::milliseconds timeout);

}  // namespace cchc::notification
