#include "store/deliveries.h"

#include <algorithm>
#include <map>

#include "platform/domain_error.h"
#include "store/attempts.h"
#include "store/digests.h"
#include "store/rows.h"

namespace cchc::notification {
namespace {

// The endpoint of delivery d to subscriber s, as delivery/endpoint_gate.h names it (WebhookEndpoint,
// EmailEndpoint: only ASCII letters folded, hence the C collation).
std::string EndpointKeySql() {
  return "(CASE WHEN d.channel = " + std::to_string(v1::WEBHOOK) +
         " THEN 'webhook ' || s.webhook_url ELSE 'email ' || lower(s.email COLLATE \"C\") END)";
}

// DeliveryOf's columns of `deliveries d`.
const std::string kColumns =
    "d.id::text AS id, d.subscriber_id, COALESCE(d.notification, 0) AS notification, "
    "d.channel, d.state, d.attempt_count, " +
    db::EpochMicros("d.due_at") + " AS due_us, d.last_error, " + db::EpochMicros("d.created_at") +
    " AS created_us, COALESCE(d.digest_day::text, '') AS digest_day, COALESCE(" + db::EpochMicros("d.finished_at") +
    ", 0) AS finished_us";

v1::Delivery DeliveryOf(const pqxx::row& r) {
  v1::Delivery d;
  d.set_name("deliveries/" + r["id"].as<std::string>());
  d.set_subscriber("subscribers/" + r["subscriber_id"].as<std::string>());
  if (int64_t c = r["notification"].as<int64_t>())
    d.set_notification(d.subscriber() + "/notifications/" + std::to_string(c));
  d.set_channel(static_cast<v1::Channel>(r["channel"].as<int>()));
  d.set_state(static_cast<v1::DeliveryState>(r["state"].as<int>()));
  d.set_attempt_count(r["attempt_count"].as<int>());
  if (d.state() == v1::PENDING) db::SetTimestamp(d.mutable_next_attempt_time(), r["due_us"].as<int64_t>());
  d.set_last_error(r["last_error"].as<std::string>());
  db::SetTimestamp(d.mutable_create_time(), r["created_us"].as<int64_t>());
  d.set_digest_day(r["digest_day"].as<std::string>());
  return d;
}

// ClaimDue: up to $3 of the oldest deliveries due at $4 (µs) whose lease (if any) has passed and whose endpoint is not
// in $2 (EndpointKeySql), each leased for $1 ms under a fresh token; their subscribers are read FOR KEY SHARE SKIP
// LOCKED (one being deleted is skipped). Commits at once.
const db::Statement kClaimDue{
    "claim_due",
    "WITH c AS (SELECT d.id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.state = 1 AND "
    "d.due_at <= " +
        db::FromEpochMicros("$4") + " AND (d.lease_until IS NULL OR d.lease_until <= clock_timestamp()) AND " +
        EndpointKeySql() +
        " <> ALL($2::text[]) ORDER BY d.due_at LIMIT $3 FOR KEY SHARE OF s SKIP LOCKED FOR NO KEY UPDATE OF d SKIP "
        "LOCKED) UPDATE deliveries d SET lease_until = clock_timestamp() + $1::bigint * interval '1 millisecond', "
        "claim_token = gen_random_uuid(), claims = d.claims + 1 FROM c, subscribers s WHERE d.id = c.id AND s.id = "
        "d.subscriber_id "
        "RETURNING d.id::text AS id, d.subscriber_id, s.display_name, s.email, s.webhook_url, s.webhook_secret, "
        "CASE WHEN s.webhook_secret_previous_until > clock_timestamp() THEN s.webhook_secret_previous ELSE '' END "
        "AS webhook_secret_previous, "
        "d.channel, d.attempt_count, d.attempt_budget, d.claims - d.attempt_count - 1 AS lost_claims, "
        "COALESCE(d.digest_day::text, '') AS digest_day, "
        "COALESCE(d.notification, 0) AS notification, " +
        SendWindowsColumn("s.") +
        ", d.claim_token::text AS claim_token, COALESCE(d.traceparent, '') AS traceparent, "
        "COALESCE((SELECT COALESCE(NULLIF(h.disabled_reason, ''), 'disabled') FROM endpoint_health h WHERE "
        "h.subscriber_id = s.id AND h.disabled_at IS NOT NULL), '') AS webhook_disabled_reason, EXISTS (SELECT 1 FROM "
        "endpoint_health h WHERE h.subscriber_id = s.id) AS endpoint_health_row, " +
        db::EpochMicros("d.due_at") + " AS due_micros"};
// LoadItems: the notifications (cursors $1) of claimed deliveries that are not digests.
const db::Statement kClaimedNotifications{
    "claimed_notifications",
    "SELECT " + NotificationColumns() + " FROM notifications n WHERE n.cursor = ANY($1::bigint[])"};
// Unclaim: claimed deliveries (ids $1, tokens $2) handed back unattempted (their endpoint could not take them):
// due as before, spending nothing.
const db::Statement kUnclaim{
    "unclaim",
    "UPDATE deliveries d SET lease_until = NULL, claim_token = NULL, claims = d.claims - 1 FROM unnest($1::uuid[], "
    "$2::uuid[]) AS u(id, token) WHERE d.id = u.id AND d.claim_token = u.token AND d.state = 1"};
// Postpone: claimed deliveries (ids $1, tokens $2) handed back unattempted, due at $3 (µs) each: outside their
// subscriber's send windows.
const db::Statement kPostpone{
    "postpone", "UPDATE deliveries d SET lease_until = NULL, claim_token = NULL, claims = d.claims - 1, due_at = " +
                    db::FromEpochMicros("u.due") +
                    " FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS u(id, token, due) WHERE d.id = u.id AND "
                    "d.claim_token = u.token AND d.state = 1"};
// DeferEndpoint: the due deliveries (and retries due before then) of endpoint $1 that no worker holds wait: they
// keep their order, $3 µs apart from $2 (µs) on, and spend no attempt.
const db::Statement kDeferEndpoint{
    "defer_endpoint",
    "WITH held AS (SELECT d.id, d.due_at FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE "
    "d.state = 1 AND d.due_at < " +
        db::FromEpochMicros("$2") + " AND (d.lease_until IS NULL OR d.lease_until <= clock_timestamp()) AND " +
        EndpointKeySql() +
        " = $1 FOR NO KEY UPDATE OF d SKIP LOCKED), waiting AS (SELECT id, row_number() OVER (ORDER BY due_at, id) "
        "AS n FROM held) UPDATE deliveries d SET due_at = " +
        db::FromEpochMicros("$2") +
        " + (waiting.n - 1) * $3::bigint * interval '1 microsecond' FROM waiting WHERE d.id = waiting.id"};
// RecordOutcome: the subscriber first (every transaction locking both does), then the delivery, only while the
// claim is this one's.
const db::Statement kLeaseSubscriber{"lease_subscriber", "SELECT id FROM subscribers WHERE id = $1 FOR KEY SHARE"};
const db::Statement kLeaseHeld{
    "lease_held", "SELECT id FROM deliveries WHERE id = $1::uuid AND claim_token = $2::uuid AND state = 1 FOR UPDATE"};
// RecordOutcome: the attempt (store/attempts.h), then the delivery's state $2 (a retry due at $4 µs) with the lease
// cleared.
const db::Statement kUpdate{
    "update_delivery",
    "UPDATE deliveries SET attempt_count = attempt_count + 1, state = $2::smallint, last_error = $3, due_at = "
    "COALESCE(" +
        db::FromEpochMicros("$4") +
        ", due_at), finished_at = CASE WHEN $2::smallint = 1 THEN NULL ELSE clock_timestamp() END, lease_until = "
        "NULL, claim_token = NULL WHERE id = $1::uuid"};
// PendingCount, DeadLetterCount.
const db::Statement kPendingCount{"pending_count", "SELECT count(*) AS n FROM deliveries WHERE state = 1"};
const db::Statement kDeadCount{"dead_count", "SELECT count(*) AS n FROM deliveries WHERE state = 3"};
// Get: the delivery, then its attempts (store/attempts.h).
const db::Statement kGetDelivery{"get_delivery", "SELECT " + kColumns + " FROM deliveries d WHERE d.id = $1::uuid"};
// ListDeadLetters: the optional keyset ($1 µs, $2 id) makes it run unprepared, planned per call (see db::Statement).
const std::string kListDeadSql =
    "SELECT " + kColumns + " FROM deliveries d WHERE d.state = 3 AND ($1::bigint IS NULL OR (" +
    db::EpochMicros("d.finished_at") +
    ", d.id::text) < ($1::bigint, $2::text)) ORDER BY d.finished_at DESC, d.id::text DESC LIMIT $3";
// RetryDeadLetter: $2 more attempts; no row unless it was a dead letter.
const db::Statement kRetryDead{"retry_dead",
                               "UPDATE deliveries SET state = 1, due_at = clock_timestamp(), attempt_budget = "
                               "attempt_count + $2, claims = attempt_count, finished_at = NULL WHERE id = $1::uuid AND "
                               "state = 3 RETURNING id"};

DueDelivery DueDeliveryOf(const pqxx::row& r) {
  DueDelivery d;
  d.id = r["id"].as<std::string>();
  d.subscriber_id = r["subscriber_id"].as<std::string>();
  d.display_name = r["display_name"].as<std::string>();
  d.email = r["email"].as<std::string>();
  d.webhook_url = r["webhook_url"].as<std::string>();
  for (const char* column : {"webhook_secret", "webhook_secret_previous"})
    if (auto secret = r[column].as<std::string>(); !secret.empty()) d.webhook_secrets.push_back(std::move(secret));
  d.channel = static_cast<v1::Channel>(r["channel"].as<int>());
  d.attempt_count = r["attempt_count"].as<int>();
  d.attempt_budget = r["attempt_budget"].as<int>();
  d.lost_claims = r["lost_claims"].as<int>();
  d.digest_day = r["digest_day"].as<std::string>();
  d.windows = SendWindowsOf(r);
  d.claim_token = r["claim_token"].as<std::string>();
  d.traceparent = r["traceparent"].as<std::string>();
  d.webhook_disabled_reason = r["webhook_disabled_reason"].as<std::string>();
  d.endpoint_health_row = r["endpoint_health_row"].as<bool>();
  d.notification = r["notification"].as<int64_t>();
  return d;
}

}  // namespace

std::vector<db::Statement> DeliveryStatements() {
  return {kClaimDue,  kPostpone, kClaimedNotifications, kUnclaim,   kDeferEndpoint, kLeaseSubscriber,
          kLeaseHeld, kUpdate,   kPendingCount,         kDeadCount, kGetDelivery,   kRetryDead};
}

std::vector<DueDelivery> DeliveryStore::ClaimDue(std::chrono::milliseconds lease,
                                                 const std::vector<std::string>& passed_by, int limit,
                                                 Clock::time_point now) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement, committed as a whole: no round trip inside a transaction
    auto rows = tx.exec_prepared(kClaimDue.name, static_cast<int64_t>(lease.count()), db::TextArrayLiteral(passed_by),
                                 limit, Micros(now));
    std::vector<std::pair<int64_t, DueDelivery>> claimed;  // by due time: the UPDATE returns rows in no order
    for (const auto& r : rows) claimed.emplace_back(r["due_micros"].as<int64_t>(), DueDeliveryOf(r));
    std::stable_sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<DueDelivery> out;
    for (auto& [_, d] : claimed) out.push_back(std::move(d));
    return out;
  });
}

void DeliveryStore::LoadItems(std::vector<DueDelivery>& claimed) {
  std::vector<int64_t> cursors;
  for (const auto& d : claimed)
    if (d.notification) cursors.push_back(d.notification);
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // reads, each a statement of its own
    std::map<int64_t, v1::Notification> notifications;
    if (!cursors.empty())
      for (const auto& row : tx.exec_prepared(kClaimedNotifications.name, db::IntArrayLiteral(cursors))) {
        v1::Notification n = NotificationOf(row);
        notifications.emplace(n.cursor(), std::move(n));
      }
    for (auto& d : claimed) {
      d.items.clear();
      if (!d.notification) {
        d.items = DigestItems(tx, d.id);
      } else if (auto it = notifications.find(d.notification); it != notifications.end()) {
        d.items.push_back(it->second);
      }
    }
  });
}

void DeliveryStore::Unclaim(const std::vector<DueDelivery>& claimed) {
  if (claimed.empty()) return;
  std::vector<std::string> ids, tokens;
  for (const auto& d : claimed) ids.push_back(d.id), tokens.push_back(d.claim_token);
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_prepared(kUnclaim.name, db::TextArrayLiteral(ids), db::TextArrayLiteral(tokens));
  });
}

void DeliveryStore::Postpone(const std::vector<std::pair<DueDelivery, int64_t>>& waiting) {
  if (waiting.empty()) return;
  std::vector<std::string> ids, tokens;
  std::vector<int64_t> due;
  for (const auto& [d, at] : waiting) ids.push_back(d.id), tokens.push_back(d.claim_token), due.push_back(at);
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_prepared(kPostpone.name, db::TextArrayLiteral(ids), db::TextArrayLiteral(tokens), db::IntArrayLiteral(due));
  });
}

int64_t DeliveryStore::DeferEndpoint(const std::string& endpoint, int64_t until_micros, int64_t spacing_micros) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return static_cast<int64_t>(
        tx.exec_prepared(kDeferEndpoint.name, endpoint, until_micros, std::max<int64_t>(1, spacing_micros))
            .affected_rows());
  });
}

RecordedOutcome DeliveryStore::RecordOutcome(const DueDelivery& d, const AttemptOutcome& o, int budget) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    RecordedOutcome out;
    if (tx.exec_prepared(kLeaseSubscriber.name, d.subscriber_id).empty() ||
        tx.exec_prepared(kLeaseHeld.name, d.id, d.claim_token).empty())
      return out;  // deleted, or claimed again after the lease passed: the later claim records its own
    if (!d.digest_day.empty() && o.outcome == "delivered") {
      SentDigest sent{d.id, d.subscriber_id, d.digest_day, d.channel, d.windows, {}};
      for (const auto& n : d.items) sent.sent.push_back(n.cursor());
      out.moved = MoveUnsentDigestItems(tx, sent, budget);
    }
    AppendAttempt(tx, {d.id, d.channel, o.outcome, o.status_code, o.error, o.duration_ms, d.attempt_count + 1,
                       o.response_body, o.response_truncated});
    int state = o.outcome == "delivered" ? v1::DELIVERED : o.outcome == "retry" ? v1::PENDING : v1::DEAD_LETTER;
    tx.exec_prepared(kUpdate.name, d.id, state, o.error, o.next_micros);
    tx.commit();
    out.recorded = true;
    return out;
  });
}

int64_t DeliveryStore::PendingCount() {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        return tx.exec_prepared(kPendingCount.name)[0]["n"].as<int64_t>();
      },
      true);
}

int64_t DeliveryStore::DeadLetterCount() {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        return tx.exec_prepared(kDeadCount.name)[0]["n"].as<int64_t>();
      },
      true);
}

std::optional<v1::Delivery> DeliveryStore::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Delivery> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGetDelivery.name, id);
        if (r.empty()) return std::nullopt;
        v1::Delivery d = DeliveryOf(r[0]);
        ReadAttempts(tx, id, &d);
        return d;
      },
      true);
}

std::vector<v1::Delivery> DeliveryStore::ListDeadLetters(std::optional<std::pair<int64_t, std::string>> after,
                                                         int limit,
                                                         std::vector<std::pair<int64_t, std::string>>* keys) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::optional<int64_t> at;
        std::optional<std::string> id;
        if (after) at = after->first, id = after->second;
        std::vector<v1::Delivery> out;
        keys->clear();
        for (const auto& r : tx.exec_params(kListDeadSql, at, id, limit)) {
          out.push_back(DeliveryOf(r));
          keys->emplace_back(r["finished_us"].as<int64_t>(), r["id"].as<std::string>());
        }
        return out;
      },
      true);
}

v1::Delivery DeliveryStore::RetryDeadLetter(const std::string& id, int budget) {
  bool retried = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kRetryDead.name, id, budget);
    tx.commit();
    return !r.empty();
  });
  auto d = Get(id);
  if (!d) ThrowNotFound("name: deliveries/" + id + " not found");
  if (!retried)
    throw DomainError(DomainErrorKind::kFailedPrecondition, "name: deliveries/" + id + " is not a dead letter");
  return *d;
}

}  // namespace cchc::notification
