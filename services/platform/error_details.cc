#include "error_details.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace cchc::error_details {
namespace {

namespace v1 = platform::v1;

bool IsLower(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// At most kMaxDetailText bytes of `text`, cut before a UTF-8 continuation byte.
std::string Bounded(std::string_view text) {
  if (text.size() <= kMaxDetailText) return std::string(text);
  size_t end = kMaxDetailText;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

}  // namespace

bool CarriesDetails(grpc::StatusCode code) {
  return code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::ALREADY_EXISTS ||
         code == grpc::StatusCode::ABORTED || code == grpc::StatusCode::FAILED_PRECONDITION;
}

ErrorReason DefaultReason(grpc::StatusCode code, bool names_field) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return names_field ? v1::INVALID_FIELD : v1::INVALID_REQUEST;
    case grpc::StatusCode::ALREADY_EXISTS:
      return v1::RESOURCE_EXISTS;
    case grpc::StatusCode::ABORTED:
      return v1::CONCURRENT_CHANGE;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return v1::WRONG_STATE;
    default:
      return v1::ERROR_REASON_UNSPECIFIED;
  }
}

std::string FieldOfMessage(std::string_view message) {
  // segment := [a-z_][a-z0-9_]* ("[" digits "]")* ; path := segment ("." segment)* ; then ": ".
  size_t i = 0;
  for (;;) {
    if (i >= message.size() || !IsLower(message[i])) return "";
    while (i < message.size() && (IsLower(message[i]) || IsDigit(message[i]))) ++i;
    while (i < message.size() && message[i] == '[') {
      size_t digits = ++i;
      while (i < message.size() && IsDigit(message[i])) ++i;
      if (i == digits || i >= message.size() || message[i] != ']') return "";
      ++i;
    }
    if (i < message.size() && message[i] == '.') {
      ++i;
      continue;
    }
    break;
  }
  if (message.substr(i, 2) != ": ") return "";
  return std::string(message.substr(0, i));
}

grpc::Status ErrorStatus(grpc::StatusCode code, const std::string& message, ErrorReason reason,
                         const std::optional<std::string>& field) {
  if (!CarriesDetails(code)) return {code, message};
  std::string path = field ? *field : FieldOfMessage(message);
  if (reason == v1::INVALID_REQUEST) path.clear();
  if (reason == v1::ERROR_REASON_UNSPECIFIED) reason = DefaultReason(code, !path.empty());

  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(Bounded(message));
  google::rpc::ErrorInfo info;
  info.set_reason(v1::ErrorReason_Name(reason));
  info.set_domain(kDomain);
  if (!path.empty()) (*info.mutable_metadata())["field"] = path;
  details.add_details()->PackFrom(info);
  if (code == grpc::StatusCode::INVALID_ARGUMENT && !path.empty()) {
    google::rpc::BadRequest bad;
    auto* violation = bad.add_field_violations();
    violation->set_field(path);
    std::string_view description(message);
    if (description.substr(0, path.size()) == path && description.substr(path.size(), 2) == ": ")
      description.remove_prefix(path.size() + 2);
    violation->set_description(Bounded(description));
    details.add_details()->PackFrom(bad);
  }
  return {code, message, details.SerializeAsString()};
}

grpc::Status EnsureDetails(const grpc::Status& status) {
  if (!CarriesDetails(status.error_code()) || !status.error_details().empty()) return status;
  return ErrorStatus(status.error_code(), status.error_message());
}

std::optional<Details> ParseDetails(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  Details out;
  bool any = false;
  for (const auto& any_detail : details.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad;
    if (any_detail.UnpackTo(&info)) {
      out.reason = info.reason();
      out.domain = info.domain();
      out.metadata.insert(info.metadata().begin(), info.metadata().end());
      any = true;
    } else if (any_detail.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) out.field_violations.emplace_back(v.field(), v.description());
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return out;
}

}  // namespace cchc::error_details
