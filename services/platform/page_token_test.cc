#include "page_token.h"

#include <gtest/gtest.h>

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

TEST(Base64Url, RoundTripsAllLengths) {
  for (std::string s : {"", "a", "ab", "abc", "abcd", "\xff\x00\x10"}) {
    auto back = Base64UrlDecode(Base64UrlEncode(s));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, s);
  }
}

}  // namespace
}  // namespace cchc::paging
