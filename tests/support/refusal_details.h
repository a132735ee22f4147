#pragma once
// Checks the AIP-193 details of a refusal as a client reads them (services/platform/error_details.h): a
// google.rpc.ErrorInfo of domain "cchc" with the expected reason and, when a field is expected, that field in its
// metadata and — for INVALID_ARGUMENT — a google.rpc.BadRequest whose one violation names it.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "platform/error_details.h"

namespace cchc::testing {

inline ::testing::AssertionResult HasDetails(const grpc::Status& status, const std::string& reason,
                                             const std::string& field) {
  auto d = error_details::ParseDetails(status);
  if (!d) return ::testing::AssertionFailure() << "no details on " << status.error_message();
  if (d->domain != "cchc" || d->reason != reason)
    return ::testing::AssertionFailure() << "ErrorInfo " << d->domain << "/" << d->reason << ", expected cchc/"
                                         << reason << " on " << status.error_message();
  auto meta = d->metadata.find("field");
  std::string meta_field = meta == d->metadata.end() ? "" : meta->second;
  if (meta_field != field)
    return ::testing::AssertionFailure() << "ErrorInfo field \"" << meta_field << "\", expected \"" << field << "\"";
  bool wants_violation = status.error_code() == grpc::StatusCode::INVALID_ARGUMENT && !field.empty();
  if (!wants_violation) {
    if (!d->field_violations.empty()) return ::testing::AssertionFailure() << "unexpected BadRequest";
    return ::testing::AssertionSuccess();
  }
  if (d->field_violations.size() != 1 || d->field_violations[0].first != field)
    return ::testing::AssertionFailure() << "BadRequest does not name exactly " << field;
  const std::string& description = d->field_violations[0].second;
  if (description.empty() || status.error_message() != field + ": " + description)
    return ::testing::AssertionFailure() << "violation description \"" << description << "\" is not the message's";
  return ::testing::AssertionSuccess();
}

}  // namespace cchc::testing
