#include "signature.h"

#include <openssl/crypto.h>

#include "platform/crypto.h"

namespace cchc::notification {

std::string WebhookMessageId(std::string_view delivery_id) {
  return "msg_" + std::string(delivery_id);
}

std::string SigningKey(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  if (secret.starts_with(kPrefix))
    if (auto key = crypto::Base64Decode(secret.substr(kPrefix.size()))) return *key;
  return std::string(secret);
}

std::string SignatureV1(std::string_view secret, std::string_view msg_id, std::string_view timestamp,
                        std::string_view body) {
  std::string message;
  message.reserve(msg_id.size() + timestamp.size() + 2 + body.size());
  message.append(msg_id).append(".").append(timestamp).append(".").append(body);
  return "v1," + crypto::Base64Encode(crypto::HmacSha256(SigningKey(secret), message));
}

std::string SignatureHeader(const std::vector<std::string>& secrets, std::string_view msg_id,
                            std::string_view timestamp, std::string_view body) {
  std::string header;
  for (const auto& secret : secrets) {
    if (!header.empty()) header += ' ';
    header += SignatureV1(secret, msg_id, timestamp, body);
  }
  return header;
}

bool VerifySignature(std::string_view secret, std::string_view msg_id, std::string_view timestamp,
                     std::string_view body, std::string_view header) {
  const std::string expected = SignatureV1(secret, msg_id, timestamp, body);
  bool found = false;
  while (!header.empty()) {
    size_t space = header.find(' ');
    std::string_view entry = header.substr(0, space);
    header = space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
    // Every entry is compared (no early exit), each in constant time.
    if (entry.size() == expected.size() && CRYPTO_memcmp(entry.data(), expected.data(), expected.size()) == 0)
      found = true;
  }
  return found;
}

}  // namespace cchc::notification
