#pragma once
// Webhook signatures. Each POST carries
//   X-Cchc-Timestamp: <unix seconds, decimal>
//   X-Cchc-Signature: v1=<lowercase hex of HMAC-SHA256(key = the subscriber's secret,
//                                                     message = timestamp + "." + raw body bytes)>
// A receiver recomputes the HMAC over the exact bytes it received, compares in constant time, and may
// reject timestamps too far from its clock (replay protection).
#include <string>
#include <string_view>

namespace cchc::notification {

// Lowercase hex HMAC-SHA256(secret, message).
std::string HmacSha256Hex(std::string_view secret, std::string_view message);
// "v1=<hex>" for `timestamp` and `body`.
std::string SignatureHeader(std::string_view secret, std::string_view timestamp, std::string_view body);
// True when `header` is the valid signature (constant-time comparison).
bool VerifySignature(std::string_view secret, std::string_view timestamp, std::string_view body,
                     std::string_view header);

}  // namespace cchc::notification
