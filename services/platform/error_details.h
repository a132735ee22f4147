#pragma once
// AIP-193 error details: every INVALID_ARGUMENT, ALREADY_EXISTS, ABORTED and FAILED_PRECONDITION status carries,
// in grpc-status-details-bin, a google.rpc.Status holding a google.rpc.ErrorInfo (domain "cchc", reason = an
// ErrorReason name, metadata "field" when a field is named) and, for INVALID_ARGUMENT naming a field, a
// google.rpc.BadRequest with that field violation. The message stays the person's text, unchanged.
#include <grpcpp/grpcpp.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "field_error.h"

namespace cchc::error_details {

inline constexpr const char* kDomain = "cchc";
// Bound of each text put into the details (the message and a violation's description), in bytes.
inline constexpr size_t kMaxDetailText = 1024;

// True for the codes whose statuses carry details: INVALID_ARGUMENT, ALREADY_EXISTS, ABORTED, FAILED_PRECONDITION.
bool CarriesDetails(grpc::StatusCode code);

// The reason of a status of `code` when none is given: INVALID_FIELD (naming a field) or INVALID_REQUEST,
// RESOURCE_EXISTS, CONCURRENT_CHANGE, WRONG_STATE; ERROR_REASON_UNSPECIFIED for the other codes.
ErrorReason DefaultReason(grpc::StatusCode code, bool names_field);

// The request field path a message starts with, "document.code: …" → "document.code",
// "results[2].fields: …" → "results[2].fields"; empty when it starts with no path followed by ": ".
std::string FieldOfMessage(std::string_view message);

// The status (code, message) with its details when `code` carries them: `reason` (or the default), and `field`
// (or, when not given, FieldOfMessage(message); none for INVALID_REQUEST). Other codes come back plain.
grpc::Status ErrorStatus(grpc::StatusCode code, const std::string& message,
                         ErrorReason reason = platform::v1::ERROR_REASON_UNSPECIFIED,
                         const std::optional<std::string>& field = std::nullopt);

// `status` as is when it has details or its code carries none; otherwise ErrorStatus of its code and message.
grpc::Status EnsureDetails(const grpc::Status& status);

// What a client reads back from a status's details.
struct Details {
  std::string reason;  // ErrorInfo.reason, e.g. "INVALID_DOCUMENT_CODE"; empty without an ErrorInfo
  std::string domain;
  std::map<std::string, std::string> metadata;
  std::vector<std::pair<std::string, std::string>> field_violations;  // BadRequest: (field, description)
};

// The ErrorInfo and BadRequest of `status`'s details; nullopt when it has none or they do not parse.
std::optional<Details> ParseDetails(const grpc::Status& status);

}  // namespace cchc::error_details
