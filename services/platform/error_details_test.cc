// The AIP-193 details StatusOf puts on refusals: ErrorInfo with a reason from error_reason.proto (the thrown one,
// else the code's default), BadRequest naming the field for INVALID_ARGUMENT, and the message unchanged.
#include "error_details.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "handler.h"

namespace cchc {
namespace {

namespace v1 = platform::v1;
using error_details::Details;
using error_details::ParseDetails;

template <typename Fn>
std::pair<grpc::Status, Details> Refuse(Fn&& fn) {
  grpc::Status status = StatusOf(fn);
  auto details = ParseDetails(status);
  EXPECT_TRUE(details.has_value()) << status.error_message();
  return {status, details.value_or(Details{})};
}

using Violations = std::vector<std::pair<std::string, std::string>>;

TEST(FieldOfMessage, ReadsTheLeadingFieldPathOnly) {
  EXPECT_EQ(error_details::FieldOfMessage("document.code: not a code"), "document.code");
  EXPECT_EQ(error_details::FieldOfMessage("results[2].fields[10].points: a decimal"), "results[2].fields[10].points");
  EXPECT_EQ(error_details::FieldOfMessage("update_mask.paths[1]: \"colour\" is not a field"), "update_mask.paths[1]");
  EXPECT_EQ(error_details::FieldOfMessage("a concurrent change held this one up; retry"), "");
  EXPECT_EQ(error_details::FieldOfMessage("nothing to update: give an option"), "");
  EXPECT_EQ(error_details::FieldOfMessage("x-client-id: too long"), "");
  EXPECT_EQ(error_details::FieldOfMessage("items[]: empty index"), "");
  EXPECT_EQ(error_details::FieldOfMessage("document.: trailing dot"), "");
  EXPECT_EQ(error_details::FieldOfMessage("page_size"), "");
}

TEST(StatusOfDetails, FieldErrorIsInvalidFieldWithItsViolationAndTheSameMessage) {
  auto [status, d] = Refuse([]() -> grpc::Status {
    Require(FieldError{"document.subject", "is required"});
    return grpc::Status::OK;
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "document.subject: is required");
  EXPECT_EQ(d.domain, "cchc");
  EXPECT_EQ(d.reason, "INVALID_FIELD");
  EXPECT_EQ(d.metadata.at("field"), "document.subject");
  EXPECT_EQ(d.field_violations, (Violations{{"document.subject", "is required"}}));
}

TEST(StatusOfDetails, ARuleCanGiveAMoreSpecificReason) {
  auto [status, d] = Refuse([]() -> grpc::Status {
    Require(FieldError{"document.code", "must be number/TYPE-ISSUER", v1::INVALID_DOCUMENT_CODE});
    return grpc::Status::OK;
  });
  EXPECT_EQ(status.error_message(), "document.code: must be number/TYPE-ISSUER");
  EXPECT_EQ(d.reason, "INVALID_DOCUMENT_CODE");
  EXPECT_EQ(d.field_violations, (Violations{{"document.code", "must be number/TYPE-ISSUER"}}));
}

TEST(StatusOfDetails, DomainErrorsGetTheirReasonOrTheirKindsDefault) {
  auto [exists, e] = Refuse([]() -> grpc::Status {
    throw DomainError(DomainErrorKind::kAlreadyExists, "document.code: 1/KH-SGDĐT already exists", v1::DUPLICATE_CODE);
  });
  EXPECT_EQ(exists.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(e.reason, "DUPLICATE_CODE");
  EXPECT_EQ(e.metadata.at("field"), "document.code");
  EXPECT_TRUE(e.field_violations.empty()) << "BadRequest is for INVALID_ARGUMENT only";

  auto [state, s] = Refuse([]() -> grpc::Status {
    throw DomainError(DomainErrorKind::kFailedPrecondition, "period: periods/1 is OPEN; submitting needs it ...");
  });
  EXPECT_EQ(state.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.reason, "WRONG_STATE");
  EXPECT_EQ(s.metadata.at("field"), "period");

  auto [conflict, c] = Refuse([]() -> grpc::Status { throw DomainError(DomainErrorKind::kConflict, "name: retry"); });
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(c.reason, "CONCURRENT_CHANGE");

  auto [invalid, i] = Refuse([]() -> grpc::Status {
    throw DomainError(DomainErrorKind::kInvalid, "results[0].fields: 30.00 exceeds field A's maximum 20.00",
                      v1::INVALID_SCORE);
  });
  EXPECT_EQ(i.reason, "INVALID_SCORE");
  EXPECT_EQ(i.field_violations, (Violations{{"results[0].fields", "30.00 exceeds field A's maximum 20.00"}}));
}

TEST(StatusOfDetails, StatusesTheHandlerReturnsGetTheirCodesDefault) {
  auto [status, d] = Refuse([] { return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_size: must be >= 0"); });
  EXPECT_EQ(status.error_message(), "page_size: must be >= 0");
  EXPECT_EQ(d.reason, "INVALID_FIELD");
  EXPECT_EQ(d.field_violations, (Violations{{"page_size", "must be >= 0"}}));
  auto [stale, s] = Refuse(
      []() -> grpc::Status { throw StatusError(grpc::StatusCode::ABORTED, "etag: \"1\" is stale", v1::STALE_ETAG); });
  EXPECT_EQ(s.reason, "STALE_ETAG");
  EXPECT_EQ(s.metadata.at("field"), "etag");
}

TEST(StatusOfDetails, DatabaseConflictsAreConcurrentChangesWithoutAField) {
  auto [status, d] = Refuse([]() -> grpc::Status { throw pqxx::deadlock_detected("deadlock detected"); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(d.reason, "CONCURRENT_CHANGE");
  EXPECT_EQ(d.metadata.count("field"), 0u);
}

TEST(StatusOfDetails, OtherCodesCarryNone) {
  EXPECT_TRUE(StatusOf([] { return grpc::Status::OK; }).error_details().empty());
  EXPECT_TRUE(StatusOf([]() -> grpc::Status { ThrowNotFound("name: gone"); }).error_details().empty());
  EXPECT_TRUE(StatusOf([]() -> grpc::Status { throw std::runtime_error("bug"); }).error_details().empty());
  EXPECT_TRUE(StatusOf([]() -> grpc::Status { throw DomainError(DomainErrorKind::kExhausted, "x: full"); })
                  .error_details()
                  .empty());
}

TEST(ErrorStatus, InvalidRequestNamesNoFieldAndTextsAreBounded) {
  auto request = error_details::ErrorStatus(grpc::StatusCode::INVALID_ARGUMENT, "request: not a valid message",
                                            v1::INVALID_REQUEST);
  auto d = ParseDetails(request);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reason, "INVALID_REQUEST");
  EXPECT_TRUE(d->field_violations.empty());
  EXPECT_EQ(d->metadata.count("field"), 0u);

  std::string long_text = "document.subject: " + std::string(3000, 'x');
  auto bounded = error_details::ErrorStatus(grpc::StatusCode::INVALID_ARGUMENT, long_text);
  EXPECT_EQ(bounded.error_message(), long_text) << "the message itself stays whole";
  EXPECT_LT(bounded.error_details().size(), 2 * error_details::kMaxDetailText + 200);
  // An explicit field wins over the message's.
  auto explicit_field = error_details::ErrorStatus(grpc::StatusCode::INVALID_ARGUMENT, "x-client-id: too long",
                                                   v1::ERROR_REASON_UNSPECIFIED, "x-client-id");
  EXPECT_EQ(ParseDetails(explicit_field)->field_violations, (Violations{{"x-client-id", "too long"}}));
}

TEST(ErrorReasons, ArchitectureMdListsEveryReasonAndEveryNameIsAnAip193Reason) {
  std::ifstream in(std::string(CCHC_SOURCE_DIR) + "/ARCHITECTURE.md");
  ASSERT_TRUE(in) << "cannot read ARCHITECTURE.md";
  std::stringstream doc;
  doc << in.rdbuf();
  const auto* values = v1::ErrorReason_descriptor();
  for (int i = 0; i < values->value_count(); ++i) {
    const std::string& name = values->value(i)->name();
    if (values->value(i)->number() == 0) continue;  // never sent
    EXPECT_NE(doc.str().find("`" + name + "`"), std::string::npos) << name << " is not in ARCHITECTURE.md";
    EXPECT_LE(name.size(), 63u);  // AIP-193: at most 63 characters of [A-Z0-9_]
    EXPECT_EQ(name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace cchc
