#pragma once
// Why an attempt at an event failed, and whether that spends one of the event's attempts. A conflict with
// another transaction (serialization failure 40001, deadlock 40P01, lock not available 55P03) or a lost
// connection (class 08, the server shutting down 57P01-57P03, a commit whose outcome is unknown) is not the
// event's fault: retried without spending attempts for a bounded time per event. A statement time-out (57014)
// always spends one, so that no event holds its partition for ever; so does everything else.
#include <chrono>
#include <exception>
#include <string_view>

namespace cchc::consumer {

enum class Failure {
  kConflict,    // with another transaction: 40001, 40P01, 55P03, the rest of class 40 but 40002
  kConnection,  // the connection, not the statement: class 08, 57P01-57P03, pqxx::broken_connection,
                // pqxx::in_doubt_error, db::Unavailable
  kTimeout,     // statement_timeout or a cancel: 57014
  kOther,       // the handler's or the data's
};

// By SQLSTATE (five characters, e.g. "40P01"); kOther for anything unknown, the empty string included.
Failure ClassifySqlState(std::string_view sqlstate);
// By what an attempt threw: libpqxx's typed errors, pqxx::sql_error by its SQLSTATE, db::Unavailable.
Failure Classify(const std::exception& e);
// kConflict and kConnection.
bool IsTransient(Failure failure);
// "conflict", "connection", "timeout", "other": the metric label.
const char* Name(Failure failure);

// Whether a failed attempt spends one of the event's attempts: a transient failure does not while the time
// since the event's first transient failure (`transient_elapsed`) is below `transient_budget`; any other
// failure always does.
bool SpendsAttempt(Failure failure, std::chrono::milliseconds transient_elapsed,
                   std::chrono::milliseconds transient_budget);

}  // namespace cchc::consumer
