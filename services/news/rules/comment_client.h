#pragma once
// The client identity (định danh người gửi) a reader's comment is counted under, besides its e-mail address.
// Only a trusted caller — a principal with the `portal` role, the public portal that takes comments from
// browsers — may name it, in call metadata `x-cchc-client-id` (a hash of the reader's address, never the address
// itself); from anyone else the key is ignored, so a reader cannot spread its comments over invented clients.
#include <optional>
#include <string>
#include <string_view>

#include "platform/field_error.h"

namespace cchc::news {

inline constexpr std::string_view kClientIdMetadata = "x-cchc-client-id";
inline constexpr size_t kMaxClientIdBytes = 128;

// The key the per-client limit counts by, into *key: "" when the caller is not `trusted` or sent none, else the
// SHA-256 (hex) of `client_id`. A trusted caller's empty, oversized (over kMaxClientIdBytes) or non-printable
// ASCII value is a FieldError naming x-cchc-client-id.
std::optional<FieldError> ClientKey(bool trusted, const std::optional<std::string_view>& client_id, std::string* key);

}  // namespace cchc::news
