#pragma once
// What a store (store/) or a use case reports when a request cannot be done, in the domain's terms: the
// handler frame (StatusOf, handler.h) is the one place that turns it into a gRPC status. Stores never name
// gRPC; the message is for a person and, for kInvalid, starts with the request field's path. The reason is
// for programs (error_reason.proto); left unspecified, the status gets its code's default reason.
#include <stdexcept>
#include <string>

#include "field_error.h"

namespace cchc {

enum class DomainErrorKind {
  kInvalid,             // the request is wrong (INVALID_ARGUMENT)
  kNotFound,            // NOT_FOUND
  kAlreadyExists,       // ALREADY_EXISTS
  kFailedPrecondition,  // the resource's state forbids it (FAILED_PRECONDITION)
  kConflict,            // a concurrent change won; retry (ABORTED)
  kExhausted,           // a bound or quota was reached (RESOURCE_EXHAUSTED)
};

class DomainError : public std::runtime_error {
 public:
  DomainError(DomainErrorKind kind, const std::string& message,
              ErrorReason reason = platform::v1::ERROR_REASON_UNSPECIFIED)
      : std::runtime_error(message), kind_(kind), reason_(reason) {}
  DomainErrorKind Kind() const { return kind_; }
  ErrorReason Reason() const { return reason_; }

 private:
  DomainErrorKind kind_;
  ErrorReason reason_;
};

[[noreturn]] inline void ThrowNotFound(const std::string& message) {
  throw DomainError(DomainErrorKind::kNotFound, message);
}

}  // namespace cchc
