#include "rules/signature.h"

#include <gtest/gtest.h>

#include "platform/crypto.h"

namespace cchc::notification {
namespace {

// The test vector of the Standard Webhooks specification (spec/standard-webhooks.md and the reference libraries'
// tests in standard-webhooks/standard-webhooks).
constexpr const char* kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kSpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr const char* kSpecTimestamp = "1614265330";
constexpr const char* kSpecBody = R"({"test": 2432232314})";
constexpr const char* kSpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(Signature, StandardWebhooksTestVector) {
  EXPECT_EQ(SignatureV1(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody), kSpecSignature);
  EXPECT_EQ(SignatureHeader({kSpecSecret}, kSpecId, kSpecTimestamp, kSpecBody), kSpecSignature);
  EXPECT_TRUE(VerifySignature(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody, kSpecSignature));
}

TEST(Signature, CoversIdTimestampAndBody) {
  EXPECT_FALSE(VerifySignature(kSpecSecret, "msg_other", kSpecTimestamp, kSpecBody, kSpecSignature));
  EXPECT_FALSE(VerifySignature(kSpecSecret, kSpecId, "1614265331", kSpecBody, kSpecSignature));
  EXPECT_FALSE(VerifySignature(kSpecSecret, kSpecId, kSpecTimestamp, R"({"test": 2432232315})", kSpecSignature));
  EXPECT_FALSE(VerifySignature("whsec_" + crypto::Base64Encode(std::string(24, 'k')), kSpecId, kSpecTimestamp,
                               kSpecBody, kSpecSignature));
}

TEST(Signature, KeyIsTheDecodedSecretOrALegacySecretsBytes) {
  EXPECT_EQ(SigningKey("whsec_" + crypto::Base64Encode("0123456789abcdef01234567")), "0123456789abcdef01234567");
  EXPECT_EQ(SigningKey("tccb-webhook-secret-0123"), "tccb-webhook-secret-0123");
  EXPECT_EQ(SigningKey("whsec_not base64!"), "whsec_not base64!");
  // A legacy secret signs as its raw bytes: HMAC over id.timestamp.body with them as the key.
  std::string body = R"({"type":"cchc.document.v1.DocumentPublished"})";
  EXPECT_EQ(SignatureV1("bí-mật-0123456789", "msg_d1", "1764200000", body),
            "v1," + crypto::Base64Encode(crypto::HmacSha256("bí-mật-0123456789", "msg_d1.1764200000." + body)));
  EXPECT_EQ(WebhookMessageId("0b6e2f3a-0000-4000-8000-000000000001"), "msg_0b6e2f3a-0000-4000-8000-000000000001");
}

TEST(Signature, RotationSignsWithBothAndEitherVerifies) {
  std::string old_secret = "whsec_" + crypto::Base64Encode(std::string(32, 'o'));
  std::string header = SignatureHeader({kSpecSecret, old_secret}, kSpecId, kSpecTimestamp, kSpecBody);
  EXPECT_EQ(header, std::string(kSpecSignature) + " " + SignatureV1(old_secret, kSpecId, kSpecTimestamp, kSpecBody));
  EXPECT_TRUE(VerifySignature(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody, header));
  EXPECT_TRUE(VerifySignature(old_secret, kSpecId, kSpecTimestamp, kSpecBody, header));
  // Unknown versions are ignored; a bare base64 without its version never verifies.
  EXPECT_TRUE(VerifySignature(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody,
                              std::string("v1a,c29tZXRoaW5n ") + kSpecSignature));
  EXPECT_FALSE(VerifySignature(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody, std::string(kSpecSignature).substr(3)));
  EXPECT_FALSE(VerifySignature(kSpecSecret, kSpecId, kSpecTimestamp, kSpecBody, ""));
}

}  // namespace
}  // namespace cchc::notification
