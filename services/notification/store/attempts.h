#pragma once
// The attempt log of a delivery (delivery_attempts, migrations 001 and 010): one row per attempt with its outcome,
// status, duration, number and the first 4096 bytes of the response body. At most kAttemptsKept rows a delivery:
// adding one removes the older ones, in the caller's transaction.
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"

namespace cchc::notification {

inline constexpr int kAttemptsKept = 50;

// The statements below, for the pool to prepare.
std::vector<db::Statement> AttemptStatements();

struct AttemptRecord {
  std::string delivery_id;
  v1::Channel channel = v1::WEBHOOK;
  std::string outcome;  // delivered, retry, dead_letter
  int status_code = 0;
  std::string error;
  int64_t duration_ms = 0;
  int attempt_number = 0;
  std::string response_body;  // at most 4096 bytes (the column refuses more)
  bool response_truncated = false;
};

// Adds `a` to its delivery's log and drops all but the newest kAttemptsKept, inside `tx`.
void AppendAttempt(pqxx::transaction_base& tx, const AttemptRecord& a);
// The delivery's attempts, oldest first, into `d->attempts`.
void ReadAttempts(pqxx::transaction_base& tx, const std::string& delivery_id, v1::Delivery* d);

}  // namespace cchc::notification
