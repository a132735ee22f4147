#include "address_policy.h"

#include <arpa/inet.h>

#include <cstring>

namespace cchc::notification {
namespace {

struct Range {
  const char* cidr;
  const char* name;
};

// Order matters only for the name reported: the narrower range first.
constexpr Range kRefusedV4[] = {
    {"0.0.0.0/8", "unspecified"},
    {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "CGNAT"},
    {"127.0.0.0/8", "loopback"},
    {"169.254.169.254/32", "cloud metadata (link-local)"},
    {"169.254.0.0/16", "link-local"},
    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "reserved"},
    {"192.0.2.0/24", "documentation"},
    {"192.168.0.0/16", "private"},
    {"198.18.0.0/15", "benchmarking"},
    {"198.51.100.0/24", "documentation"},
    {"203.0.113.0/24", "documentation"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved"},
};
constexpr Range kRefusedV6[] = {
    {"::/128", "unspecified"},          {"::1/128", "loopback"},      {"100::/64", "discard"},
    {"2001:db8::/32", "documentation"}, {"fc00::/7", "unique-local"}, {"fe80::/10", "link-local"},
    {"fec0::/10", "site-local"},        {"ff00::/8", "multicast"},
};

Cidr Must(const char* text) {
  return *ParseCidr(text);  // the tables above are valid
}

// The IPv4 address an IPv6 one stands for: IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96 (but not :: and
// ::1) and the NAT64 well-known prefix 64:ff9b::/96.
std::optional<IpAddress> EmbeddedV4(const IpAddress& a) {
  if (!a.v6) return std::nullopt;
  static const Cidr mapped = Must("::ffff:0:0/96"), compatible = Must("::/96"), nat64 = Must("64:ff9b::/96");
  bool compat =
      compatible.Contains(a) && !(a.bytes[12] == 0 && a.bytes[13] == 0 && a.bytes[14] == 0 && a.bytes[15] <= 1);
  if (!mapped.Contains(a) && !compat && !nat64.Contains(a)) return std::nullopt;
  IpAddress v4;
  std::memcpy(v4.bytes.data(), a.bytes.data() + 12, 4);
  return v4;
}

bool Allowed(const IpAddress& a, const std::vector<Cidr>& allow) {
  for (const auto& c : allow)
    if (c.Contains(a)) return true;
  return false;
}

}  // namespace

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

bool Cidr::Contains(const IpAddress& a) const {
  if (a.v6 != network.v6) return false;
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a.bytes.data(), network.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (network.bytes[full] & mask);
}

std::optional<IpAddress> ParseIp(const std::string& text) {
  IpAddress a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) return a;
  a.v6 = true;
  if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::optional<Cidr> ParseCidr(const std::string& text) {
  auto slash = text.find('/');
  auto address = ParseIp(text.substr(0, slash));
  if (!address) return std::nullopt;
  int max = address->v6 ? 128 : 32, prefix = max;
  if (slash != std::string::npos) {
    std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    prefix = std::stoi(p);
    if (prefix > max) return std::nullopt;
  }
  Cidr c{*address, prefix};
  // No host bits beyond the prefix.
  for (int bit = prefix; bit < max; ++bit)
    if (address->bytes[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
  return c;
}

std::optional<std::string> RefusedRange(const IpAddress& a) {
  if (auto v4 = EmbeddedV4(a)) {
    if (auto r = RefusedRange(*v4)) return "IPv4-embedded " + *r;
    return std::nullopt;
  }
  static const auto table = [] {
    std::vector<std::pair<Cidr, std::string>> t;
    for (const auto& r : kRefusedV4) t.emplace_back(Must(r.cidr), std::string(r.name) + " (" + r.cidr + ")");
    for (const auto& r : kRefusedV6) t.emplace_back(Must(r.cidr), std::string(r.name) + " (" + r.cidr + ")");
    return t;
  }();
  for (const auto& [cidr, name] : table)
    if (cidr.Contains(a)) return name;
  return std::nullopt;
}

std::optional<std::string> Decide(const std::vector<IpAddress>& resolved, const std::vector<Cidr>& allow) {
  if (resolved.empty()) return "the host has no address";
  for (const auto& a : resolved) {
    if (Allowed(a, allow)) continue;
    auto v4 = EmbeddedV4(a);
    if (v4 && Allowed(*v4, allow)) continue;
    if (auto range = RefusedRange(a)) return a.ToString() + " is " + *range + ", not in --webhook-allow-cidr";
  }
  return std::nullopt;
}

}  // namespace cchc::notification
