#include "consumer_failure.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <stdexcept>

#include "db.h"

namespace cchc::consumer {
namespace {

using std::chrono::milliseconds;

TEST(ConsumerFailure, ConflictsAndLostConnectionsAreTransientByTheirSqlState) {
  EXPECT_EQ(ClassifySqlState("40001"), Failure::kConflict);  // serialization_failure
  EXPECT_EQ(ClassifySqlState("40P01"), Failure::kConflict);  // deadlock_detected
  EXPECT_EQ(ClassifySqlState("55P03"), Failure::kConflict);  // lock_not_available
  EXPECT_EQ(ClassifySqlState("40003"), Failure::kConflict);  // statement_completion_unknown
  EXPECT_EQ(ClassifySqlState("08006"), Failure::kConnection);
  EXPECT_EQ(ClassifySqlState("08000"), Failure::kConnection);
  EXPECT_EQ(ClassifySqlState("57P01"), Failure::kConnection);  // admin_shutdown
  EXPECT_EQ(ClassifySqlState("57P03"), Failure::kConnection);  // cannot_connect_now
}

TEST(ConsumerFailure, ATimeoutAndTheDatasOwnErrorsAreNotTransient) {
  EXPECT_EQ(ClassifySqlState("57014"), Failure::kTimeout);  // query_canceled: statement_timeout
  EXPECT_EQ(ClassifySqlState("40002"), Failure::kOther);    // a deferred constraint violated at commit
  EXPECT_EQ(ClassifySqlState("23505"), Failure::kOther);
  EXPECT_EQ(ClassifySqlState("55000"), Failure::kOther);  // object_not_in_prerequisite_state
  EXPECT_EQ(ClassifySqlState("P0001"), Failure::kOther);
  EXPECT_EQ(ClassifySqlState(""), Failure::kOther);
  EXPECT_EQ(ClassifySqlState("08"), Failure::kOther);
}

TEST(ConsumerFailure, LibpqxxErrorsAreClassifiedByTypeOrSqlState) {
  EXPECT_EQ(Classify(pqxx::deadlock_detected("deadlock detected")), Failure::kConflict);
  EXPECT_EQ(Classify(pqxx::serialization_failure("could not serialize access")), Failure::kConflict);
  EXPECT_EQ(Classify(pqxx::sql_error("could not obtain lock", "SELECT 1 FOR UPDATE NOWAIT", "55P03")),
            Failure::kConflict);
  EXPECT_EQ(Classify(pqxx::broken_connection("server closed the connection")), Failure::kConnection);
  EXPECT_EQ(Classify(pqxx::in_doubt_error("connection lost during commit")), Failure::kConnection);
  EXPECT_EQ(Classify(db::Unavailable("no connection within 2000 ms")), Failure::kConnection);
  EXPECT_EQ(Classify(pqxx::sql_error("canceling statement due to statement timeout", "SELECT pg_sleep(9)", "57014")),
            Failure::kTimeout);
  EXPECT_EQ(Classify(pqxx::unique_violation("duplicate key", "INSERT", "23505")), Failure::kOther);
  EXPECT_EQ(Classify(std::runtime_error("cannot handle this event")), Failure::kOther);
}

TEST(ConsumerFailure, ATransientFailureSpendsNoAttemptUntilTheBudgetIsUsed) {
  const milliseconds budget(300000);
  EXPECT_FALSE(SpendsAttempt(Failure::kConflict, milliseconds(0), budget));
  EXPECT_FALSE(SpendsAttempt(Failure::kConnection, milliseconds(299999), budget));
  EXPECT_TRUE(SpendsAttempt(Failure::kConflict, milliseconds(300000), budget));
  EXPECT_TRUE(SpendsAttempt(Failure::kConnection, milliseconds(400000), budget));
  EXPECT_TRUE(SpendsAttempt(Failure::kConflict, milliseconds(0), milliseconds(0)));  // no budget: every one spends
}

TEST(ConsumerFailure, ATimeoutOrAnyOtherFailureAlwaysSpendsAnAttempt) {
  EXPECT_TRUE(SpendsAttempt(Failure::kTimeout, milliseconds(0), milliseconds(300000)));
  EXPECT_TRUE(SpendsAttempt(Failure::kOther, milliseconds(0), milliseconds(300000)));
  EXPECT_FALSE(IsTransient(Failure::kTimeout));
  EXPECT_STREQ(Name(Failure::kTimeout), "timeout");
  EXPECT_STREQ(Name(Failure::kConflict), "conflict");
}

}  // namespace
}  // namespace cchc::consumer
