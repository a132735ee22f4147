// Fuzz target: the webhook signature check (Standard Webhooks). The input is split into secret, message id,
// timestamp, body and a claimed header. A header we made verifies; a claimed header verifies only if one of its
// space-separated entries is byte for byte the entry we make; changing the body or the id breaks the signature.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rules/signature.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cchc::notification;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // secret \0 id \0 timestamp \0 body \0 claimed header (missing parts are empty).
  std::string_view parts[5];
  for (int i = 0; i < 5; ++i) {
    size_t nul = i < 4 ? input.find('\0') : std::string_view::npos;
    parts[i] = input.substr(0, nul);
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  }
  auto [secret, id, timestamp, body, claimed] = parts;
  std::string entry = SignatureV1(secret, id, timestamp, body);
  if (entry.size() != 3 + 44 || entry.rfind("v1,", 0) != 0) std::abort();
  if (!VerifySignature(secret, id, timestamp, body, entry)) std::abort();
  if (!VerifySignature(secret, id, timestamp, body, std::string(claimed) + " " + entry)) std::abort();
  bool listed = false;
  for (std::string_view rest = claimed; !listed;) {
    size_t space = rest.find(' ');
    listed = rest.substr(0, space) == entry;
    if (space == std::string_view::npos) break;
    rest = rest.substr(space + 1);
  }
  if (VerifySignature(secret, id, timestamp, body, claimed) != listed) std::abort();
  std::string other_body = std::string(body) + "x";
  if (VerifySignature(secret, id, timestamp, other_body, entry)) std::abort();
  return 0;
}
