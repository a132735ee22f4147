#include "service_checks.h"

#include "rules/validation.h"
#include "rules/visibility.h"

namespace cchc::document {

using grpc::StatusCode;

std::string RequireDocumentId(const std::string& name, const std::string& field) {
  auto id = ParseDocumentName(name);
  if (!id)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be documents/{uuid}", platform::v1::INVALID_NAME);
  return *id;
}

void CheckOwner(const auth::Principal& p, const v1::Document& doc, const std::string& field) {
  if (p.Has(auth::Role::kAdmin) || doc.created_by() == p.unit) return;
  if (!Sees(VisibilityOf(p), doc))
    throw StatusError(StatusCode::NOT_FOUND, field + ": " + doc.name() + " does not exist");
  throw StatusError(StatusCode::PERMISSION_DENIED,
                    "principal " + p.unit + " may not change " + doc.name() + " of unit " + doc.created_by());
}

Actor ActorOf(const auth::Principal& p) {
  std::string roles;
  for (auth::Role r : p.roles) roles += (roles.empty() ? "" : ",") + std::string(auth::RoleName(r));
  return Actor(p.unit, roles);
}

void CheckEtag(const std::string& given, const v1::Document& doc) {
  if (!given.empty() && given != doc.etag())
    throw StatusError(StatusCode::ABORTED, "etag: " + given + " is stale; the document is now at " + doc.etag(),
                      platform::v1::STALE_ETAG);
}

}  // namespace cchc::document
