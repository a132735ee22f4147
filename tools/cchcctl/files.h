#pragma once
// Local-file helpers for attachments: media types by extension and streaming SHA-256.
#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace cchc::cchcctl {

// The media type the service expects for `file_name`'s extension (pdf, doc, docx, xls, xlsx, zip, png,
// jpg/jpeg, txt; any case), or "" when unknown.
std::string MediaTypeFor(std::string_view file_name);

// Incremental SHA-256 (OpenSSL EVP). Throws std::runtime_error if OpenSSL cannot allocate a context.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Lowercase hex of everything passed to Update; call once.
  std::string HexDigest();

 private:
  EVP_MD_CTX* ctx_;
};

}  // namespace cchc::cchcctl
