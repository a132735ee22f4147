#pragma once
// What a rule reports about one field of a request, free of gRPC so that rules (rules/) need nothing of it:
// handlers turn it into INVALID_ARGUMENT "field: description" (Require, errors.h), with a google.rpc.BadRequest
// naming the field and a google.rpc.ErrorInfo giving `reason` (error_details.h).
#include <string>

#include "cchc/platform/v1/error_reason.pb.h"

namespace cchc {

// Why a call was refused, for programs (proto/cchc/platform/v1/error_reason.proto); ERROR_REASON_UNSPECIFIED
// means "the default reason of the status code" (error_details::DefaultReason).
using ErrorReason = platform::v1::ErrorReason;

struct FieldError {
  std::string field;                                            // path in the request, e.g. "document.issue_date"
  std::string description;                                      // what is wrong, for a person
  ErrorReason reason = platform::v1::ERROR_REASON_UNSPECIFIED;  // INVALID_FIELD unless a rule says more
};

}  // namespace cchc
