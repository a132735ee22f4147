#include "auth.h"

#include <fstream>
#include <sstream>

namespace cchc::auth {

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "reader") return Role::kReader;
  if (name == "editor") return Role::kEditor;
  if (name == "moderator") return Role::kModerator;
  if (name == "scorer") return Role::kScorer;
  if (name == "appraiser") return Role::kAppraiser;
  if (name == "admin") return Role::kAdmin;
  if (name == "portal") return Role::kPortal;
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kEditor:
      return "editor";
    case Role::kModerator:
      return "moderator";
    case Role::kScorer:
      return "scorer";
    case Role::kAppraiser:
      return "appraiser";
    case Role::kAdmin:
      return "admin";
    case Role::kPortal:
      return "portal";
  }
  return "reader";
}

bool Principal::Has(Role role) const {
  return role == Role::kReader || roles.count(role) > 0 || roles.count(Role::kAdmin) > 0;
}

TokenStore TokenStore::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("tokens file " + path + " cannot be read");
  std::stringstream buf;
  buf << in.rdbuf();
  return Parse(buf.str(), path);
}

TokenStore TokenStore::Parse(std::string_view text, const std::string& origin) {
  TokenStore store;
  std::istringstream lines{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    auto hash_pos = line.find('#');
    if (hash_pos != std::string::npos) line.resize(hash_pos);
    std::istringstream fields(line);
    std::string hash, unit, roles;
    if (!(fields >> hash)) continue;
    auto where = origin + " line " + std::to_string(number);
    if (!(fields >> unit >> roles)) throw std::runtime_error(where + ": expected '<sha256> <unit> <roles>'");
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw std::runtime_error(where + ": the token hash must be 64 lowercase hex digits");
    Principal p{unit, {}};
    std::istringstream role_list(roles);
    std::string role;
    while (std::getline(role_list, role, ',')) {
      auto r = ParseRole(role);
      if (!r) throw std::runtime_error(where + ": unknown role '" + role + "'");
      p.roles.insert(*r);
    }
    store.by_hash_[hash] = std::move(p);
  }
  return store;
}

std::optional<Principal> TokenStore::Lookup(std::string_view token) const {
  auto it = by_hash_.find(crypto::Sha256Hex(token));
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

grpc::Status Authorize(const grpc::ServerContextBase& context, const TokenStore& tokens, Role role,
                       Principal* principal) {
  const auto& md = context.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return {grpc::StatusCode::UNAUTHENTICATED, "missing 'authorization: Bearer <token>' metadata"};
  std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kBearer = "Bearer ";
  if (value.size() <= kBearer.size() || value.substr(0, kBearer.size()) != kBearer)
    return {grpc::StatusCode::UNAUTHENTICATED, "authorization metadata must be 'Bearer <token>'"};
  auto p = tokens.Lookup(value.substr(kBearer.size()));
  if (!p) return {grpc::StatusCode::UNAUTHENTICATED, "unknown or revoked token"};
  if (!p->Has(role))
    return {grpc::StatusCode::PERMISSION_DENIED,
            "principal " + p->unit + " lacks the role '" + std::string(RoleName(role)) + "'"};
  *principal = std::move(*p);
  return grpc::Status::OK;
}

}  // namespace cchc::auth
