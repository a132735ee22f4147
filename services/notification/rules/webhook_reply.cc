#include "rules/webhook_reply.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <string>

namespace cchc::notification {
namespace {

std::string Trim(std::string_view v) {
  auto space = [](unsigned char c) { return c == ' ' || c == '\t'; };
  while (!v.empty() && space(v.front())) v.remove_prefix(1);
  while (!v.empty() && space(v.back())) v.remove_suffix(1);
  return std::string(v);
}

std::string TrimLower(std::string_view v) {
  std::string out = Trim(v);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

DeliveryDirective ParseDeliveryDirective(std::string_view value) {
  std::string v = TrimLower(value);
  if (v == "disable") return DeliveryDirective::kDisable;
  if (v == "abort-message") return DeliveryDirective::kAbortMessage;
  return DeliveryDirective::kNone;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::chrono::system_clock::time_point now) {
  std::string v = Trim(value);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (v.size() > 9) return std::chrono::seconds(999999999);  // absurdly long; the caller bounds it
    return std::chrono::seconds(std::stoll(v));
  }
  std::tm tm{};
  const char* end = strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (at <= now) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(at - now);
}

WebhookReaction ReactTo(int status, std::string_view retry_after, std::string_view delivery_header,
                        std::chrono::system_clock::time_point now, std::chrono::milliseconds max_wait) {
  WebhookReaction r;
  const bool ok = status >= 200 && status < 300;
  DeliveryDirective directive = ParseDeliveryDirective(delivery_header);
  r.disable_endpoint = status == 410 || directive == DeliveryDirective::kDisable;
  if (ok) return r;
  r.abort_message = directive == DeliveryDirective::kAbortMessage;
  auto after = ParseRetryAfter(retry_after, now);
  r.slow_down = status == 429 || status == 502 || status == 504 || after.has_value();
  if (after) r.wait = std::min<std::chrono::milliseconds>(*after, max_wait);
  return r;
}

}  // namespace cchc::notification
