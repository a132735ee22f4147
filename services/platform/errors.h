#pragma once
// The boundary between the rules and gRPC: a rule reports a FieldError; handlers turn it into a status
// whose message starts with the field's path, e.g. "document.subject: at most 500 characters", and whose
// details carry the reason and the field (AIP-193, error_details.h).
#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>

#include "error_details.h"
#include "field_error.h"

namespace cchc {

// Thrown by repositories and rules to end a call with a given status; handlers catch it once. The reason and
// field go into the status's details (error_details::ErrorStatus): an unspecified reason is the code's
// default, a missing field is read from the message ("field: …").
class StatusError : public std::runtime_error {
 public:
  StatusError(grpc::StatusCode code, const std::string& message,
              ErrorReason reason = platform::v1::ERROR_REASON_UNSPECIFIED,
              std::optional<std::string> field = std::nullopt)
      : std::runtime_error(message), code_(code), reason_(reason), field_(std::move(field)) {}
  grpc::Status ToStatus() const { return error_details::ErrorStatus(code_, what(), reason_, field_); }
  grpc::StatusCode Code() const { return code_; }
  ErrorReason Reason() const { return reason_; }

 private:
  grpc::StatusCode code_;
  ErrorReason reason_;
  std::optional<std::string> field_;
};

// Ends the call with INVALID_ARGUMENT "field: description" when a rule found `error`; handlers call it on what
// the rules return.
inline void Require(const std::optional<FieldError>& error) {
  if (error)
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, error->field + ": " + error->description, error->reason,
                      error->field);
}

}  // namespace cchc
