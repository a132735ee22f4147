#include "store/attempts.h"

namespace cchc::notification {
namespace {

// AppendAttempt: the attempt, then the delivery's attempts before its newest $2 removed.
const db::Statement kInsertAttempt{
    "insert_attempt",
    "INSERT INTO delivery_attempts (delivery_id, channel, outcome, status_code, error, duration_ms, attempt_number, "
    "response_body, response_truncated) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9)"};
const db::Statement kPruneAttempts{
    "prune_attempts",
    "DELETE FROM delivery_attempts WHERE delivery_id = $1::uuid AND id < (SELECT min(id) FROM (SELECT id FROM "
    "delivery_attempts WHERE delivery_id = $1::uuid ORDER BY id DESC LIMIT $2) AS newest)"};
// ReadAttempts.
const db::Statement kAttempts{
    "get_attempts", "SELECT " + db::EpochMicros("at") +
                        " AS at_us, channel, outcome, status_code, error, duration_ms, attempt_number, response_body, "
                        "response_truncated FROM delivery_attempts WHERE delivery_id = $1::uuid ORDER BY id"};

}  // namespace

std::vector<db::Statement> AttemptStatements() {
  return {kInsertAttempt, kPruneAttempts, kAttempts};
}

void AppendAttempt(pqxx::transaction_base& tx, const AttemptRecord& a) {
  tx.exec_prepared(kInsertAttempt.name, a.delivery_id, static_cast<int>(a.channel), a.outcome, a.status_code, a.error,
                   a.duration_ms, a.attempt_number, pqxx::binarystring(a.response_body.data(), a.response_body.size()),
                   a.response_truncated);
  tx.exec_prepared(kPruneAttempts.name, a.delivery_id, kAttemptsKept);
}

void ReadAttempts(pqxx::transaction_base& tx, const std::string& delivery_id, v1::Delivery* d) {
  for (const auto& a : tx.exec_prepared(kAttempts.name, delivery_id)) {
    auto* out = d->add_attempts();
    db::SetTimestamp(out->mutable_time(), a["at_us"].as<int64_t>());
    out->set_channel(static_cast<v1::Channel>(a["channel"].as<int>()));
    out->set_outcome(a["outcome"].as<std::string>());
    out->set_status_code(a["status_code"].as<int>());
    out->set_error(a["error"].as<std::string>());
    out->set_duration_ms(a["duration_ms"].as<int64_t>());
    out->set_attempt_number(a["attempt_number"].as<int>());
    pqxx::binarystring body(a["response_body"]);
    out->set_response_body(body.str());
    out->set_response_body_truncated(a["response_truncated"].as<bool>());
  }
}

}  // namespace cchc::notification
