#include "visibility.h"

namespace cchc::document {

Visibility VisibilityOf(const auth::Principal& principal) {
  if (principal.Has(auth::Role::kAdmin)) return {true, ""};
  if (principal.Has(auth::Role::kEditor)) return {false, principal.unit};
  return {};
}

bool Sees(const Visibility& visibility, const v1::Document& doc) {
  return doc.status() == v1::PUBLISHED || visibility.all ||
         (!visibility.unit.empty() && doc.created_by() == visibility.unit);
}

}  // namespace cchc::document
