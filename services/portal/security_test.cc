#include "security.h"

#include <gtest/gtest.h>

namespace cchc::portal {
namespace {

using namespace std::chrono_literals;
const std::string kSecret = "a-secret-of-the-replicas-0123456789";
const auto kNow = std::chrono::system_clock::time_point(std::chrono::seconds(1529377200));  // 2018-06-19 03:00 UTC

TEST(ClientIdentity, IsAStableHashThatHidesTheAddress) {
  std::string id = ClientIdentity(kSecret, "203.0.113.7");
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find("203"), std::string::npos);
  EXPECT_EQ(id, ClientIdentity(kSecret, "203.0.113.7"));  // every replica computes the same
  EXPECT_NE(id, ClientIdentity(kSecret, "203.0.113.8"));
  EXPECT_NE(id, ClientIdentity("another-secret-0123456789", "203.0.113.7"));
}

TEST(CsrfToken, IsGoodForItsClientForTwoHours) {
  std::string client = ClientIdentity(kSecret, "203.0.113.7");
  std::string token = IssueCsrfToken(kSecret, client, kNow);
  EXPECT_TRUE(CheckCsrfToken(kSecret, client, token, kNow));
  EXPECT_TRUE(CheckCsrfToken(kSecret, client, token, kNow + 2h));
  EXPECT_FALSE(CheckCsrfToken(kSecret, client, token, kNow + 2h + 1s));  // expired
  EXPECT_TRUE(CheckCsrfToken(kSecret, client, token, kNow - 30s));       // another replica's clock a little behind
  EXPECT_FALSE(CheckCsrfToken(kSecret, client, token, kNow - 2min));     // issued in the future
}

TEST(CsrfToken, RefusesAnotherClientAnotherSecretAndTampering) {
  std::string client = ClientIdentity(kSecret, "203.0.113.7");
  std::string token = IssueCsrfToken(kSecret, client, kNow);
  EXPECT_FALSE(CheckCsrfToken(kSecret, ClientIdentity(kSecret, "198.51.100.1"), token, kNow));
  EXPECT_FALSE(CheckCsrfToken("another-secret-0123456789", client, token, kNow));
  std::string later = token;
  later[0] = later[0] == '9' ? '8' : '9';  // the time changed, the signature not
  EXPECT_FALSE(CheckCsrfToken(kSecret, client, later, kNow));
  std::string flipped = token;
  flipped.back() = flipped.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(CheckCsrfToken(kSecret, client, flipped, kNow));
  for (const char* bad : {"", ".", "abc", "1529377200", "1529377200.", ".deadbeef", "-5.00", "99999999999999999999.00"})
    EXPECT_FALSE(CheckCsrfToken(kSecret, client, bad, kNow)) << bad;
}

TEST(ClientAddress, TakesTheIngressEntryOnlyWhenTrusted) {
  EXPECT_EQ(ClientAddress("10.0.0.5", "1.2.3.4, 203.0.113.7", true), "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.7", true), "203.0.113.7");
  EXPECT_EQ(ClientAddress("10.0.0.5", "", true), "10.0.0.5");
  EXPECT_EQ(ClientAddress("10.0.0.5", "203.0.113.7", false), "10.0.0.5");  // a browser could write the header
}

}  // namespace
}  // namespace cchc::portal
