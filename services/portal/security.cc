#include "security.h"

#include <charconv>

#include "platform/crypto.h"
#include "platform/text.h"

namespace cchc::portal {
namespace {

std::string Mac(std::string_view secret, std::string_view client_identity, int64_t issued) {
  return crypto::HexEncode(
      crypto::HmacSha256(secret, "csrf:" + std::string(client_identity) + ":" + std::to_string(issued)));
}

// Compares in time independent of where the strings differ.
bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

int64_t UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string ClientIdentity(std::string_view secret, std::string_view client_address) {
  return crypto::HexEncode(crypto::HmacSha256(secret, "client:" + std::string(client_address))).substr(0, 32);
}

std::string IssueCsrfToken(std::string_view secret, std::string_view client_identity,
                           std::chrono::system_clock::time_point now) {
  int64_t issued = UnixSeconds(now);
  return std::to_string(issued) + "." + Mac(secret, client_identity, issued);
}

bool CheckCsrfToken(std::string_view secret, std::string_view client_identity, std::string_view token,
                    std::chrono::system_clock::time_point now) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 19) return false;
  int64_t issued = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + dot, issued);
  if (error != std::errc() || end != token.data() + dot) return false;
  int64_t age = UnixSeconds(now) - issued;
  if (age > kCsrfTokenLifetime.count() || age < -60) return false;
  return SameBytes(token.substr(dot + 1), Mac(secret, client_identity, issued));
}

std::string ClientAddress(std::string_view remote_address, std::string_view forwarded_for, bool trust_forwarded) {
  if (trust_forwarded) {
    auto comma = forwarded_for.rfind(',');
    std::string_view last =
        text::Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    if (!last.empty()) return std::string(last);
  }
  return std::string(remote_address);
}

}  // namespace cchc::portal
