#pragma once
// What a store (store/) or a use case reports when a request cannot be done, in the domain's terms: the
// handler frame (StatusOf, handler.h) is the one place that turns it into a gRPC status. Stores never name
// gRPC; the message is for a person and, for kInvalid, starts with the request field's path.
#include <stdexcept>
#include <string>

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
  DomainError(DomainErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  DomainErrorKind Kind() const { return kind_; }

 private:
  DomainErrorKind kind_;
};

[[noreturn]] inline void ThrowNotFound(const std::string& message) {
  throw DomainError(DomainErrorKind::kNotFound, message);
}

}  // namespace cchc
