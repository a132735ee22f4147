#include "signature.h"

#include <openssl/crypto.h>

#include <string>

#include "platform/crypto.h"

namespace cchc::notification {

std::string HmacSha256Hex(std::string_view secret, std::string_view message) {
  return crypto::HexEncode(crypto::HmacSha256(secret, message));
}

std::string SignatureHeader(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + 1 + body.size());
  message.append(timestamp).append(".").append(body);
  return "v1=" + HmacSha256Hex(secret, message);
}

bool VerifySignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                     std::string_view header) {
  std::string expected = SignatureHeader(secret, timestamp, body);
  return expected.size() == header.size() && CRYPTO_memcmp(expected.data(), header.data(), header.size()) == 0;
}

}  // namespace cchc::notification
