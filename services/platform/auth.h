#pragma once
// Bearer tokens → principals. Only SHA-256 hashes of tokens are stored, in a tokens file:
//   # comment
//   <sha256 hex of the token> <principal unit code> <role>[,<role>…]
// e.g. "9f86d08…  SGDĐT-TCCB  editor,reader". Roles: reader, editor, moderator, scorer, appraiser, admin, and
// portal: the public portal (cổng thông tin), trusted to name the reader it calls for (a client identity).
#include <grpcpp/grpcpp.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "crypto.h"

namespace cchc::auth {

enum class Role { kReader, kEditor, kModerator, kScorer, kAppraiser, kAdmin, kPortal };

std::optional<Role> ParseRole(std::string_view name);
std::string_view RoleName(Role role);

struct Principal {
  std::string unit;  // đơn vị, e.g. "SGDĐT-TCCB"
  std::set<Role> roles;
  // Every authenticated principal may read; admin may do everything.
  bool Has(Role role) const;
};

class TokenStore {
 public:
  // Parses the tokens file. Throws std::runtime_error naming the file and line when malformed.
  static TokenStore LoadFile(const std::string& path);
  static TokenStore Parse(std::string_view text, const std::string& origin = "tokens");
  // The principal whose token hashes to the stored hash, or nullopt.
  std::optional<Principal> Lookup(std::string_view token) const;
  size_t Size() const { return by_hash_.size(); }

 private:
  std::map<std::string, Principal, std::less<>> by_hash_;
};

// Reads "authorization: Bearer <token>" from the call. No or unknown token → UNAUTHENTICATED; a principal
// without `role` → PERMISSION_DENIED. On success fills *principal.
// Works for sync and callback contexts alike.
grpc::Status Authorize(const grpc::ServerContextBase& context, const TokenStore& tokens, Role role,
                       Principal* principal);

}  // namespace cchc::auth
