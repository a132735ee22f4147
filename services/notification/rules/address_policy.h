#pragma once
// The SSRF policy of webhooks: which resolved addresses a delivery may connect to. Pure functions, no network.
// Refused unless an allow-list entry covers the address: loopback, private, link-local (with the cloud metadata
// address 169.254.169.254), CGNAT, unique-local, multicast, unspecified and reserved ranges, in IPv4, IPv6
// and IPv4-mapped/compatible IPv6 form (an IPv4-mapped address is judged, and allowed, as its IPv4 address).
#include <array>
#include <optional>
#include <string>
#include <vector>

namespace cchc::notification {

// An IPv4 or IPv6 address. IPv4 is kept in the first 4 bytes of `bytes`.
struct IpAddress {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};
  std::string ToString() const;
};

// A subnet, e.g. 127.0.0.0/8 or fd00::/8. `prefix` ≤ 32 (IPv4) or ≤ 128 (IPv6).
struct Cidr {
  IpAddress network;
  int prefix = 0;
  bool Contains(const IpAddress& a) const;  // a different family never matches (mapped forms: see Decide)
};

// "10.1.2.3" or "::1" (no brackets, no zone); nullopt when not a numeric address.
std::optional<IpAddress> ParseIp(const std::string& text);
// "a.b.c.d/n" or "v6/n"; a bare address means /32 or /128. nullopt on anything else, including host bits set
// beyond the prefix ("10.0.0.1/8"), so an operator's typo is not silently widened.
std::optional<Cidr> ParseCidr(const std::string& text);

// The refused range `a` falls in, e.g. "loopback (127.0.0.0/8)"; nullopt when `a` is public.
std::optional<std::string> RefusedRange(const IpAddress& a);

// Nullopt when every address may be connected to; else why not ("127.0.0.1 is loopback (127.0.0.0/8)").
// Any refused address refuses the whole list, and an empty list is refused (nothing to vet).
std::optional<std::string> Decide(const std::vector<IpAddress>& resolved, const std::vector<Cidr>& allow);

}  // namespace cchc::notification
