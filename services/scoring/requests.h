#pragma once
// What every handler reads from a request the same way: resource names ("periods/12"), unit codes, unit
// kinds. Each throws StatusError INVALID_ARGUMENT with the field's path.
#include <cstdint>
#include <string>

#include "cchc/scoring/v1/scoring.pb.h"

namespace cchc::scoring {

// "periods/12" with prefix "periods/" → 12.
int64_t ParseId(const std::string& name, const std::string& prefix, const std::string& field);
// The code when it is one (rules/framework.h: IsCode).
std::string RequireUnitCode(const std::string& code, const std::string& field);
// A known kind; UNIT_KIND_UNSPECIFIED only when not `required`.
void RequireKind(v1::UnitKind kind, const std::string& field, bool required);

}  // namespace cchc::scoring
