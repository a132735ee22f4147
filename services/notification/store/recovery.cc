#include "store/recovery.h"

#include "platform/domain_error.h"
#include "store/deliveries.h"

namespace cchc::notification {
namespace {

// Resend: delivery $1 pending and due now with $2 attempts left at least. A leased row (mid-attempt) keeps its
// lease, claim count and due time; a finished one forgets its lost claims (as RetryDeadLetter does).
const db::Statement kResend{
    "resend_delivery",
    "UPDATE deliveries SET due_at = CASE WHEN state = 1 AND lease_until > clock_timestamp() THEN due_at ELSE "
    "LEAST(due_at, clock_timestamp()) END, claims = CASE WHEN state = 1 THEN claims ELSE attempt_count END, "
    "state = 1, attempt_budget = GREATEST(attempt_budget, attempt_count + $2), finished_at = NULL "
    "WHERE id = $1::uuid RETURNING id"};
// RecoverFailed: of subscriber $1, up to $3 dead letters finished at or after $2 (µs) and retries waiting after an
// attempt at or after it, rows locked elsewhere passed by; pending, due now, $4 attempts left at least.
const db::Statement kRecoverFailed{
    "recover_failed",
    "WITH c AS (SELECT d.id FROM deliveries d WHERE d.subscriber_id = $1 AND ((d.state = 3 AND d.finished_at >= " +
        db::FromEpochMicros("$2") +
        ") OR (d.state = 1 AND d.attempt_count > 0 AND d.due_at > clock_timestamp() AND (d.lease_until IS NULL OR "
        "d.lease_until <= clock_timestamp()) AND EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.delivery_id = d.id "
        "AND a.at >= " +
        db::FromEpochMicros("$2") +
        "))) ORDER BY d.id LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED) UPDATE deliveries d SET due_at = "
        "clock_timestamp(), claims = CASE WHEN d.state = 1 THEN d.claims ELSE d.attempt_count END, state = 1, "
        "attempt_budget = GREATEST(d.attempt_budget, d.attempt_count + $4), finished_at = NULL FROM c WHERE d.id = "
        "c.id"};

}  // namespace

std::vector<db::Statement> RecoveryStatements() {
  return {kResend, kRecoverFailed};
}

v1::Delivery RecoveryStore::Resend(const std::string& id, int budget) {
  bool found = pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement
    return !tx.exec_prepared(kResend.name, id, budget).empty();
  });
  if (!found) ThrowNotFound("name: deliveries/" + id + " not found");
  auto d = DeliveryStore(pool_).Get(id);
  if (!d) ThrowNotFound("name: deliveries/" + id + " not found");
  return *d;
}

Recovered RecoveryStore::RecoverFailed(const std::string& subscriber_id, int64_t since_micros, int limit, int budget) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement
    Recovered out;
    out.count = static_cast<int64_t>(
        tx.exec_prepared(kRecoverFailed.name, subscriber_id, since_micros, limit, budget).affected_rows());
    out.more = out.count >= limit;
    return out;
  });
}

}  // namespace cchc::notification
