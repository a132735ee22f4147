#include "webhook_target.h"

#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

namespace cchc::notification {
namespace {

using Url = std::unique_ptr<CURLU, void (*)(CURLU*)>;

// One part of a parsed URL; nullopt when the URL has none.
std::optional<std::string> Part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, flags) != CURLUE_OK || value == nullptr) return std::nullopt;
  std::string s(value);
  curl_free(value);
  return s;
}

WebhookTarget Refuse(WebhookTarget::Refusal why, std::string error) {
  WebhookTarget t;
  t.refusal = why;
  t.error = std::move(error);
  return t;
}

}  // namespace

Resolver::Answer SystemResolver::Resolve(const std::string& host, int port) const {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* list = nullptr;
  int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list);
  if (rc != 0) return {{}, gai_strerror(rc)};
  Answer answer;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    IpAddress a;
    if (ai->ai_family == AF_INET) {
      std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr, 4);
    } else if (ai->ai_family == AF_INET6) {
      a.v6 = true;
      std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    answer.addresses.push_back(a);
  }
  freeaddrinfo(list);
  if (answer.addresses.empty()) answer.error = "no IPv4 or IPv6 address";
  return answer;
}

std::string WebhookTarget::CurlResolveEntry() const {
  if (host.find(':') != std::string::npos) return "";
  std::string a = address.v6 ? "[" + address.ToString() + "]" : address.ToString();
  return host + ":" + std::to_string(port) + ":" + a;
}

WebhookTarget VetWebhookUrl(const WebhookPolicy& policy, const std::string& url) {
  using R = WebhookTarget::Refusal;
  Url u(curl_url(), curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return Refuse(R::kUrl, "not a valid URL");
  auto scheme = Part(u.get(), CURLUPART_SCHEME);
  if (scheme != "http" && scheme != "https") return Refuse(R::kUrl, "only http:// and https:// URLs");
  if (policy.require_https && scheme != "https") return Refuse(R::kUrl, "https:// required (--webhook-require-https)");
  if (Part(u.get(), CURLUPART_USER) || Part(u.get(), CURLUPART_PASSWORD))
    return Refuse(R::kUrl, "no user name or password in the URL");
  auto host = Part(u.get(), CURLUPART_HOST);
  auto port = Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!host || host->empty() || !port) return Refuse(R::kUrl, "the URL has no host");
  if (Part(u.get(), CURLUPART_ZONEID)) return Refuse(R::kUrl, "no IPv6 zone id in the URL");
  WebhookTarget t;
  t.host = *host;
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = std::stoi(*port);
  // An address literal is its own answer; a name goes to the resolver.
  auto literal = ParseIp(t.host);
  auto answer = literal ? Resolver::Answer{{*literal}, ""} : policy.resolver->Resolve(t.host, t.port);
  if (!answer.error.empty() || answer.addresses.empty())
    return Refuse(R::kUnresolved, t.host + " does not resolve: " + answer.error);
  if (auto why = Decide(answer.addresses, policy.allow)) return Refuse(R::kAddress, t.host + " resolves to " + *why);
  t.address = answer.addresses.front();
  return t;
}

}  // namespace cchc::notification
