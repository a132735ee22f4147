#include "repository.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "inbox_notice.h"
#include "platform/consumer.h"
#include "platform/dates.h"
#include "platform/errors.h"
#include "platform/log.h"

namespace cchc::notification {

std::vector<db::Migration> AllMigrations() {
  auto all = db::PlatformMigrations();
  for (auto& m : Migrations()) all.push_back(std::move(m));
  return all;
}

namespace {

std::string Ts(const std::string& param) {
  return "(timestamptz 'epoch' + " + param + "::bigint * interval '1 microsecond')";
}

// The endpoint of delivery d to subscriber s, as delivery/endpoint_gate.h names it (WebhookEndpoint,
// EmailEndpoint: only ASCII letters folded, hence the C collation).
std::string EndpointKeySql() {
  return "(CASE WHEN d.channel = " + std::to_string(v1::WEBHOOK) +
         " THEN 'webhook ' || s.webhook_url ELSE 'email ' || lower(s.email COLLATE \"C\") END)";
}

const std::string kSubscriberColumns =
    "id, display_name, kind, unit, email, webhook_url, webhook_secret, quiet_start, "
    "quiet_end, " +
    db::EpochMicros("created_at");

// A notification's columns as RowToNotification reads them, the last being the ids of its deliveries, as
// found in `deliveries` (the table, or the rows a statement inserts into it), in id order.
std::string NotificationColumns(const std::string& deliveries) {
  return "n.cursor, n.subscriber_id, n.event_source, n.event_id, n.event_type, " + db::EpochMicros("n.event_time") +
         ", n.subject, n.title, n.link, n.data_json, n.read_at IS NOT NULL, " + db::EpochMicros("n.created_at") +
         ", COALESCE((SELECT array_agg(d.id::text ORDER BY d.id) FROM " + deliveries +
         " d WHERE d.notification = n.cursor), '{}')";
}
const std::string kNotificationColumns = NotificationColumns("deliveries");
constexpr int kNotificationColumnCount = 13;  // RowToNotification reads columns 0 to 12

const std::string kDeliveryColumns =
    "d.id::text, d.subscriber_id, COALESCE(d.notification, 0), d.channel, d.state, "
    "d.attempt_count, " +
    db::EpochMicros("d.due_at") + ", d.last_error, " + db::EpochMicros("d.created_at") +
    ", COALESCE(d.digest_day::text, ''), COALESCE(" + db::EpochMicros("d.finished_at") + ", 0)";

// The lists have optional filters and order: they run unprepared, planned per call (see db::Statement).
const std::string kListNotificationsSql =
    "SELECT " + kNotificationColumns +
    ", CASE WHEN $4 THEN (n.read_at IS NOT NULL)::int ELSE 0 END AS rank FROM notifications n "
    "WHERE n.subscriber_id = $1 AND (NOT $2 OR n.read_at IS NULL) AND ($3::int IS NULL OR "
    "(CASE WHEN $4 THEN (n.read_at IS NOT NULL)::int ELSE 0 END, -n.cursor) > ($3::int, -$5::bigint)) "
    "ORDER BY rank, n.cursor DESC LIMIT $6";
const std::string kListDeadSql =
    "SELECT " + kDeliveryColumns + " FROM deliveries d WHERE d.state = 3 AND ($1::bigint IS NULL OR (" +
    db::EpochMicros("d.finished_at") +
    ", d.id::text) < ($1::bigint, $2::text)) ORDER BY d.finished_at DESC, d.id::text DESC LIMIT $3";

// Takes the inbox lock first (inbox_lock_and_heads, migration 002): every row of the join, and so every
// cursor drawn for it, comes after the lock's one row. Inserts the rows ($1 to $9) and the deliveries of those
// it inserts ($13 to $17: subscribers, event sources and ids, channels, due times; $18 the attempt budget), and
// returns the rows as the inbox reads them, each with its deliveries' ids and its subscriber's last cursor
// before this statement. Queues $10 on the inbox channel (kInboxChannel), sent to the listening replicas when
// the transaction commits. Writes nothing, and does not take the lock, unless the subscriptions are still at
// version $12 (a one-time filter: the function is not called); so a consumer that then holds the version
// (Ingest) takes it before the lock, as all do.
//
// `recording`: the consumer's dedupe record ($19 to $22, consumer::RecordedCte) goes first, in the same
// statement, under the same version condition; the lock is taken (after the record's index entries, as in the
// consumer's transaction) and the notice sent only if it recorded an event, and only the rows of the events it
// recorded are inserted. The last two columns are the sources and ids of those events.
std::string InsertNotificationsSql(bool recording) {
  const std::string version_current = "(SELECT version FROM current) = $12";
  std::string sql = "WITH current AS MATERIALIZED (SELECT version FROM subscriptions_version), ";
  if (recording) sql += consumer::RecordedCte(19, version_current) + ", ";
  sql += "heads AS MATERIALIZED (SELECT subscriber_id, head FROM inbox_lock_and_heads($11::text[]) WHERE " +
         version_current + (recording ? " AND (SELECT count(*) FROM recorded) > 0" : "") +
         "), inbox_lock AS MATERIALIZED (SELECT count(*) FROM heads), ";
  const std::string notify = "pg_notify('" + std::string(kInboxChannel) + "', $10)";
  sql += "notified AS MATERIALIZED (SELECT " +
         (recording ? "CASE WHEN (SELECT count(*) FROM heads) > 0 THEN " + notify + " END" : notify) + "), ";
  sql +=
      "n AS (INSERT INTO notifications (subscriber_id, event_source, event_id, event_type, event_time, subject, "
      "title, link, data_json) SELECT sid, src, eid, typ, " +
      Ts("t") +
      ", subj, title, link, data FROM inbox_lock, notified, current, unnest($1::text[], $2::text[], $3::text[], "
      "$4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS r(sid, src, "
      "eid, typ, t, subj, title, link, data, ord) " +
      (recording ? "JOIN recorded ON recorded.source = r.src AND recorded.event_id = r.eid " : "") +
      "WHERE current.version = $12 ORDER BY ord ON CONFLICT (subscriber_id, event_source, event_id) DO NOTHING "
      "RETURNING *), ";
  sql +=
      "new_deliveries AS (INSERT INTO deliveries (id, subscriber_id, notification, channel, due_at, attempt_budget) "
      "SELECT gen_random_uuid(), n.subscriber_id, n.cursor, x.ch, " +
      Ts("x.due") +
      ", $18 FROM n JOIN unnest($13::text[], $14::text[], $15::text[], $16::int[], $17::bigint[]) AS x(sid, src, eid, "
      "ch, due) ON n.subscriber_id = x.sid AND n.event_source = x.src AND n.event_id = x.eid RETURNING id, "
      "notification) ";
  sql += "SELECT " + NotificationColumns("new_deliveries") + ", h.head, current.version";
  if (recording)
    sql +=
        ", (SELECT COALESCE(array_agg(source ORDER BY source, event_id), '{}') FROM recorded), (SELECT "
        "COALESCE(array_agg(event_id ORDER BY source, event_id), '{}') FROM recorded)";
  return sql + " FROM current LEFT JOIN (n JOIN heads h ON h.subscriber_id = n.subscriber_id) ON true";
}

const std::vector<db::Statement>& All() {
  static const std::vector<db::Statement> statements = {
      {"insert_subscriber",
       "INSERT INTO subscribers (id, display_name, kind, unit, email, webhook_url, webhook_secret, quiet_start, "
       "quiet_end) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING " +
           kSubscriberColumns},
      {"get_subscriber", "SELECT " + kSubscriberColumns + " FROM subscribers WHERE id = $1"},
      {"list_subscribers", "SELECT " + kSubscriberColumns + " FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2"},
      // NO KEY UPDATE: conflicts with the FOR SHARE of a subscription being created or updated, not with the
      // KEY SHARE of consumers (foreign keys) and delivery workers (claims), which need not wait for an update.
      {"lock_subscriber", "SELECT " + kSubscriberColumns + " FROM subscribers WHERE id = $1 FOR NO KEY UPDATE"},
      {"share_subscriber", "SELECT " + kSubscriberColumns + " FROM subscribers WHERE id = $1 FOR SHARE"},
      {"update_subscriber",
       "UPDATE subscribers SET display_name = $2, kind = $3, unit = $4, email = $5, webhook_url = $6, webhook_secret "
       "= $7, quiet_start = $8, quiet_end = $9 WHERE id = $1 RETURNING " +
           kSubscriberColumns},
      {"delete_subscriber", "DELETE FROM subscribers WHERE id = $1"},
      {"subscription_channels",
       "SELECT id::text, channels::text FROM subscriptions WHERE subscriber_id = $1 ORDER BY created_at, id"},
      {"insert_subscription",
       "INSERT INTO subscriptions (id, subscriber_id, event_type, filter, channels) VALUES (gen_random_uuid(), $1, "
       "$2, $3::jsonb, $4::jsonb) RETURNING id::text, event_type, filter::text, channels::text, " +
           db::EpochMicros("created_at")},
      {"list_subscriptions", "SELECT id::text, event_type, filter::text, channels::text, " +
                                 db::EpochMicros("created_at") +
                                 " FROM subscriptions WHERE subscriber_id = $1 ORDER BY created_at, id"},
      {"delete_subscription", "DELETE FROM subscriptions WHERE subscriber_id = $1 AND id::text = $2"},
      {"lock_subscription", "SELECT id::text, event_type, filter::text, channels::text, " +
                                db::EpochMicros("created_at") +
                                " FROM subscriptions WHERE subscriber_id = $1 AND id::text = $2 FOR UPDATE"},
      {"update_subscription",
       "UPDATE subscriptions SET filter = $3::jsonb, channels = $4::jsonb WHERE subscriber_id = $1 AND id::text = $2 "
       "RETURNING id::text, event_type, filter::text, channels::text, " +
           db::EpochMicros("created_at")},
      {"subscriptions_to",
       "SELECT s.id, s.display_name, s.kind, s.unit, s.email, s.webhook_url, s.webhook_secret, s.quiet_start, "
       "s.quiet_end, c.id::text, c.filter::text, c.channels::text, " +
           db::EpochMicros("date_trunc('milliseconds', c.created_at)") +
           ", v.version FROM subscriptions_version v LEFT JOIN (subscriptions c JOIN subscribers s ON s.id = "
           "c.subscriber_id) ON c.event_type = $1 ORDER BY s.id, c.created_at, c.id"},
      {"subscriptions_version", "SELECT version FROM subscriptions_version"},
      {"subscriptions_version_held", "SELECT version FROM subscriptions_version FOR SHARE"},
      {"async_commit", "SET LOCAL synchronous_commit = off"},
      {"insert_notifications", InsertNotificationsSql(false)},
      {"insert_notifications_recording", InsertNotificationsSql(true)},
      {"insert_digest",
       "INSERT INTO deliveries (id, subscriber_id, notification, channel, due_at, attempt_budget, digest_day) VALUES "
       "(gen_random_uuid(), $1, NULL, $2, " +
           Ts("$3") +
           ", $4, $5::date) ON CONFLICT (subscriber_id, channel, digest_day) WHERE digest_day IS NOT NULL DO NOTHING"},
      // Only into a pending digest, read FOR KEY SHARE: waits while a worker that sent it holds FOR UPDATE and
      // then re-checks state = 1 on the committed row (no row once delivered). Returns the digest's id.
      {"insert_digest_items",
       "WITH d AS (SELECT id FROM deliveries WHERE subscriber_id = $1 AND channel = $2 AND digest_day = $3::date AND "
       "state = 1 FOR KEY SHARE), i AS (INSERT INTO digest_items (delivery_id, notification) SELECT d.id, n FROM d, "
       "unnest($4::bigint[]) AS n ON CONFLICT DO NOTHING) SELECT id::text FROM d"},
      // The first digest time a subscription of the subscriber sets for the channel (DAILY_DIGEST = 2).
      {"digest_minute",
       "SELECT (c->>'digest_minute')::int FROM subscriptions s, jsonb_array_elements(s.channels) AS c WHERE "
       "s.subscriber_id = $1 AND (c->>'channel')::int = $2 AND (c->>'mode')::int = 2 ORDER BY s.created_at, s.id "
       "LIMIT 1"},
      {"unread_count", "SELECT count(*) FROM notifications WHERE subscriber_id = $1 AND read_at IS NULL"},
      // Ordered as notifications_inbox is, so that even a generic plan walks that index from the cursor on.
      {"notifications_after",
       "SELECT " + kNotificationColumns +
           " FROM notifications n WHERE n.subscriber_id = $1 AND n.cursor > $2 ORDER BY n.subscriber_id, n.cursor "
           "LIMIT $3"},
      {"mark_read",
       "UPDATE notifications SET read_at = COALESCE(read_at, clock_timestamp()) WHERE subscriber_id = $1 AND cursor "
       "= $2 RETURNING cursor"},
      {"get_notification", "SELECT " + kNotificationColumns + " FROM notifications n WHERE n.cursor = $1"},
      {"mark_all_read",
       "UPDATE notifications SET read_at = clock_timestamp() WHERE subscriber_id = $1 AND read_at IS NULL AND "
       "($2::bigint = "
       "0 OR cursor <= $2::bigint)"},
      // Up to $3 of the oldest due deliveries whose lease (if any) has passed and whose endpoint is not in $2
      // (EndpointKeySql), each leased for $1 ms under a fresh token; their subscribers are read FOR KEY SHARE SKIP
      // LOCKED (one being deleted is skipped). Commits at once.
      {"claim_due",
       "WITH c AS (SELECT d.id FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE d.state = 1 AND "
       "d.due_at <= clock_timestamp() AND (d.lease_until IS NULL OR d.lease_until <= clock_timestamp()) AND " +
           EndpointKeySql() +
           " <> ALL($2::text[]) ORDER BY d.due_at LIMIT $3 FOR KEY SHARE OF s SKIP LOCKED FOR NO KEY UPDATE OF d "
           "SKIP LOCKED) UPDATE deliveries d SET lease_until = clock_timestamp() + $1::bigint * interval '1 "
           "millisecond', claim_token = gen_random_uuid() FROM c, subscribers s WHERE d.id = c.id AND s.id = "
           "d.subscriber_id RETURNING d.id::text AS id, d.subscriber_id, s.display_name, s.email, s.webhook_url, "
           "s.webhook_secret, d.channel, d.attempt_count, d.attempt_budget, COALESCE(d.digest_day::text, '') AS "
           "digest_day, COALESCE(d.notification, 0) AS notification, s.quiet_start, s.quiet_end, "
           "d.claim_token::text AS claim_token, " +
           db::EpochMicros("d.due_at") + " AS due_micros"},
      // A claimed delivery handed back unattempted (its endpoint could not take it): due as before, spending nothing.
      {"unclaim",
       "UPDATE deliveries SET lease_until = NULL, claim_token = NULL WHERE id = $1::uuid AND claim_token = $2::uuid "
       "AND state = 1"},
      // The due deliveries (and retries due before then) of endpoint $1 that no worker holds wait until $2 (µs):
      // they keep their order, a microsecond apart, and spend no attempt.
      {"defer_endpoint",
       "WITH held AS (SELECT d.id, d.due_at FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id WHERE "
       "d.state = 1 AND d.due_at < " +
           Ts("$2") + " AND (d.lease_until IS NULL OR d.lease_until <= clock_timestamp()) AND " + EndpointKeySql() +
           " = $1 FOR NO KEY UPDATE OF d SKIP LOCKED), waiting AS (SELECT id, row_number() OVER (ORDER BY due_at, id) "
           "AS n FROM held) UPDATE deliveries d SET due_at = " +
           Ts("$2") +
           " + (waiting.n - 1) * $3::bigint * interval '1 microsecond' FROM waiting WHERE d.id = waiting.id"},
      {"digest_notifications",
       "SELECT " + kNotificationColumns +
           " FROM digest_items i JOIN notifications n ON n.cursor = i.notification WHERE i.delivery_id = $1::uuid "
           "ORDER BY n.cursor LIMIT 500"},
      // Recording an outcome: the subscriber first (every transaction locking both does), then the delivery,
      // only while the claim is this one's.
      {"lease_subscriber", "SELECT id FROM subscribers WHERE id = $1 FOR KEY SHARE"},
      {"lease_held",
       "SELECT id FROM deliveries WHERE id = $1::uuid AND claim_token = $2::uuid AND state = 1 FOR UPDATE"},
      {"digest_unsent",
       "SELECT notification FROM digest_items WHERE delivery_id = $1::uuid AND notification <> ALL($2::bigint[]) "
       "ORDER BY notification"},
      {"remove_digest_items",
       "DELETE FROM digest_items WHERE delivery_id = $1::uuid AND notification = ANY($2::bigint[])"},
      {"insert_attempt",
       "INSERT INTO delivery_attempts (delivery_id, channel, outcome, status_code, error, duration_ms) VALUES "
       "($1::uuid, $2, $3, $4, $5, $6)"},
      {"update_delivery",
       "UPDATE deliveries SET attempt_count = attempt_count + 1, state = $2::smallint, last_error = $3, due_at = "
       "COALESCE(" +
           Ts("$4") +
           ", due_at), finished_at = CASE WHEN $2::smallint = 1 THEN NULL ELSE clock_timestamp() END, lease_until = "
           "NULL, claim_token = NULL WHERE id = $1::uuid"},
      {"pending_count", "SELECT count(*) FROM deliveries WHERE state = 1"},
      {"dead_count", "SELECT count(*) FROM deliveries WHERE state = 3"},
      {"get_delivery", "SELECT " + kDeliveryColumns + " FROM deliveries d WHERE d.id = $1::uuid"},
      {"get_attempts",
       "SELECT " + db::EpochMicros("at") +
           ", channel, outcome, status_code, error, duration_ms FROM delivery_attempts WHERE delivery_id = $1::uuid "
           "ORDER BY id"},
      {"retry_dead",
       "UPDATE deliveries SET state = 1, due_at = clock_timestamp(), attempt_budget = attempt_count + $2, "
       "finished_at = NULL WHERE id = $1::uuid AND state = 3 RETURNING id"},
  };
  return statements;
}

SubscriberSpec RowToSpec(const pqxx::row& r) {
  SubscriberSpec s;
  s.id = r[0].as<std::string>();
  s.display_name = r[1].as<std::string>();
  s.kind = static_cast<v1::SubscriberKind>(r[2].as<int>());
  s.unit = r[3].as<std::string>();
  s.email = r[4].as<std::string>();
  s.webhook_url = r[5].as<std::string>();
  s.webhook_secret = r[6].as<std::string>();
  if (!r[7].is_null() && !r[8].is_null()) s.quiet = QuietWindow{r[7].as<int>(), r[8].as<int>()};
  return s;
}

v1::Subscriber ToProto(const SubscriberSpec& s, int64_t created) {
  v1::Subscriber p = notification::ToProto(s);
  db::SetTimestamp(p.mutable_create_time(), created);
  return p;
}

v1::Subscriber RowToSubscriber(const pqxx::row& r) {
  return ToProto(RowToSpec(r), r[9].as<int64_t>());
}

nlohmann::json ChannelsJson(const std::vector<ChannelSpec>& channels) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& c : channels)
    j.push_back({{"channel", static_cast<int>(c.channel)},
                 {"mode", static_cast<int>(c.mode)},
                 {"digest_minute", c.digest_minute}});
  return j;
}

std::vector<ChannelSpec> ChannelsFromJson(const std::string& text) {
  std::vector<ChannelSpec> out;
  for (const auto& c : nlohmann::json::parse(text)) {
    ChannelSpec s;
    s.channel = static_cast<v1::Channel>(c.at("channel").get<int>());
    s.mode = static_cast<v1::DeliveryMode>(c.at("mode").get<int>());
    s.digest_minute = c.at("digest_minute").get<int>();
    out.push_back(s);
  }
  return out;
}

v1::Subscription RowToSubscription(const std::string& subscriber_id, const pqxx::row& r) {
  v1::Subscription s;
  s.set_name("subscribers/" + subscriber_id + "/subscriptions/" + r[0].as<std::string>());
  s.set_event_type(r[1].as<std::string>());
  ToProto(FilterFromJson(nlohmann::json::parse(r[2].as<std::string>())), s.mutable_filter());
  for (const auto& c : ChannelsFromJson(r[3].as<std::string>())) {
    auto* out = s.add_channels();
    out->set_channel(c.channel);
    out->set_mode(c.mode);
    if (c.mode == v1::DAILY_DIGEST) out->set_digest_time(FormatTimeOfDay(c.digest_minute));
  }
  db::SetTimestamp(s.mutable_create_time(), r[4].as<int64_t>());
  return s;
}

v1::Notification RowToNotification(const pqxx::row& r) {
  v1::Notification n;
  n.set_cursor(r[0].as<int64_t>());
  n.set_name("subscribers/" + r[1].as<std::string>() + "/notifications/" + std::to_string(n.cursor()));
  n.set_event_source(r[2].as<std::string>());
  n.set_event_id(r[3].as<std::string>());
  n.set_event_type(r[4].as<std::string>());
  db::SetTimestamp(n.mutable_event_time(), r[5].as<int64_t>());
  n.set_subject(r[6].as<std::string>());
  n.set_title(r[7].as<std::string>());
  n.set_link(r[8].as<std::string>());
  n.set_data_json(r[9].as<std::string>());
  n.set_read(r[10].as<bool>());
  db::SetTimestamp(n.mutable_create_time(), r[11].as<int64_t>());
  for (auto& d : db::ParseTextArray(r[12])) n.add_deliveries("deliveries/" + d);
  return n;
}

v1::Delivery RowToDelivery(const pqxx::row& r) {
  v1::Delivery d;
  d.set_name("deliveries/" + r[0].as<std::string>());
  d.set_subscriber("subscribers/" + r[1].as<std::string>());
  if (int64_t c = r[2].as<int64_t>()) d.set_notification(d.subscriber() + "/notifications/" + std::to_string(c));
  d.set_channel(static_cast<v1::Channel>(r[3].as<int>()));
  d.set_state(static_cast<v1::DeliveryState>(r[4].as<int>()));
  d.set_attempt_count(r[5].as<int>());
  if (d.state() == v1::PENDING) db::SetTimestamp(d.mutable_next_attempt_time(), r[6].as<int64_t>());
  d.set_last_error(r[7].as<std::string>());
  db::SetTimestamp(d.mutable_create_time(), r[8].as<int64_t>());
  d.set_digest_day(r[9].as<std::string>());
  return d;
}

std::optional<int> QuietStart(const SubscriberSpec& s) {
  return s.quiet ? std::optional<int>(s.quiet->start) : std::nullopt;
}
std::optional<int> QuietEnd(const SubscriberSpec& s) {
  return s.quiet ? std::optional<int>(s.quiet->end) : std::nullopt;
}

int64_t Micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// How many days past the wanted one an item may go while digests are no longer pending (sent or dead).
constexpr int kDigestDaysAhead = 31;

// Attaches `cursors` to the first pending digest from `day` on, creating a day's digest (ON CONFLICT: once
// per subscriber, channel and day) due at `digest_minute` of that day after quiet hours, as the consumer
// computes it. Returns the day (ISO); empty when none is pending within kDigestDaysAhead days.
std::string AttachToDigest(pqxx::work& tx, const std::string& subscriber_id, const std::vector<int64_t>& cursors,
                           v1::Channel channel, std::chrono::year_month_day day, int digest_minute,
                           const QuietWindow& quiet, int budget) {
  for (int k = 0; k < kDigestDaysAhead; ++k) {
    DigestSlot slot = DigestOn(std::chrono::sys_days(day) + std::chrono::days(k), digest_minute);
    std::string iso = dates::ToIso(slot.day);
    tx.exec_prepared("insert_digest", subscriber_id, static_cast<int>(channel),
                     Micros(AfterQuietHours(slot.due, quiet)), budget, iso);
    if (!tx.exec_prepared("insert_digest_items", subscriber_id, static_cast<int>(channel), iso,
                          db::IntArrayLiteral(cursors))
             .empty())
      return iso;
  }
  log::Warn("notification: no pending digest to attach to",
            {{"subscriber", subscriber_id}, {"day", dates::ToIso(day)}, {"items", std::to_string(cursors.size())}});
  return "";
}

}  // namespace

std::vector<db::Statement> WatchStatements() {
  std::vector<db::Statement> out;
  for (const auto& s : All())
    if (s.name == "notifications_after") out.push_back(s);
  return out;
}

std::vector<db::Statement> Statements() {
  auto statements = All();
  for (auto& s : consumer::Statements()) statements.push_back(std::move(s));
  return statements;
}

v1::Subscriber Repository::CreateSubscriber(const SubscriberSpec& s) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("insert_subscriber", s.id, s.display_name, static_cast<int>(s.kind), s.unit, s.email,
                              s.webhook_url, s.webhook_secret, QuietStart(s), QuietEnd(s));
    if (r.empty())
      throw StatusError(grpc::StatusCode::ALREADY_EXISTS, "subscriber.id: subscribers/" + s.id + " already exists");
    tx.commit();
    return RowToSubscriber(r[0]);
  });
}

std::optional<SubscriberSpec> Repository::FindSubscriber(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<SubscriberSpec> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("get_subscriber", id);
        if (r.empty()) return std::nullopt;
        return RowToSpec(r[0]);
      },
      true);
}

v1::Subscriber Repository::GetSubscriber(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("get_subscriber", id);
        if (r.empty()) throw StatusError(grpc::StatusCode::NOT_FOUND, "name: subscribers/" + id + " not found");
        return RowToSubscriber(r[0]);
      },
      true);
}

std::vector<v1::Subscriber> Repository::ListSubscribers(const std::string& after_id, int limit) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::Subscriber> out;
        for (const auto& r : tx.exec_prepared("list_subscribers", after_id, limit)) out.push_back(RowToSubscriber(r));
        return out;
      },
      true);
}

std::optional<v1::Subscriber> Repository::UpdateSubscriber(const std::string& id, const SubscriberChange& change) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Subscriber> {
    pqxx::work tx(c);
    auto current = tx.exec_prepared("lock_subscriber", id);
    if (current.empty()) return std::nullopt;
    // A statement after the lock, so a snapshot after it (READ COMMITTED): it sees the subscription of a
    // create or update this waited for.
    std::vector<SubscriptionChannels> subscriptions;
    for (const auto& r : tx.exec_prepared("subscription_channels", id))
      subscriptions.emplace_back("subscribers/" + id + "/subscriptions/" + r[0].as<std::string>(),
                                 ChannelsFromJson(r[1].as<std::string>()));
    SubscriberSpec s = change(RowToSpec(current[0]), subscriptions);
    auto r = tx.exec_prepared("update_subscriber", id, s.display_name, static_cast<int>(s.kind), s.unit, s.email,
                              s.webhook_url, s.webhook_secret, QuietStart(s), QuietEnd(s));
    tx.commit();
    return RowToSubscriber(r[0]);
  });
}

bool Repository::DeleteSubscriber(const std::string& id) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("delete_subscriber", id);
    tx.commit();
    return r.affected_rows() > 0;
  });
}

std::optional<v1::Subscription> Repository::UpdateSubscription(const std::string& subscriber_id, const std::string& id,
                                                               const SubscriptionChange& change) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Subscription> {
    pqxx::work tx(c);
    auto subscriber = tx.exec_prepared("share_subscriber", subscriber_id);
    if (subscriber.empty()) return std::nullopt;
    auto current = tx.exec_prepared("lock_subscription", subscriber_id, id);
    if (current.empty()) return std::nullopt;
    SubscriptionSpec s = change(RowToSubscription(subscriber_id, current[0]), RowToSpec(subscriber[0]));
    auto r = tx.exec_prepared("update_subscription", subscriber_id, id, ToJson(s.filter).dump(),
                              ChannelsJson(s.channels).dump());
    tx.commit();
    return RowToSubscription(subscriber_id, r[0]);
  });
}

std::optional<v1::Subscription> Repository::CreateSubscription(const std::string& subscriber_id,
                                                               const SubscriptionMaker& make) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Subscription> {
    pqxx::work tx(c);
    // FOR SHARE, not KEY SHARE (which does not conflict with UpdateSubscriber's FOR NO KEY UPDATE): the
    // addresses `make` checks stay until this commits, and an update in progress is waited for and its
    // outcome read here.
    auto subscriber = tx.exec_prepared("share_subscriber", subscriber_id);
    if (subscriber.empty()) return std::nullopt;
    SubscriptionSpec s = make(RowToSpec(subscriber[0]));
    auto r = tx.exec_prepared("insert_subscription", subscriber_id, s.event_type, ToJson(s.filter).dump(),
                              ChannelsJson(s.channels).dump());
    tx.commit();
    return RowToSubscription(subscriber_id, r[0]);
  });
}

std::vector<v1::Subscription> Repository::ListSubscriptions(const std::string& subscriber_id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::Subscription> out;
        for (const auto& r : tx.exec_prepared("list_subscriptions", subscriber_id))
          out.push_back(RowToSubscription(subscriber_id, r));
        return out;
      },
      true);
}

bool Repository::DeleteSubscription(const std::string& subscriber_id, const std::string& id) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("delete_subscription", subscriber_id, id);
    tx.commit();
    return r.affected_rows() > 0;
  });
}

SubscriptionsOfType Repository::SubscriptionsTo(pqxx::transaction_base& tx, const std::string& event_type) {
  SubscriptionsOfType out;
  for (const auto& r : tx.exec_prepared("subscriptions_to", event_type)) {
    out.version = r[13].as<int64_t>();
    if (r[0].is_null()) continue;  // none: the version's row alone
    Candidate c;
    c.subscriber = RowToSpec(r);
    c.subscription_id = r[9].as<std::string>();
    c.filter = FilterFromJson(nlohmann::json::parse(r[10].as<std::string>()));
    c.channels = ChannelsFromJson(r[11].as<std::string>());
    c.created_micros = r[12].as<int64_t>();
    out.candidates.push_back(std::move(c));
  }
  return out;
}

int64_t Repository::SubscriptionsVersion(pqxx::work& tx, bool hold) {
  return tx.exec_prepared(hold ? "subscriptions_version_held" : "subscriptions_version")[0][0].as<int64_t>();
}

namespace {

// Runs insert_notifications, or with `record` (consumer::RecordedParameters) insert_notifications_recording
// (InsertNotificationsSql).
InsertedNotifications RunInsertNotifications(pqxx::transaction_base& tx, const std::vector<NewNotification>& rows,
                                             const std::vector<NewDelivery>& deliveries, int budget,
                                             const std::string& replica, int64_t subscriptions_version,
                                             const std::array<std::string, 4>* record) {
  InsertedNotifications out;
  out.rows.resize(rows.size());
  std::vector<std::string> subscribers, sources, ids, types, subjects, titles, links, data;
  std::vector<int64_t> times;
  std::set<std::string> distinct_subscribers;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& n = rows[i];
    subscribers.push_back(n.subscriber_id);
    sources.push_back(n.event_source);
    ids.push_back(n.event_id);
    types.push_back(n.event_type);
    times.push_back(n.event_time_micros);
    subjects.push_back(n.subject);
    titles.push_back(n.title);
    links.push_back(n.link);
    data.push_back(n.data_json);
    distinct_subscribers.insert(n.subscriber_id);
    index.emplace(std::make_tuple(n.subscriber_id, n.event_source, n.event_id), i);
  }
  std::vector<std::string> delivery_subscribers, delivery_sources, delivery_ids;
  std::vector<int64_t> channels, due;
  for (const auto& d : deliveries) {
    delivery_subscribers.push_back(d.subscriber_id);
    delivery_sources.push_back(d.event_source);
    delivery_ids.push_back(d.event_id);
    channels.push_back(static_cast<int64_t>(d.channel));
    due.push_back(d.due_micros);
  }
  using db::IntArrayLiteral;
  using db::TextArrayLiteral;
  const std::string notice = EncodeInboxNotice(replica, distinct_subscribers);
  const std::string heads = TextArrayLiteral({distinct_subscribers.begin(), distinct_subscribers.end()});
  auto run = [&](const char* statement, const auto&... more) {
    return tx.exec_prepared(statement, TextArrayLiteral(subscribers), TextArrayLiteral(sources), TextArrayLiteral(ids),
                            TextArrayLiteral(types), IntArrayLiteral(times), TextArrayLiteral(subjects),
                            TextArrayLiteral(titles), TextArrayLiteral(links), TextArrayLiteral(data), notice, heads,
                            subscriptions_version, TextArrayLiteral(delivery_subscribers),
                            TextArrayLiteral(delivery_sources), TextArrayLiteral(delivery_ids),
                            IntArrayLiteral(channels), IntArrayLiteral(due), budget, more...);
  };
  const pqxx::result r =
      record ? run("insert_notifications_recording", (*record)[0], (*record)[1], (*record)[2], (*record)[3])
             : run("insert_notifications");
  if (record) {  // the same on every row, and there is always one (the version's)
    auto recorded_sources = db::ParseTextArray(r[0][kNotificationColumnCount + 2]);
    auto recorded_ids = db::ParseTextArray(r[0][kNotificationColumnCount + 3]);
    for (size_t i = 0; i < recorded_sources.size() && i < recorded_ids.size(); ++i)
      out.recorded.emplace(recorded_sources[i], recorded_ids[i]);
  }
  for (const auto& row : r) {
    out.subscriptions_current = row[kNotificationColumnCount + 1].as<int64_t>() == subscriptions_version;
    if (row[0].is_null()) continue;  // nothing inserted: the version's row alone
    auto it = index.find({row[1].as<std::string>(), row[2].as<std::string>(), row[3].as<std::string>()});
    if (it == index.end()) continue;
    out.rows[it->second] = RowToNotification(row);
    out.heads_before[row[1].as<std::string>()] = row[kNotificationColumnCount].as<int64_t>();
  }
  return out;
}

}  // namespace

InsertedNotifications Repository::InsertNotifications(pqxx::work& tx, const std::vector<NewNotification>& rows,
                                                      const std::vector<NewDelivery>& deliveries, int budget,
                                                      const std::string& replica, int64_t subscriptions_version) {
  if (rows.empty()) return {};
  return RunInsertNotifications(tx, rows, deliveries, budget, replica, subscriptions_version, nullptr);
}

InsertedNotifications Repository::InsertNotificationsRecording(
    pqxx::nontransaction& tx, const std::vector<NewNotification>& rows, const std::vector<NewDelivery>& deliveries,
    int budget, const std::string& replica, int64_t subscriptions_version, const std::array<std::string, 4>& record) {
  return RunInsertNotifications(tx, rows, deliveries, budget, replica, subscriptions_version, &record);
}

std::string Repository::AddToDigest(pqxx::work& tx, const std::string& subscriber_id, int64_t cursor,
                                    v1::Channel channel, std::chrono::year_month_day day, int digest_minute,
                                    const QuietWindow& quiet, int budget) {
  return AttachToDigest(tx, subscriber_id, {cursor}, channel, day, digest_minute, quiet, budget);
}

InboxPage Repository::ListNotifications(const InboxQuery& q) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::optional<int> rank;
        std::optional<int64_t> cursor;
        if (q.after) rank = q.after->first, cursor = q.after->second;
        auto rows = tx.exec_params(kListNotificationsSql, q.subscriber_id, q.unread_only, rank, q.unread_first, cursor,
                                   q.limit + 1);
        InboxPage page;
        for (const auto& r : rows) {
          if (static_cast<int>(page.notifications.size()) == q.limit) {
            const auto& last = page.notifications.back();
            page.last = std::make_pair(q.unread_first && last.read() ? 1 : 0, last.cursor());
            break;
          }
          page.notifications.push_back(RowToNotification(r));
        }
        page.unread = tx.exec_prepared("unread_count", q.subscriber_id)[0][0].as<int64_t>();
        return page;
      },
      true);
}

std::vector<v1::Notification> Repository::NotificationsAfter(const std::string& subscriber_id, int64_t after,
                                                             int limit) {
  return watch_pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::Notification> out;
        for (const auto& r : tx.exec_prepared("notifications_after", subscriber_id, after, limit))
          out.push_back(RowToNotification(r));
        return out;
      },
      true);
}

std::optional<v1::Notification> Repository::MarkRead(const std::string& subscriber_id, int64_t cursor) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Notification> {
    pqxx::work tx(c);
    if (tx.exec_prepared("mark_read", subscriber_id, cursor).empty()) return std::nullopt;
    auto r = tx.exec_prepared("get_notification", cursor);
    tx.commit();
    return RowToNotification(r[0]);
  });
}

int64_t Repository::MarkAllRead(const std::string& subscriber_id, int64_t up_to) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("mark_all_read", subscriber_id, up_to);
    tx.commit();
    return static_cast<int64_t>(r.affected_rows());
  });
}

std::vector<DueDelivery> Repository::ClaimDue(std::chrono::milliseconds lease,
                                              const std::vector<std::string>& passed_by, int limit) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows =
        tx.exec_prepared("claim_due", static_cast<int64_t>(lease.count()), db::TextArrayLiteral(passed_by), limit);
    std::vector<std::pair<int64_t, DueDelivery>> claimed;  // by due time: the UPDATE returns rows in no order
    for (const auto& r : rows) {
      DueDelivery d;
      d.id = r["id"].as<std::string>();
      d.subscriber_id = r["subscriber_id"].as<std::string>();
      d.display_name = r["display_name"].as<std::string>();
      d.email = r["email"].as<std::string>();
      d.webhook_url = r["webhook_url"].as<std::string>();
      d.webhook_secret = r["webhook_secret"].as<std::string>();
      d.channel = static_cast<v1::Channel>(r["channel"].as<int>());
      d.attempt_count = r["attempt_count"].as<int>();
      d.attempt_budget = r["attempt_budget"].as<int>();
      d.digest_day = r["digest_day"].as<std::string>();
      if (!r["quiet_start"].is_null() && !r["quiet_end"].is_null())
        d.quiet = QuietWindow{r["quiet_start"].as<int>(), r["quiet_end"].as<int>()};
      d.claim_token = r["claim_token"].as<std::string>();
      int64_t cursor = r["notification"].as<int64_t>();
      auto items =
          cursor ? tx.exec_prepared("get_notification", cursor) : tx.exec_prepared("digest_notifications", d.id);
      for (const auto& row : items) d.items.push_back(RowToNotification(row));
      claimed.emplace_back(r["due_micros"].as<int64_t>(), std::move(d));
    }
    tx.commit();
    std::stable_sort(claimed.begin(), claimed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<DueDelivery> out;
    for (auto& [_, d] : claimed) out.push_back(std::move(d));
    return out;
  });
}

void Repository::Unclaim(const DueDelivery& d) {
  pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_prepared("unclaim", d.id, d.claim_token);
  });
}

int64_t Repository::DeferEndpoint(const std::string& endpoint, int64_t until_micros, int64_t spacing_micros) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return static_cast<int64_t>(
        tx.exec_prepared("defer_endpoint", endpoint, until_micros, std::max<int64_t>(1, spacing_micros))
            .affected_rows());
  });
}

namespace {

// A delivered digest, locked FOR UPDATE by the caller: moves the items not in `d.items` (attached after the
// claim, or past a digest's 500) to the next day's pending digest. Returns how many moved.
int MoveUnsentDigestItems(pqxx::work& tx, const DueDelivery& d, int budget) {
  std::vector<int64_t> sent;
  for (const auto& n : d.items) sent.push_back(n.cursor());
  std::vector<int64_t> unsent;
  for (const auto& r : tx.exec_prepared("digest_unsent", d.id, db::IntArrayLiteral(sent)))
    unsent.push_back(r[0].as<int64_t>());
  if (unsent.empty()) return 0;
  auto day = dates::ParseIso(d.digest_day);
  if (!day) throw std::runtime_error("digest " + d.id + " has a bad day: " + d.digest_day);
  // The digest time of the subscriber's first subscription with a digest on this channel; if none is left,
  // the present time of day (the items still go out, a day later).
  auto minute = tx.exec_prepared("digest_minute", d.subscriber_id, static_cast<int>(d.channel));
  auto local = Clock::now() + std::chrono::hours(7);  // Asia/Ho_Chi_Minh
  int at =
      minute.empty()
          ? static_cast<int>(
                std::chrono::floor<std::chrono::minutes>(local - std::chrono::floor<std::chrono::days>(local)).count())
          : minute[0][0].as<int>();
  auto next = std::chrono::year_month_day(std::chrono::sys_days(*day) + std::chrono::days(1));
  if (AttachToDigest(tx, d.subscriber_id, unsent, d.channel, next, at, d.quiet, budget).empty()) return 0;
  tx.exec_prepared("remove_digest_items", d.id, db::IntArrayLiteral(unsent));
  return static_cast<int>(unsent.size());
}

}  // namespace

RecordedOutcome Repository::RecordOutcome(const DueDelivery& d, const AttemptOutcome& o, int budget) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    RecordedOutcome out;
    if (tx.exec_prepared("lease_subscriber", d.subscriber_id).empty() ||
        tx.exec_prepared("lease_held", d.id, d.claim_token).empty())
      return out;  // deleted, or claimed again after the lease passed: the later claim records its own
    if (!d.digest_day.empty() && o.outcome == "delivered") out.moved = MoveUnsentDigestItems(tx, d, budget);
    tx.exec_prepared("insert_attempt", d.id, static_cast<int>(d.channel), o.outcome, o.status_code, o.error,
                     o.duration_ms);
    int state = o.outcome == "delivered" ? v1::DELIVERED : o.outcome == "retry" ? v1::PENDING : v1::DEAD_LETTER;
    tx.exec_prepared("update_delivery", d.id, state, o.error, o.next_micros);
    tx.commit();
    out.recorded = true;
    return out;
  });
}

int64_t Repository::PendingCount() {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        return tx.exec_prepared("pending_count")[0][0].as<int64_t>();
      },
      true);
}

int64_t Repository::DeadLetterCount() {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        return tx.exec_prepared("dead_count")[0][0].as<int64_t>();
      },
      true);
}

std::optional<v1::Delivery> Repository::GetDelivery(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Delivery> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("get_delivery", id);
        if (r.empty()) return std::nullopt;
        v1::Delivery d = RowToDelivery(r[0]);
        for (const auto& a : tx.exec_prepared("get_attempts", id)) {
          auto* out = d.add_attempts();
          db::SetTimestamp(out->mutable_time(), a[0].as<int64_t>());
          out->set_channel(static_cast<v1::Channel>(a[1].as<int>()));
          out->set_outcome(a[2].as<std::string>());
          out->set_status_code(a[3].as<int>());
          out->set_error(a[4].as<std::string>());
          out->set_duration_ms(a[5].as<int64_t>());
        }
        return d;
      },
      true);
}

std::vector<v1::Delivery> Repository::ListDeadLetters(std::optional<std::pair<int64_t, std::string>> after, int limit,
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
          out.push_back(RowToDelivery(r));
          keys->emplace_back(r[10].as<int64_t>(), r[0].as<std::string>());
        }
        return out;
      },
      true);
}

v1::Delivery Repository::RetryDeadLetter(const std::string& id, int budget) {
  bool retried = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("retry_dead", id, budget);
    tx.commit();
    return !r.empty();
  });
  auto d = GetDelivery(id);
  if (!d) throw StatusError(grpc::StatusCode::NOT_FOUND, "name: deliveries/" + id + " not found");
  if (!retried)
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION, "name: deliveries/" + id + " is not a dead letter");
  return *d;
}

}  // namespace cchc::notification
