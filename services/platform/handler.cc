#include "handler.h"

#include "cloudevents.h"

namespace cchc {

grpc::StatusCode GrpcCodeOf(DomainErrorKind kind) {
  switch (kind) {
    case DomainErrorKind::kInvalid:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case DomainErrorKind::kNotFound:
      return grpc::StatusCode::NOT_FOUND;
    case DomainErrorKind::kAlreadyExists:
      return grpc::StatusCode::ALREADY_EXISTS;
    case DomainErrorKind::kFailedPrecondition:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case DomainErrorKind::kConflict:
      return grpc::StatusCode::ABORTED;
    case DomainErrorKind::kExhausted:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
  }
  return grpc::StatusCode::INTERNAL;
}

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  auto it = context.client_metadata().find("x-request-id");
  if (it != context.client_metadata().end() && !it->second.empty() && it->second.size() <= 64) {
    std::string id(it->second.data(), it->second.size());
    bool printable = true;
    for (char c : id) printable = printable && c > 32 && c < 127 && c != '"' && c != '\\';
    if (printable) return id;
  }
  return events::NewUuid();
}

trace::TraceParent TraceOf(const grpc::ServerContextBase& context) {
  auto it = context.client_metadata().find(trace::kHeader);
  if (it == context.client_metadata().end()) return trace::NewTrace();
  return trace::ContinueOrStart(std::string_view(it->second.data(), it->second.size()));
}

}  // namespace cchc
