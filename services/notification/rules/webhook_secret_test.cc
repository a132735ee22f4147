#include "rules/webhook_secret.h"

#include <gtest/gtest.h>

#include <set>

#include "platform/crypto.h"

namespace cchc::notification {
namespace {

TEST(WebhookSecret, GeneratedSecretsAreWhsecOfRandomBytes) {
  std::set<std::string> seen;
  for (size_t bytes : {kMinSecretKeyBytes, kGeneratedSecretKeyBytes, kMaxSecretKeyBytes}) {
    std::string secret = NewWebhookSecret(bytes);
    ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << secret;
    EXPECT_EQ(crypto::Base64Decode(secret.substr(6))->size(), bytes);
    EXPECT_FALSE(WebhookSecretProblem(secret)) << secret;
    EXPECT_TRUE(seen.insert(secret).second);
  }
  EXPECT_NE(NewWebhookSecret(), NewWebhookSecret());
  EXPECT_EQ(crypto::Base64Decode(NewWebhookSecret(4).substr(6))->size(), kMinSecretKeyBytes);  // clamped
}

TEST(WebhookSecret, OnlyWhsecOfTwentyFourToSixtyFourBytesIsAccepted) {
  EXPECT_FALSE(WebhookSecretProblem("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));  // the specification's, 24 bytes
  EXPECT_TRUE(WebhookSecretProblem("tccb-webhook-secret-0123"));
  EXPECT_TRUE(WebhookSecretProblem("whsec_" + crypto::Base64Encode(std::string(23, 'k'))));
  EXPECT_TRUE(WebhookSecretProblem("whsec_" + crypto::Base64Encode(std::string(65, 'k'))));
  EXPECT_FALSE(WebhookSecretProblem("whsec_" + crypto::Base64Encode(std::string(64, 'k'))));
  auto problem = WebhookSecretProblem("whsec_not base64 at all!");
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("not base64"), std::string::npos);
}

}  // namespace
}  // namespace cchc::notification
