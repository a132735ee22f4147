#include "rules/comment_client.h"

#include <gtest/gtest.h>

namespace cchc::news {
namespace {

TEST(CommentClient, OnlyATrustedCallerNamesTheClient) {
  std::string key = "stale";
  EXPECT_FALSE(ClientKey(false, "9a0364b9e99bb480dd25e1f0284c8555", &key));
  EXPECT_EQ(key, "");
  EXPECT_FALSE(ClientKey(true, std::nullopt, &key));
  EXPECT_EQ(key, "");
  EXPECT_FALSE(ClientKey(true, "9a0364b9e99bb480dd25e1f0284c8555", &key));
  EXPECT_EQ(key.size(), 64u);
  std::string other;
  EXPECT_FALSE(ClientKey(true, "1b2f3c", &other));
  EXPECT_NE(key, other);
}

TEST(CommentClient, ATrustedCallersMalformedValueNamesTheKey) {
  std::string key;
  for (std::string bad : {std::string(), std::string(129, 'a'), std::string("a b"), std::string("Hà Nội")}) {
    auto e = ClientKey(true, bad, &key);
    ASSERT_TRUE(e) << bad;
    EXPECT_EQ(e->field, "x-cchc-client-id");
    EXPECT_EQ(key, "");
  }
  EXPECT_FALSE(ClientKey(false, "a b", &key));  // ignored, not checked, from anybody else
}

}  // namespace
}  // namespace cchc::news
