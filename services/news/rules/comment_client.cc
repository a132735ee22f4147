#include "comment_client.h"

#include "platform/auth.h"

namespace cchc::news {

std::optional<FieldError> ClientKey(bool trusted, const std::optional<std::string_view>& client_id, std::string* key) {
  key->clear();
  if (!trusted || !client_id) return std::nullopt;
  bool printable = !client_id->empty() && client_id->size() <= kMaxClientIdBytes;
  for (char c : *client_id) printable = printable && c >= 0x21 && c <= 0x7e;
  if (!printable)
    return FieldError{std::string(kClientIdMetadata),
                      "1 to " + std::to_string(kMaxClientIdBytes) + " printable ASCII characters (a hash)"};
  *key = crypto::Sha256Hex(*client_id);
  return std::nullopt;
}

}  // namespace cchc::news
