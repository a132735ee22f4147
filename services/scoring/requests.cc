#include "requests.h"

#include "platform/errors.h"
#include "rules/framework.h"

namespace cchc::scoring {

using grpc::StatusCode;

int64_t ParseId(const std::string& name, const std::string& prefix, const std::string& field) {
  if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() && name.size() <= prefix.size() + 18) {
    std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") == std::string::npos) return std::stoll(digits);
  }
  throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be " + prefix + "{id}, got \"" + name + "\"",
                    platform::v1::INVALID_NAME);
}

std::string RequireUnitCode(const std::string& code, const std::string& field) {
  if (!IsCode(code)) throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": a unit code is required");
  return code;
}

void RequireKind(v1::UnitKind kind, const std::string& field, bool required) {
  if (!v1::UnitKind_IsValid(kind) || (required && kind == v1::UNIT_KIND_UNSPECIFIED))
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": a unit kind is required");
}

}  // namespace cchc::scoring
