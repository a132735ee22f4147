#include "page_token.h"

#include <openssl/crypto.h>

#include "auth.h"
#include "crypto.h"
#include "page_token_keys.h"

namespace cchc::paging {
namespace {
const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr size_t kMacBytes = 32;

// HMAC-SHA256(key, body), raw bytes.
std::string Mac(const std::string& key, std::string_view body) {
  return crypto::HmacSha256(key, body);
}

bool MacMatches(const std::string& key, std::string_view body, std::string_view mac) {
  if (key.empty()) return false;
  std::string expected = Mac(key, body);
  return expected.size() == mac.size() && CRYPTO_memcmp(expected.data(), mac.data(), mac.size()) == 0;
}
}  // namespace

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  size_t i = 0;
  while (i + 2 < in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
    i += 3;
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

std::string EncodeToken(const nlohmann::json& cursor) {
  std::string body = cursor.dump();
  return Base64UrlEncode(Mac(InstalledTokenKeys().current, body) + body);
}

std::optional<nlohmann::json> DecodeToken(std::string_view token) {
  if (token.size() > kMaxTokenLength) return std::nullopt;
  auto raw = Base64UrlDecode(token);
  if (!raw || raw->size() <= kMacBytes) return std::nullopt;
  std::string_view mac(raw->data(), kMacBytes), body(raw->data() + kMacBytes, raw->size() - kMacBytes);
  TokenKeys keys = InstalledTokenKeys();
  if (!MacMatches(keys.current, body, mac) && !MacMatches(keys.previous, body, mac)) return std::nullopt;
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

std::string Fingerprint(std::string_view serialized_filter) {
  return crypto::Sha256Hex(serialized_filter).substr(0, 12);
}

}  // namespace cchc::paging
