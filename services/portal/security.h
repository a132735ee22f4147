#pragma once
// What the comment form trusts, from the secret every replica reads from the same file (--csrf-secret-file):
// - the client identity (định danh người gửi) the portal names to the news service for its per-client comment
//   limit: an HMAC of the reader's address, so the address itself never leaves the portal and cannot be
//   recovered by hashing every IPv4 address;
// - the CSRF token of the form: the time it was issued and an HMAC binding that time to the client identity, so
//   a token works for a while, only from the reader it was given to, at any replica, with no state kept.
#include <chrono>
#include <string>
#include <string_view>

namespace cchc::portal {

// How long a form's token stays good.
inline constexpr std::chrono::seconds kCsrfTokenLifetime{2 * 3600};

// 32 lower-case hex digits (128 bits of HMAC-SHA256(secret, "client:" + address)).
std::string ClientIdentity(std::string_view secret, std::string_view client_address);

// "<unix seconds>.<64 hex digits>", for the form's hidden field.
std::string IssueCsrfToken(std::string_view secret, std::string_view client_identity,
                           std::chrono::system_clock::time_point now);

// True when `token` was issued by IssueCsrfToken with the same secret and client identity, no more than
// kCsrfTokenLifetime before `now` and not in the future beyond a minute of clock skew between replicas.
bool CheckCsrfToken(std::string_view secret, std::string_view client_identity, std::string_view token,
                    std::chrono::system_clock::time_point now);

// The address a request came from: `forwarded_for`'s last entry (what the ingress appended) when `trust_forwarded`
// and it is not empty, else `remote_address`.
std::string ClientAddress(std::string_view remote_address, std::string_view forwarded_for, bool trust_forwarded);

}  // namespace cchc::portal
