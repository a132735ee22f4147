#pragma once
// The boundary between the rules and gRPC: a rule reports a FieldError; handlers turn it into a status
// whose message starts with the field's path, e.g. "document.subject: at most 500 characters".
#include <grpcpp/grpcpp.h>

#include <optional>
#include <string>

#include "field_error.h"

namespace cchc {

// Thrown by repositories and rules to end a call with a given status; handlers catch it once.
class StatusError : public std::runtime_error {
 public:
  StatusError(grpc::StatusCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  grpc::Status ToStatus() const { return {code_, what()}; }
  grpc::StatusCode Code() const { return code_; }

 private:
  grpc::StatusCode code_;
};

// Ends the call with INVALID_ARGUMENT "field: description" when a rule found `error`; handlers call it on what
// the rules return.
inline void Require(const std::optional<FieldError>& error) {
  if (error) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, error->field + ": " + error->description);
}

}  // namespace cchc
