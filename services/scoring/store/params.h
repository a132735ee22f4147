#pragma once
// Parameter helpers the scoring stores share: a NULL for "any unit kind" (db::NullIfEmpty for text).
#include <string>

#include "cchc/scoring/v1/scoring.pb.h"

namespace cchc::scoring {

// NULL for UNIT_KIND_UNSPECIFIED (any kind), else the kind's number, kept in `storage`.
inline const char* KindParam(v1::UnitKind kind, std::string* storage) {
  if (kind == v1::UNIT_KIND_UNSPECIFIED) return nullptr;
  *storage = std::to_string(static_cast<int>(kind));
  return storage->c_str();
}

}  // namespace cchc::scoring
