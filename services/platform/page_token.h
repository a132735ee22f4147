#pragma once
// Opaque page tokens: a JSON cursor, checksummed and base64url-encoded so a caller cannot forge or
// mistype one unnoticed. A token is bound to the request's filters by a fingerprint.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::paging {

std::string EncodeToken(const nlohmann::json& cursor);
// nullopt when the token is not one of ours (bad base64, bad checksum, not JSON, too long).
std::optional<nlohmann::json> DecodeToken(std::string_view token);

std::string Base64UrlEncode(std::string_view bytes);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// A short stable fingerprint of a request's filter, stored in the cursor.
std::string Fingerprint(std::string_view serialized_filter);

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;
constexpr size_t kMaxTokenLength = 512;

}  // namespace cchc::paging
