#include "signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace cchc::notification {

std::string HmacSha256Hex(std::string_view secret, std::string_view message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[mac[i] >> 4]);
    out.push_back(hex[mac[i] & 15]);
  }
  return out;
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
