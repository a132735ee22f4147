#include "consumer_failure.h"

#include <pqxx/pqxx>

#include "db.h"

namespace cchc::consumer {

Failure ClassifySqlState(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return Failure::kOther;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "55P03") return Failure::kConflict;
  // 40002: a constraint found violated at commit, the data's fault.
  if (cls == "40") return sqlstate == "40002" ? Failure::kOther : Failure::kConflict;
  if (cls == "08" || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") return Failure::kConnection;
  if (sqlstate == "57014") return Failure::kTimeout;
  return Failure::kOther;
}

Failure Classify(const std::exception& e) {
  // libpqxx 6.4 throws class 40 as transaction_rollback's subclasses, which carry no SQLSTATE.
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e)) return Failure::kConflict;
  if (dynamic_cast<const pqxx::broken_connection*>(&e) || dynamic_cast<const pqxx::in_doubt_error*>(&e) ||
      dynamic_cast<const db::Unavailable*>(&e))
    return Failure::kConnection;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) return ClassifySqlState(sql->sqlstate());
  return Failure::kOther;
}

bool IsTransient(Failure failure) {
  return failure == Failure::kConflict || failure == Failure::kConnection;
}

const char* Name(Failure failure) {
  switch (failure) {
    case Failure::kConflict:
      return "conflict";
    case Failure::kConnection:
      return "connection";
    case Failure::kTimeout:
      return "timeout";
    case Failure::kOther:
      break;
  }
  return "other";
}

bool SpendsAttempt(Failure failure, std::chrono::milliseconds transient_elapsed,
                   std::chrono::milliseconds transient_budget) {
  return !IsTransient(failure) || transient_elapsed >= transient_budget;
}

}  // namespace cchc::consumer
