// Fuzz target: the webhook signature check. The input is split into secret, timestamp, body and a claimed
// header. A header we made verifies; any other header verifies only if it is byte for byte the one we make;
// changing the body or the timestamp breaks the signature.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rules/signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cchc::notification;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // secret \0 timestamp \0 body \0 claimed header (missing parts are empty).
  std::string_view parts[4];
  for (int i = 0; i < 4; ++i) {
    size_t nul = i < 3 ? input.find('\0') : std::string_view::npos;
    parts[i] = input.substr(0, nul);
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  }
  auto [secret, timestamp, body, claimed] = parts;
  std::string header = SignatureHeader(secret, timestamp, body);
  if (header.size() != 3 + 64 || header.rfind("v1=", 0) != 0) std::abort();
  if (!VerifySignature(secret, timestamp, body, header)) std::abort();
  if (VerifySignature(secret, timestamp, body, claimed) != (claimed == header)) std::abort();
  std::string other_body = std::string(body) + "x";
  if (VerifySignature(secret, timestamp, other_body, header)) std::abort();
  std::string other_time = std::string(timestamp) + "0";
  if (VerifySignature(secret, other_time, body, header) &&
      SignatureHeader(secret, other_time, body) != header)  // only a true HMAC collision could allow this
    std::abort();
  return 0;
}
