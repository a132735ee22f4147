#include "crypto.h"

#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace cchc::crypto {

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

namespace {
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(in[k])); };
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], kBase64[v & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t v = byte(i) << 16;
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out += {kBase64[v >> 18], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], '='};
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t pad = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t v = 0;
  for (size_t i = 0; i < text.size() - pad; ++i) {
    const char* at = std::char_traits<char>::find(kBase64, 64, text[i]);
    if (at == nullptr) return std::nullopt;
    v = v << 6 | static_cast<uint32_t>(at - kBase64);
    if (i % 4 == 3) {
      out += {static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
      v = 0;
    }
  }
  // The last quantum: 2 or 3 characters carry 1 or 2 bytes; the bits past them must be zero (canonical form).
  if (pad == 2) {
    if (v & 0xF) return std::nullopt;
    out += static_cast<char>(v >> 4);
  } else if (pad == 1) {
    if (v & 0x3) return std::nullopt;
    out += {static_cast<char>(v >> 10), static_cast<char>(v >> 2)};
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  return HexEncode({reinterpret_cast<const char*>(digest), size});
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

std::string RandomBytes(size_t size) {
  std::string out(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1)
    throw std::runtime_error("OpenSSL: no random source");
  return out;
}

void RandomIdBytes(unsigned char* out, size_t size) {
  constexpr size_t kBuffer = 4096;
  thread_local unsigned char buffer[kBuffer];
  thread_local size_t used = kBuffer;  // all used: refill first
  while (size > 0) {
    if (used == kBuffer) {
      if (RAND_bytes(buffer, static_cast<int>(kBuffer)) != 1) throw std::runtime_error("OpenSSL: no random source");
      used = 0;
    }
    size_t n = std::min(size, kBuffer - used);
    std::memcpy(out, buffer + used, n);
    used += n;
    out += n;
    size -= n;
  }
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(ctx_);
    throw std::runtime_error("OpenSSL: cannot start SHA-256");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
}

void Sha256::Update(std::string_view data) {
  EVP_DigestUpdate(ctx_, data.data(), data.size());
}

std::string Sha256::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx_, digest, &size);
  return HexEncode({reinterpret_cast<const char*>(digest), size});
}

}  // namespace cchc::crypto
