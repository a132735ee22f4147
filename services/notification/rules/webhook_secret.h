#pragma once
// Webhook secrets (Standard Webhooks 1.0): "whsec_" + base64 of 24 to 64 random bytes. The service generates them
// (CreateSubscriber without one, RotateWebhookSecret); a caller may also give one in that form. Secrets stored
// before this form keep signing as their raw bytes (rules/signature.h) until rotated.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::notification {

inline constexpr size_t kMinSecretKeyBytes = 24, kMaxSecretKeyBytes = 64;
inline constexpr size_t kGeneratedSecretKeyBytes = 32;

// "whsec_" + base64 of `key_bytes` (24–64) bytes from OpenSSL's generator (RAND_bytes). Throws std::runtime_error
// when the generator has no entropy.
std::string NewWebhookSecret(size_t key_bytes = kGeneratedSecretKeyBytes);
// Why `secret` is not "whsec_" + base64 of 24–64 bytes; nullopt when it is.
std::optional<std::string> WebhookSecretProblem(std::string_view secret);

}  // namespace cchc::notification
