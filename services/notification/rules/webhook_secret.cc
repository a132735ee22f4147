#include "webhook_secret.h"

#include <algorithm>

#include "platform/crypto.h"

namespace cchc::notification {

std::string NewWebhookSecret(size_t key_bytes) {
  key_bytes = std::clamp(key_bytes, kMinSecretKeyBytes, kMaxSecretKeyBytes);
  return "whsec_" + crypto::Base64Encode(crypto::RandomBytes(key_bytes));
}

std::optional<std::string> WebhookSecretProblem(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  const std::string expected = "must be whsec_ followed by the base64 of 24 to 64 random bytes";
  if (!secret.starts_with(kPrefix)) return expected;
  auto key = crypto::Base64Decode(secret.substr(kPrefix.size()));
  if (!key) return expected + " (what follows whsec_ is not base64)";
  if (key->size() < kMinSecretKeyBytes || key->size() > kMaxSecretKeyBytes)
    return expected + " (it holds " + std::to_string(key->size()) + " bytes)";
  return std::nullopt;
}

}  // namespace cchc::notification
