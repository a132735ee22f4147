#include "page_token.h"

#include <gtest/gtest.h>

#include "auth.h"
#include "page_token_keys.h"

namespace cchc::paging {
namespace {

TEST(PageToken, RoundTrips) {
  nlohmann::json cursor = {{"d", "2018-06-07"}, {"s", 42}, {"f", "abc"}};
  auto token = EncodeToken(cursor);
  auto back = DecodeToken(token);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, cursor);
}

TEST(PageToken, RejectsTamperingAndGarbage) {
  auto token = EncodeToken({{"s", 1}});
  token[token.size() / 2] = token[token.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(DecodeToken(token));
  EXPECT_FALSE(DecodeToken("not a token!"));
  EXPECT_FALSE(DecodeToken(""));
  EXPECT_FALSE(DecodeToken(std::string(1000, 'A')));
}

TEST(PageToken, AForgedTokenIsRefused) {
  // What a caller could mint before tokens were keyed: the body behind an unkeyed digest.
  std::string body = nlohmann::json({{"d", "2099-01-01"}, {"s", 1}, {"f", "abc"}}).dump();
  EXPECT_FALSE(DecodeToken(Base64UrlEncode(std::string(32, '\0') + body)));
  EXPECT_FALSE(DecodeToken(Base64UrlEncode(crypto::Sha256Hex(body).substr(0, 32) + body)));
  // A real token with its cursor swapped for another keeps the old MAC: refused.
  auto raw = *Base64UrlDecode(EncodeToken({{"s", 1}}));
  EXPECT_FALSE(DecodeToken(Base64UrlEncode(raw.substr(0, 32) + R"({"s":2})")));
}

TEST(PageToken, TheCurrentKeySignsAndThePreviousStillVerifies) {
  TokenKeys before = InstalledTokenKeys();
  const std::string old_key(40, 'o'), new_key(40, 'n'), other_key(40, 'x');
  InstallTokenKeys({old_key, ""});
  auto old_token = EncodeToken({{"s", 7}});
  InstallTokenKeys({new_key, old_key});  // rotation: new first, old still accepted
  auto new_token = EncodeToken({{"s", 8}});
  EXPECT_EQ((*DecodeToken(old_token))["s"], 7);
  EXPECT_EQ((*DecodeToken(new_token))["s"], 8);
  InstallTokenKeys({new_key, ""});  // rotation over
  EXPECT_FALSE(DecodeToken(old_token));
  EXPECT_TRUE(DecodeToken(new_token));
  InstallTokenKeys({other_key, ""});  // another deployment's secret
  EXPECT_FALSE(DecodeToken(new_token));
  InstallTokenKeys(before);
}

TEST(Base64Url, RoundTripsAllLengths) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x10"}) {
    auto back = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
  }
}

}  // namespace
}  // namespace cchc::paging
