#pragma once
// Opaque page tokens: a JSON cursor behind its HMAC-SHA256, base64url-encoded, so a caller can neither forge
// nor alter one: only the service's own cursors come back (keys: page_token_keys.h). A token is bound to the
// request's filters by a fingerprint.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::paging {

// Signs with the installed current key.
std::string EncodeToken(const nlohmann::json& cursor);
// nullopt when the token is not one of ours (bad base64, signed by neither installed key, not a JSON object,
// too long); callers answer INVALID_ARGUMENT naming page_token.
std::optional<nlohmann::json> DecodeToken(std::string_view token);

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// A short stable fingerprint of a request's filter, stored in the cursor.
std::string Fingerprint(std::string_view serialized_filter);

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;
constexpr size_t kMaxTokenLength = 512;

}  // namespace cchc::paging
