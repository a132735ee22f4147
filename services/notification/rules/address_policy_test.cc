#include "address_policy.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

IpAddress Ip(const std::string& text) {
  auto a = ParseIp(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(IpAddress{});
}

std::vector<Cidr> Allow(std::initializer_list<const char*> cidrs) {
  std::vector<Cidr> out;
  for (const char* c : cidrs) out.push_back(*ParseCidr(c));
  return out;
}

// Each refused range at its first, inner and last address, with the name reported.
TEST(AddressPolicy, RefusesEveryNonPublicRange) {
  struct Case {
    const char* address;
    const char* range;
  } cases[] = {
      {"127.0.0.1", "loopback (127.0.0.0/8)"},
      {"127.255.255.254", "loopback (127.0.0.0/8)"},
      {"10.0.0.0", "private (10.0.0.0/8)"},
      {"10.255.255.255", "private (10.0.0.0/8)"},
      {"172.16.0.1", "private (172.16.0.0/12)"},
      {"172.31.255.255", "private (172.16.0.0/12)"},
      {"192.168.1.10", "private (192.168.0.0/16)"},
      {"169.254.0.1", "link-local (169.254.0.0/16)"},
      {"169.254.169.254", "cloud metadata (link-local) (169.254.169.254/32)"},
      {"100.64.0.1", "CGNAT (100.64.0.0/10)"},
      {"100.127.255.255", "CGNAT (100.64.0.0/10)"},
      {"224.0.0.1", "multicast (224.0.0.0/4)"},
      {"239.255.255.250", "multicast (224.0.0.0/4)"},
      {"0.0.0.0", "unspecified (0.0.0.0/8)"},
      {"0.1.2.3", "unspecified (0.0.0.0/8)"},
      {"255.255.255.255", "reserved (240.0.0.0/4)"},
      {"192.0.2.7", "documentation (192.0.2.0/24)"},
      {"198.18.0.1", "benchmarking (198.18.0.0/15)"},
      {"::1", "loopback (::1/128)"},
      {"::", "unspecified (::/128)"},
      {"fe80::1", "link-local (fe80::/10)"},
      {"febf:ffff::1", "link-local (fe80::/10)"},
      {"fc00::1", "unique-local (fc00::/7)"},
      {"fd12:3456::1", "unique-local (fc00::/7)"},
      {"ff02::1", "multicast (ff00::/8)"},
      {"ff0e::1", "multicast (ff00::/8)"},
      {"2001:db8::1", "documentation (2001:db8::/32)"},
      {"fec0::1", "site-local (fec0::/10)"},
      {"::ffff:127.0.0.1", "IPv4-embedded loopback (127.0.0.0/8)"},
      {"::ffff:10.1.2.3", "IPv4-embedded private (10.0.0.0/8)"},
      {"::ffff:169.254.169.254", "IPv4-embedded cloud metadata (link-local) (169.254.169.254/32)"},
      {"::ffff:192.168.0.1", "IPv4-embedded private (192.168.0.0/16)"},
      {"::ffff:100.64.0.1", "IPv4-embedded CGNAT (100.64.0.0/10)"},
      {"::ffff:0.0.0.0", "IPv4-embedded unspecified (0.0.0.0/8)"},
      {"::127.0.0.1", "IPv4-embedded loopback (127.0.0.0/8)"},                                   // IPv4-compatible
      {"64:ff9b::a9fe:a9fe", "IPv4-embedded cloud metadata (link-local) (169.254.169.254/32)"},  // NAT64
  };
  for (const auto& c : cases) {
    auto range = RefusedRange(Ip(c.address));
    EXPECT_EQ(range.value_or("public"), c.range) << c.address;
    auto why = Decide({Ip(c.address)}, {});
    ASSERT_TRUE(why) << c.address;
    EXPECT_NE(why->find(c.range), std::string::npos) << *why;
  }
}

TEST(AddressPolicy, AcceptsPublicAddressesAtTheRangeEdges) {
  for (const char* a :
       {"8.8.8.8",         "9.255.255.255",   "11.0.0.0",        "100.63.255.255",  "100.128.0.0",
        "126.255.255.255", "128.0.0.0",       "169.253.255.255", "169.255.0.0",     "172.15.255.255",
        "172.32.0.0",      "192.167.255.255", "192.169.0.0",     "223.255.255.255", "203.162.4.190",
        "2001:4860::8888", "2402:800::1",     "fbff:ffff::1",    "::ffff:8.8.8.8",  "64:ff9b::808:808"}) {
    EXPECT_EQ(RefusedRange(Ip(a)), std::nullopt) << a;
    EXPECT_EQ(Decide({Ip(a)}, {}), std::nullopt) << a;
  }
}

TEST(AddressPolicy, AnyRefusedAddressRefusesTheHost) {
  auto why = Decide({Ip("203.162.4.190"), Ip("2001:4860::8888"), Ip("10.0.0.5")}, {});
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("10.0.0.5 is private"), std::string::npos) << *why;
  EXPECT_TRUE(Decide({}, {}));  // nothing resolved: nothing vetted
}

TEST(AddressPolicy, AllowListCoversOnlyItsSubnet) {
  auto allow = Allow({"127.0.0.0/8", "10.20.0.0/16", "fd00:1::/32"});
  EXPECT_EQ(Decide({Ip("127.0.0.1"), Ip("127.9.9.9")}, allow), std::nullopt);
  EXPECT_EQ(Decide({Ip("10.20.255.1")}, allow), std::nullopt);
  EXPECT_EQ(Decide({Ip("fd00:1:ffff::1")}, allow), std::nullopt);
  EXPECT_TRUE(Decide({Ip("10.21.0.1")}, allow));
  EXPECT_TRUE(Decide({Ip("fd00:2::1")}, allow));
  EXPECT_TRUE(Decide({Ip("::1")}, allow));                           // IPv6 loopback is not in 127.0.0.0/8
  EXPECT_TRUE(Decide({Ip("169.254.169.254")}, allow));               // nor the metadata address
  EXPECT_TRUE(Decide({Ip("127.0.0.1"), Ip("192.168.1.1")}, allow));  // one allowed, one refused
  // A mapped address is allowed as its IPv4 address.
  EXPECT_EQ(Decide({Ip("::ffff:127.0.0.1")}, allow), std::nullopt);
  EXPECT_TRUE(Decide({Ip("::ffff:10.21.0.1")}, allow));
  EXPECT_EQ(Decide({Ip("169.254.169.254")}, Allow({"169.254.169.254"})), std::nullopt);  // a bare address: /32
}

TEST(AddressPolicy, ParsesCidrsStrictly) {
  auto c = ParseCidr("172.16.0.0/12");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->network.v6);
  EXPECT_EQ(c->prefix, 12);
  EXPECT_EQ(ParseCidr("::1")->prefix, 128);
  EXPECT_EQ(ParseCidr("10.0.0.7")->prefix, 32);
  EXPECT_EQ(ParseCidr("0.0.0.0/0")->prefix, 0);
  EXPECT_TRUE(ParseCidr("0.0.0.0/0")->Contains(Ip("8.8.8.8")));
  EXPECT_FALSE(ParseCidr("0.0.0.0/0")->Contains(Ip("::1")));  // another family
  for (const char* bad : {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.1/8", "10.0.0.0/8x", "10.0.0.0/-1",
                          "10.0.0/8", "localhost", "fe80::1%eth0/64", "10.0.0.0/0008"})
    EXPECT_EQ(ParseCidr(bad), std::nullopt) << bad;
}

TEST(AddressPolicy, PrintsAddresses) {
  EXPECT_EQ(Ip("169.254.169.254").ToString(), "169.254.169.254");
  EXPECT_EQ(Ip("0:0:0:0:0:ffff:7f00:1").ToString(), "::ffff:127.0.0.1");
}

}  // namespace
}  // namespace cchc::notification
