#include "store/inbox.h"

#include <tuple>

#include "inbox_notice.h"
#include "store/rows.h"

namespace cchc::notification {
namespace {

// The insert of Insert ($1 to $19) and, `recording`, of InsertRecording ($1 to $23).
//
// Takes the inbox lock first (inbox_lock_and_heads, migration 002): every row of the join, and so every cursor drawn
// for it, comes after the lock's one row. Inserts the rows ($1 to $9: subscribers, event sources, ids, types, times,
// subjects, titles, links, data) and the deliveries of those it inserts ($13 to $17: subscribers, event sources and
// ids, channels, due times; $18 the attempt budget; $19 their traceparents, '' for none), and returns the rows as
// NotificationOf reads them, each with head_before (its subscriber's last cursor before this statement) and
// subscriptions_version. Queues $10 on the inbox channel (kInboxChannel), sent to the listening replicas when the
// transaction commits; $11 the distinct subscribers. Writes nothing, and does not take the lock, unless the
// subscriptions are still at version $12 (a one-time filter: the function is not called); so a consumer that then holds
// the version (Ingest) takes it before the lock, as all do.
//
// `recording`: the consumer's dedupe record ($20 to $23: DedupeRecord, consumer::RecordedCte) goes first, in the same
// statement, under the same version condition; the lock is taken (after the record's index entries, as in the
// consumer's transaction) and the notice sent only if it recorded an event, and only the rows of the events it
// recorded are inserted. recorded_sources and recorded_ids are the sources and ids of those events.
std::string InsertSql(bool recording) {
  const std::string version_current = "(SELECT version FROM current) = $12";
  std::string sql = "WITH current AS MATERIALIZED (SELECT version FROM subscriptions_version), ";
  if (recording) sql += consumer::RecordedCte(20, version_current) + ", ";
  sql += "heads AS MATERIALIZED (SELECT subscriber_id, head FROM inbox_lock_and_heads($11::text[]) WHERE " +
         version_current + (recording ? " AND (SELECT count(*) FROM recorded) > 0" : "") +
         "), inbox_lock AS MATERIALIZED (SELECT count(*) FROM heads), ";
  const std::string notify = "pg_notify('" + std::string(kInboxChannel) + "', $10)";
  sql += "notified AS MATERIALIZED (SELECT " +
         (recording ? "CASE WHEN (SELECT count(*) FROM heads) > 0 THEN " + notify + " END" : notify) + "), ";
  sql +=
      "n AS (INSERT INTO notifications (subscriber_id, event_source, event_id, event_type, event_time, subject, "
      "title, link, data_json) SELECT sid, src, eid, typ, " +
      db::FromEpochMicros("t") +
      ", subj, title, link, data FROM inbox_lock, notified, current, unnest($1::text[], $2::text[], $3::text[], "
      "$4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS r(sid, src, "
      "eid, typ, t, subj, title, link, data, ord) " +
      (recording ? "JOIN recorded ON recorded.source = r.src AND recorded.event_id = r.eid " : "") +
      "WHERE current.version = $12 ORDER BY ord ON CONFLICT (subscriber_id, event_source, event_id) DO NOTHING "
      "RETURNING *), ";
  sql +=
      "new_deliveries AS (INSERT INTO deliveries (id, subscriber_id, notification, channel, due_at, attempt_budget, "
      "traceparent) SELECT gen_random_uuid(), n.subscriber_id, n.cursor, x.ch, " +
      db::FromEpochMicros("x.due") +
      ", $18, NULLIF(x.tp, '') FROM n JOIN unnest($13::text[], $14::text[], $15::text[], $16::int[], $17::bigint[], "
      "$19::text[]) AS x(sid, src, eid, ch, due, tp) ON n.subscriber_id = x.sid AND n.event_source = x.src AND "
      "n.event_id = x.eid RETURNING id, "
      "notification) ";
  sql += "SELECT " + NotificationColumns("new_deliveries") +
         ", h.head AS head_before, current.version AS subscriptions_version";
  if (recording)
    sql +=
        ", (SELECT COALESCE(array_agg(source ORDER BY source, event_id), '{}') FROM recorded) AS recorded_sources, "
        "(SELECT COALESCE(array_agg(event_id ORDER BY source, event_id), '{}') FROM recorded) AS recorded_ids";
  return sql + " FROM current LEFT JOIN (n JOIN heads h ON h.subscriber_id = n.subscriber_id) ON true";
}

// Insert, InsertRecording (see InsertSql).
const db::Statement kInsert{"insert_notifications", InsertSql(false)};
const db::Statement kInsertRecording{"insert_notifications_recording", InsertSql(true)};
// CommitWithoutFlush.
const db::Statement kAsyncCommit{"async_commit", "SET LOCAL synchronous_commit = off"};
// List: the optional keyset and order make it run unprepared, planned per call (see db::Statement). $1 the
// subscriber, $2 unread only, $3 and $5 the keyset (rank, cursor), $4 unread first, $6 the limit.
const std::string kListSql =
    "SELECT " + NotificationColumns() +
    ", CASE WHEN $4 THEN (n.read_at IS NOT NULL)::int ELSE 0 END AS rank FROM notifications n "
    "WHERE n.subscriber_id = $1 AND (NOT $2 OR n.read_at IS NULL) AND ($3::int IS NULL OR "
    "(CASE WHEN $4 THEN (n.read_at IS NOT NULL)::int ELSE 0 END, -n.cursor) > ($3::int, -$5::bigint)) "
    "ORDER BY rank, n.cursor DESC LIMIT $6";
// List, newest first and read or not (the usual inbox page): prepared, with the unread count in the same round
// trip (an uncorrelated subquery, run once), so one call is one statement planned once instead of two, one of
// them planned per call. Walks notifications_inbox backwards from the keyset. $1 the subscriber, $2 the cursor
// of the last row shown (NULL: from the newest), $3 the limit.
const db::Statement kListNewest{
    "list_newest",
    "SELECT " + NotificationColumns() +
        ", 0 AS rank, (SELECT count(*) FROM notifications u WHERE u.subscriber_id = $1 AND u.read_at IS NULL) AS "
        "unread FROM notifications n WHERE n.subscriber_id = $1 AND n.cursor < COALESCE($2::bigint, "
        "9223372036854775807) ORDER BY n.cursor DESC LIMIT $3"};
// List.
const db::Statement kUnreadCount{
    "unread_count", "SELECT count(*) AS unread FROM notifications WHERE subscriber_id = $1 AND read_at IS NULL"};
// After, on the watch pool. Ordered as notifications_inbox is, so that even a generic plan walks that index from
// the cursor on.
const db::Statement kAfter{"notifications_after",
                           "SELECT " + NotificationColumns() +
                               " FROM notifications n WHERE n.subscriber_id = $1 AND n.cursor > $2 ORDER BY "
                               "n.subscriber_id, n.cursor LIMIT $3"};
// MarkRead.
const db::Statement kMarkRead{"mark_read",
                              "UPDATE notifications SET read_at = COALESCE(read_at, clock_timestamp()) WHERE "
                              "subscriber_id = $1 AND cursor = $2 RETURNING cursor"};
const db::Statement kGet{"get_notification",
                         "SELECT " + NotificationColumns() + " FROM notifications n WHERE n.cursor = $1"};
// MarkAllRead: $2 = 0 for all.
const db::Statement kMarkAllRead{"mark_all_read",
                                 "UPDATE notifications SET read_at = clock_timestamp() WHERE subscriber_id = $1 AND "
                                 "read_at IS NULL AND ($2::bigint = 0 OR cursor <= $2::bigint)"};

// The arrays of Insert's parameters $1 to $9 and $13 to $17 and $19, with the rows' index by (subscriber, source, id).
struct InsertParameters {
  std::vector<std::string> subscribers, sources, ids, types, subjects, titles, links, data;
  std::vector<int64_t> times;
  std::set<std::string> distinct_subscribers;
  std::map<std::tuple<std::string, std::string, std::string>, size_t> index;
  std::vector<std::string> delivery_subscribers, delivery_sources, delivery_ids, delivery_traceparents;
  std::vector<int64_t> channels, due;

  InsertParameters(const std::vector<NewNotification>& rows, const std::vector<NewDelivery>& deliveries) {
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
    for (const auto& d : deliveries) {
      delivery_subscribers.push_back(d.subscriber_id);
      delivery_sources.push_back(d.event_source);
      delivery_ids.push_back(d.event_id);
      channels.push_back(static_cast<int64_t>(d.channel));
      due.push_back(d.due_micros);
      delivery_traceparents.push_back(d.traceparent);
    }
  }
};

// Runs kInsert or, with `record`, kInsertRecording.
InsertedNotifications RunInsert(pqxx::transaction_base& tx, const std::vector<NewNotification>& rows,
                                const std::vector<NewDelivery>& deliveries, int budget, const std::string& replica,
                                int64_t subscriptions_version, const DedupeRecord* record) {
  InsertedNotifications out;
  out.rows.resize(rows.size());
  const InsertParameters p(rows, deliveries);
  using db::IntArrayLiteral;
  using db::TextArrayLiteral;
  const std::string notice = EncodeInboxNotice(replica, p.distinct_subscribers);
  const std::string heads = TextArrayLiteral({p.distinct_subscribers.begin(), p.distinct_subscribers.end()});
  auto run = [&](const std::string& statement, const auto&... more) {
    return tx.exec_prepared(statement, TextArrayLiteral(p.subscribers), TextArrayLiteral(p.sources),
                            TextArrayLiteral(p.ids), TextArrayLiteral(p.types), IntArrayLiteral(p.times),
                            TextArrayLiteral(p.subjects), TextArrayLiteral(p.titles), TextArrayLiteral(p.links),
                            TextArrayLiteral(p.data), notice, heads, subscriptions_version,
                            TextArrayLiteral(p.delivery_subscribers), TextArrayLiteral(p.delivery_sources),
                            TextArrayLiteral(p.delivery_ids), IntArrayLiteral(p.channels), IntArrayLiteral(p.due),
                            budget, TextArrayLiteral(p.delivery_traceparents), more...);
  };
  const pqxx::result r = record
                             ? run(kInsertRecording.name, record->sources, record->ids, record->types, record->outcomes)
                             : run(kInsert.name);
  if (record) {  // the same on every row, and there is always one (the version's)
    auto recorded_sources = db::ParseTextArray(r[0]["recorded_sources"]);
    auto recorded_ids = db::ParseTextArray(r[0]["recorded_ids"]);
    for (size_t i = 0; i < recorded_sources.size() && i < recorded_ids.size(); ++i)
      out.recorded.emplace(recorded_sources[i], recorded_ids[i]);
  }
  for (const auto& row : r) {
    out.subscriptions_current = row["subscriptions_version"].as<int64_t>() == subscriptions_version;
    if (row["cursor"].is_null()) continue;  // nothing inserted: the version's row alone
    const auto subscriber = row["subscriber_id"].as<std::string>();
    auto it = p.index.find({subscriber, row["event_source"].as<std::string>(), row["event_id"].as<std::string>()});
    if (it == p.index.end()) continue;
    out.rows[it->second] = NotificationOf(row);
    out.heads_before[subscriber] = row["head_before"].as<int64_t>();
  }
  return out;
}

}  // namespace

std::vector<db::Statement> InboxStatements() {
  return {kInsert, kInsertRecording, kAsyncCommit, kListNewest, kUnreadCount, kMarkRead, kGet, kMarkAllRead};
}

std::vector<db::Statement> WatchStatements() {
  return {kAfter};
}

InsertedNotifications InboxStore::Insert(pqxx::work& tx, const std::vector<NewNotification>& rows,
                                         const std::vector<NewDelivery>& deliveries, int budget,
                                         const std::string& replica, int64_t subscriptions_version) {
  if (rows.empty()) return {};
  return RunInsert(tx, rows, deliveries, budget, replica, subscriptions_version, nullptr);
}

InsertedNotifications InboxStore::InsertRecording(pqxx::nontransaction& tx, const std::vector<NewNotification>& rows,
                                                  const std::vector<NewDelivery>& deliveries, int budget,
                                                  const std::string& replica, int64_t subscriptions_version,
                                                  const DedupeRecord& record) {
  return RunInsert(tx, rows, deliveries, budget, replica, subscriptions_version, &record);
}

void InboxStore::CommitWithoutFlush(pqxx::work& tx) {
  tx.exec_prepared(kAsyncCommit.name);
}

InboxPage InboxStore::List(const InboxQuery& q) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::optional<int> rank;
        std::optional<int64_t> cursor;
        if (q.after) rank = q.after->first, cursor = q.after->second;
        const bool newest = !q.unread_first && !q.unread_only;
        auto rows = newest ? tx.exec_prepared(kListNewest.name, q.subscriber_id, cursor, q.limit + 1)
                           : tx.exec_params(kListSql, q.subscriber_id, q.unread_only, rank, q.unread_first, cursor,
                                            q.limit + 1);
        InboxPage page;
        for (const auto& r : rows) {
          if (static_cast<int>(page.notifications.size()) == q.limit) {
            const auto& last = page.notifications.back();
            page.last = std::make_pair(q.unread_first && last.read() ? 1 : 0, last.cursor());
            break;
          }
          page.notifications.push_back(NotificationOf(r));
        }
        page.unread = newest && !rows.empty()
                          ? rows[0]["unread"].as<int64_t>()
                          : tx.exec_prepared(kUnreadCount.name, q.subscriber_id)[0]["unread"].as<int64_t>();
        return page;
      },
      true);
}

std::vector<v1::Notification> InboxStore::After(const std::string& subscriber_id, int64_t after, int limit) {
  return watch_pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::Notification> out;
        for (const auto& r : tx.exec_prepared(kAfter.name, subscriber_id, after, limit))
          out.push_back(NotificationOf(r));
        return out;
      },
      true);
}

std::optional<v1::Notification> InboxStore::MarkRead(const std::string& subscriber_id, int64_t cursor) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Notification> {
    pqxx::work tx(c);
    if (tx.exec_prepared(kMarkRead.name, subscriber_id, cursor).empty()) return std::nullopt;
    auto r = tx.exec_prepared(kGet.name, cursor);
    tx.commit();
    return NotificationOf(r[0]);
  });
}

int64_t InboxStore::MarkAllRead(const std::string& subscriber_id, int64_t up_to) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kMarkAllRead.name, subscriber_id, up_to);
    tx.commit();
    return static_cast<int64_t>(r.affected_rows());
  });
}

}  // namespace cchc::notification
