#pragma once
// The hashing every part of the system needs, over OpenSSL: SHA-256 (token hashes, attachment checksums), HMAC-SHA256
// (page tokens, webhook signatures) and lower-case hex.
#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

namespace cchc::crypto {

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);
// Base64 of `bytes` (RFC 4648 §4: standard alphabet, '=' padding, no line breaks).
std::string Base64Encode(std::string_view bytes);
// The bytes of RFC 4648 §4 base64 `text` (padded, no whitespace); nullopt when it is anything else.
std::optional<std::string> Base64Decode(std::string_view text);
// SHA-256 of `data`, lower-case hex (64 characters).
std::string Sha256Hex(std::string_view data);
// HMAC-SHA256 of `data` under `key`: the raw 32 bytes (HexEncode for text).
std::string HmacSha256(std::string_view key, std::string_view data);
// `size` random bytes from OpenSSL's generator; throws std::runtime_error when it has no entropy.
std::string RandomBytes(size_t size);
// Fills `out` with `size` random bytes for identifiers (request, trace and event ids): drawn from a per-thread
// buffer that OpenSSL's generator refills 4 KiB at a time, since one RAND_bytes call per id (three per RPC) cost
// ~4 % of a keyed read's CPU. Not for keys and secrets (RandomBytes). Throws like RandomBytes.
void RandomIdBytes(unsigned char* out, size_t size);

// SHA-256 of data given in pieces (a streamed upload or file). Throws std::runtime_error when OpenSSL cannot
// allocate its context.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // Lower-case hex of everything passed to Update; call once.
  std::string HexDigest();

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace cchc::crypto
