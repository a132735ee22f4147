#pragma once
// What a rule reports about one field of a request, free of gRPC so that rules (rules/) need nothing of it:
// handlers turn it into INVALID_ARGUMENT "field: description" (Require, errors.h).
#include <string>

namespace cchc {

struct FieldError {
  std::string field;        // path in the request, e.g. "document.issue_date"
  std::string description;  // what is wrong, for a person
};

}  // namespace cchc
