#pragma once
// Webhook signatures, Standard Webhooks 1.0 (github.com/standard-webhooks/standard-webhooks,
// spec/standard-webhooks.md). Each POST carries
//   webhook-id: msg_<the delivery's id>          the same on every attempt of that delivery (receivers dedupe on it)
//   webhook-timestamp: <unix seconds of this attempt>
//   webhook-signature: v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + raw body bytes)>[ v1,<…>]
// The key is the base64-decoding of the secret after its "whsec_" prefix; a secret without that prefix (set
// before secrets were generated) signs as its raw bytes until it is rotated. During a rotation the header holds
// one entry per secret, space-separated; a receiver accepts the message when any entry verifies.
#include <string>
#include <string_view>
#include <vector>

namespace cchc::notification {

// "msg_" + `delivery_id`: the webhook-id of every attempt of that delivery.
std::string WebhookMessageId(std::string_view delivery_id);
// The HMAC key of `secret`: the bytes after "whsec_" base64-decoded, or the secret's own bytes when it has no such
// prefix or what follows is not base64.
std::string SigningKey(std::string_view secret);
// "v1,<base64>" of HMAC-SHA256(SigningKey(secret), msg_id + "." + timestamp + "." + body).
std::string SignatureV1(std::string_view secret, std::string_view msg_id, std::string_view timestamp,
                        std::string_view body);
// The webhook-signature header: SignatureV1 under each of `secrets`, in order, space-separated.
std::string SignatureHeader(const std::vector<std::string>& secrets, std::string_view msg_id,
                            std::string_view timestamp, std::string_view body);
// True when an entry of `header` is the v1 signature under `secret` (constant-time comparison); entries of
// other versions are ignored.
bool VerifySignature(std::string_view secret, std::string_view msg_id, std::string_view timestamp,
                     std::string_view body, std::string_view header);

}  // namespace cchc::notification
