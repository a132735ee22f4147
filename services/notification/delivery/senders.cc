#include "senders.h"

#include <cctype>
#include <string_view>

#include "curl_handle.h"
#include "response_capture.h"
#include "rules/signature.h"

namespace cchc::notification {

namespace {

// Keeps the response headers rules/webhook_reply.h reads (the last of each, bounded).
size_t KeepReplyHeaders(char* data, size_t size, size_t n, void* out) {
  auto* result = static_cast<AttemptResult*>(out);
  std::string_view line(data, size * n);
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name(line.substr(0, colon));
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
  value = value.substr(0, 200);
  if (name == "retry-after") result->retry_after = std::string(value);
  if (name == "webhook-delivery") result->delivery_header = std::string(value);
  return size * n;
}

}  // namespace

AttemptResult PostWebhook(const std::string& url, const WebhookMessage& message, std::chrono::milliseconds timeout,
                          const WebhookPolicy& policy) {
  const std::string& body = message.body;
  WebhookTarget target = VetWebhookUrl(policy, url);
  if (!target.ok()) {
    AttemptResult refused{0, "refused by the SSRF policy: " + target.error};
    refused.permanent = target.refusal != WebhookTarget::Refusal::kUnresolved;
    return refused;
  }
  Slist pinned(nullptr, curl_slist_free_all);
  if (std::string entry = target.CurlResolveEntry(); !entry.empty())
    pinned.reset(curl_slist_append(nullptr, entry.c_str()));
  Curl curl = NewCurl();
  if (!curl) return {0, "curl_easy_init failed"};
  std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  Slist headers(nullptr, curl_slist_free_all);
  curl_slist* h = nullptr;
  h = curl_slist_append(h, "Content-Type: application/json; charset=utf-8");
  h = curl_slist_append(h, ("webhook-id: " + message.id).c_str());
  h = curl_slist_append(h, ("webhook-timestamp: " + ts).c_str());
  h = curl_slist_append(h, ("webhook-signature: " + SignatureHeader(message.secrets, message.id, ts, body)).c_str());
  if (!message.traceparent.empty()) h = curl_slist_append(h, ("traceparent: " + message.traceparent).c_str());
  h = curl_slist_append(h, "Expect:");
  headers.reset(h);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  ResponseCapture response;
  response.Attach(curl.get());
  AttemptResult reply;
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, KeepReplyHeaders);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &reply);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "cchc-notification/1");
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_PROXY, "");  // no *_proxy from the environment: it would bypass the pin
  curl_easy_setopt(curl.get(), CURLOPT_RESOLVE, pinned.get());
  CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK && !response.EndedByLimit(rc)) return {0, curl_easy_strerror(rc)};
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  reply.status_code = static_cast<int>(status);
  if (status < 200 || status >= 300) reply.error = "HTTP " + std::to_string(status);
  reply.response_body = response.body();
  reply.response_truncated = response.truncated();
  return reply;
}

}  // namespace cchc::notification
