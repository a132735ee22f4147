#pragma once
// Where a webhook may go (the SSRF policy, rules/address_policy.h, applied to a URL): the URL is parsed (http
// or https only, no user:password@), its host resolved through a Resolver, and every address vetted. The
// caller connects only to the vetted address it gets back (CURLOPT_RESOLVE), so a DNS answer that changes
// between check and connect is never used. Thread-safe: a policy is read-only after construction.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/address_policy.h"

namespace cchc::notification {

// Resolves a host name for a TCP connection. Implementations must be thread-safe.
class Resolver {
 public:
  struct Answer {
    std::vector<IpAddress> addresses;
    std::string error;  // non-empty when the name did not resolve (then `addresses` is empty)
  };
  virtual ~Resolver() = default;
  virtual Answer Resolve(const std::string& host, int port) const = 0;
};

// getaddrinfo(3), blocking, as the system resolver configures it.
class SystemResolver final : public Resolver {
 public:
  Answer Resolve(const std::string& host, int port) const override;
};

struct WebhookPolicy {
  std::vector<Cidr> allow;     // --webhook-allow-cidr
  bool require_https = false;  // --webhook-require-https
  std::shared_ptr<const Resolver> resolver = std::make_shared<SystemResolver>();
};

// The outcome of vetting one URL.
struct WebhookTarget {
  enum class Refusal { kNone, kUrl, kUnresolved, kAddress };
  Refusal refusal = Refusal::kNone;
  std::string error;  // why, for a person; empty when kNone
  std::string host;   // as in the URL, without IPv6 brackets
  int port = 0;       // explicit or the scheme's default
  IpAddress address;  // the vetted address to connect to (the first the resolver gave)
  bool ok() const { return refusal == Refusal::kNone; }
  // "host:port:address" for CURLOPT_RESOLVE; empty for an IPv6-literal host, which curl never resolves.
  std::string CurlResolveEntry() const;
};

// Parses, resolves (an address literal is taken as it is) and vets `url` under `policy`. Never connects.
WebhookTarget VetWebhookUrl(const WebhookPolicy& policy, const std::string& url);

}  // namespace cchc::notification
