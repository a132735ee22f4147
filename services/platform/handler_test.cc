// What StatusOf makes of the database's errors: the role's time-outs and conflicts are retryable statuses,
// not INTERNAL.
#include "handler.h"

#include <gtest/gtest.h>

namespace cchc {
namespace {

template <typename E>
grpc::StatusCode CodeOf(const E& error) {
  return StatusOf([&]() -> grpc::Status { throw error; }).error_code();
}

TEST(StatusOf, TimeOutsConflictsAndLostOutcomesAreRetryableNotInternal) {
  EXPECT_EQ(CodeOf(pqxx::sql_error("canceling statement due to statement timeout", "SELECT 1", "57014")),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CodeOf(pqxx::sql_error("could not obtain lock", "SELECT 1", "55P03")), grpc::StatusCode::ABORTED);
  EXPECT_EQ(CodeOf(pqxx::deadlock_detected("deadlock detected")), grpc::StatusCode::ABORTED);
  EXPECT_EQ(CodeOf(pqxx::serialization_failure("could not serialize access")), grpc::StatusCode::ABORTED);
  EXPECT_EQ(CodeOf(pqxx::statement_completion_unknown("connection lost during COMMIT")), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CodeOf(pqxx::broken_connection("server closed the connection")), grpc::StatusCode::UNAVAILABLE);
}

TEST(StatusOf, OtherDatabaseErrorsAreInternalAndFieldErrorsInvalidArgument) {
  EXPECT_EQ(CodeOf(pqxx::sql_error("duplicate key", "INSERT", "23505")), grpc::StatusCode::INTERNAL);
  auto status = StatusOf([]() -> grpc::Status {
    Require(FieldError{"document.subject", "is required"});
    return grpc::Status::OK;
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "document.subject: is required");
}

TEST(StatusOf, DomainErrorsMapByKindWithTheirMessage) {
  EXPECT_EQ(CodeOf(DomainError(DomainErrorKind::kInvalid, "x")), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(CodeOf(DomainError(DomainErrorKind::kAlreadyExists, "x")), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(CodeOf(DomainError(DomainErrorKind::kFailedPrecondition, "x")), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(CodeOf(DomainError(DomainErrorKind::kConflict, "x")), grpc::StatusCode::ABORTED);
  EXPECT_EQ(CodeOf(DomainError(DomainErrorKind::kExhausted, "x")), grpc::StatusCode::RESOURCE_EXHAUSTED);
  auto status = StatusOf([]() -> grpc::Status { ThrowNotFound("documents/abc not found"); });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "documents/abc not found");
}

}  // namespace
}  // namespace cchc
