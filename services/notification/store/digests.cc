#include "store/digests.h"

#include <stdexcept>

#include "platform/dates.h"
#include "platform/log.h"
#include "store/rows.h"

namespace cchc::notification {
namespace {

// How many days past the wanted one an item may go while digests are no longer pending (sent or dead).
constexpr int kDigestDaysAhead = 31;

// AttachToDigest: the digest of subscriber $1, channel $2, day $5, due at $3 (µs) with $4 attempts, unless it exists.
const db::Statement kInsertDigest{
    "insert_digest",
    "INSERT INTO deliveries (id, subscriber_id, notification, channel, due_at, attempt_budget, digest_day) VALUES "
    "(gen_random_uuid(), $1, NULL, $2, " +
        db::FromEpochMicros("$3") +
        ", $4, $5::date) ON CONFLICT (subscriber_id, channel, digest_day) WHERE digest_day IS NOT NULL DO NOTHING"};
// AttachToDigest: items $4 into the digest of ($1, $2, day $3), only while it is pending, read FOR KEY SHARE: waits
// while a worker that sent it holds FOR UPDATE and then re-checks state = 1 on the committed row (no row once
// delivered). Returns the digest's id.
const db::Statement kInsertItems{
    "insert_digest_items",
    "WITH d AS (SELECT id FROM deliveries WHERE subscriber_id = $1 AND channel = $2 AND digest_day = $3::date AND "
    "state = 1 FOR KEY SHARE), i AS (INSERT INTO digest_items (delivery_id, notification) SELECT d.id, n FROM d, "
    "unnest($4::bigint[]) AS n ON CONFLICT DO NOTHING) SELECT id::text AS id FROM d"};
// DigestItems.
const db::Statement kItems{"digest_notifications",
                           "SELECT " + NotificationColumns() +
                               " FROM digest_items i JOIN notifications n ON n.cursor = i.notification WHERE "
                               "i.delivery_id = $1::uuid ORDER BY n.cursor LIMIT 500"};
// MoveUnsentDigestItems: the items of digest $1 not in $2.
const db::Statement kUnsent{"digest_unsent",
                            "SELECT notification FROM digest_items WHERE delivery_id = $1::uuid AND notification <> "
                            "ALL($2::bigint[]) ORDER BY notification"};
// MoveUnsentDigestItems: the first digest time a subscription of subscriber $1 sets for channel $2
// (DAILY_DIGEST = 2).
const db::Statement kDigestMinute{
    "digest_minute",
    "SELECT (c->>'digest_minute')::int AS digest_minute FROM subscriptions s, jsonb_array_elements(s.channels) AS c "
    "WHERE s.subscriber_id = $1 AND (c->>'channel')::int = $2 AND (c->>'mode')::int = 2 ORDER BY s.created_at, "
    "s.id LIMIT 1"};
// MoveUnsentDigestItems: items $2 out of digest $1.
const db::Statement kRemoveItems{
    "remove_digest_items",
    "DELETE FROM digest_items WHERE delivery_id = $1::uuid AND notification = ANY($2::bigint[])"};

}  // namespace

std::vector<db::Statement> DigestStatements() {
  return {kInsertDigest, kInsertItems, kItems, kUnsent, kDigestMinute, kRemoveItems};
}

std::string AttachToDigest(pqxx::work& tx, const std::string& subscriber_id, const std::vector<int64_t>& cursors,
                           v1::Channel channel, std::chrono::year_month_day day, int digest_minute,
                           const SendWindows& windows, int budget) {
  for (int k = 0; k < kDigestDaysAhead; ++k) {
    DigestSlot slot = DigestOn(std::chrono::sys_days(day) + std::chrono::days(k), digest_minute);
    std::string iso = dates::ToIso(slot.day);
    tx.exec_prepared(kInsertDigest.name, subscriber_id, static_cast<int>(channel),
                     Micros(NextOpen(slot.due, windows, {})), budget, iso);
    if (!tx.exec_prepared(kInsertItems.name, subscriber_id, static_cast<int>(channel), iso,
                          db::IntArrayLiteral(cursors))
             .empty())
      return iso;
  }
  log::Warn("notification: no pending digest to attach to",
            {{"subscriber", subscriber_id}, {"day", dates::ToIso(day)}, {"items", std::to_string(cursors.size())}});
  return "";
}

std::vector<v1::Notification> DigestItems(pqxx::transaction_base& tx, const std::string& delivery_id) {
  std::vector<v1::Notification> out;
  for (const auto& row : tx.exec_prepared(kItems.name, delivery_id)) out.push_back(NotificationOf(row));
  return out;
}

int MoveUnsentDigestItems(pqxx::work& tx, const SentDigest& d, int budget) {
  std::vector<int64_t> unsent;
  for (const auto& r : tx.exec_prepared(kUnsent.name, d.delivery_id, db::IntArrayLiteral(d.sent)))
    unsent.push_back(r["notification"].as<int64_t>());
  if (unsent.empty()) return 0;
  auto day = dates::ParseIso(d.day);
  if (!day) throw std::runtime_error("digest " + d.delivery_id + " has a bad day: " + d.day);
  // The digest time of the subscriber's first subscription with a digest on this channel; if none is left,
  // the present time of day (the items still go out, a day later).
  auto minute = tx.exec_prepared(kDigestMinute.name, d.subscriber_id, static_cast<int>(d.channel));
  auto local = Clock::now() + std::chrono::hours(7);  // Asia/Ho_Chi_Minh
  int at =
      minute.empty()
          ? static_cast<int>(
                std::chrono::floor<std::chrono::minutes>(local - std::chrono::floor<std::chrono::days>(local)).count())
          : minute[0]["digest_minute"].as<int>();
  auto next = std::chrono::year_month_day(std::chrono::sys_days(*day) + std::chrono::days(1));
  if (AttachToDigest(tx, d.subscriber_id, unsent, d.channel, next, at, d.windows, budget).empty()) return 0;
  tx.exec_prepared(kRemoveItems.name, d.delivery_id, db::IntArrayLiteral(unsent));
  return static_cast<int>(unsent.size());
}

}  // namespace cchc::notification
