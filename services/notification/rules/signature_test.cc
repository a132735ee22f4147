#include "rules/signature.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

TEST(Signature, Rfc4231TestCase2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, HeaderCoversTimestampDotBody) {
  std::string body = R"({"title":"Văn bản mới"})";
  EXPECT_EQ(SignatureHeader("bí-mật-0123456789", "1764200000", body),
            "v1=" + HmacSha256Hex("bí-mật-0123456789", "1764200000." + body));
  EXPECT_TRUE(VerifySignature("bí-mật-0123456789", "1764200000", body,
                              SignatureHeader("bí-mật-0123456789", "1764200000", body)));
  EXPECT_FALSE(VerifySignature("bí-mật-0123456789", "1764200001", body,
                               SignatureHeader("bí-mật-0123456789", "1764200000", body)));
  EXPECT_FALSE(VerifySignature("other-secret-000000", "1764200000", body,
                               SignatureHeader("bí-mật-0123456789", "1764200000", body)));
}

}  // namespace
}  // namespace cchc::notification
