#include "outbox_parked.h"

#include "outbox.h"
#include "validate.h"

namespace cchc::outbox {
namespace {

using platform::v1::ParkedEvent;

// The columns FromRow reads, of outbox row o.
const std::string& Columns() {
  static const std::string columns =
      "o.seq, o.event_id::text AS event_id, o.topic, o.aggregate_type, o.aggregate_id, o.event_type, o.subject, "
      "octet_length(o.payload) AS payload_bytes, COALESCE(o.last_error, '') AS error, o.attempts, " +
      db::EpochMicros("o.created_at") + " AS created_micros, COALESCE(" + db::EpochMicros("o.parked_at") +
      ", 0) AS parked_micros, (SELECT count(*) FROM outbox h WHERE h.published_at IS NULL AND h.discarded_at IS NULL "
      "AND h.topic = o.topic AND h.aggregate_id = o.aggregate_id AND h.seq > o.seq) AS held_events, "
      "CASE WHEN o.discarded_at IS NOT NULL THEN 3 WHEN o.parked_at IS NOT NULL THEN 1 ELSE 2 END AS state";
  return columns;
}

const std::string& IsParked() {
  static const std::string condition = "o.parked_at IS NOT NULL AND o.published_at IS NULL AND o.discarded_at IS NULL";
  return condition;
}

ParkedEvent FromRow(const pqxx::row& r) {
  ParkedEvent e;
  e.set_event_id(r["event_id"].as<std::string>());
  e.set_topic(r["topic"].as<std::string>());
  e.set_aggregate_type(r["aggregate_type"].as<std::string>());
  e.set_aggregate_id(r["aggregate_id"].as<std::string>());
  e.set_event_type(r["event_type"].as<std::string>());
  e.set_subject(r["subject"].as<std::string>());
  e.set_payload_bytes(r["payload_bytes"].as<int64_t>());
  e.set_error(r["error"].as<std::string>());
  e.set_attempts(r["attempts"].as<int32_t>());
  db::SetTimestamp(e.mutable_create_time(), r["created_micros"].as<int64_t>());
  if (int64_t parked = r["parked_micros"].as<int64_t>(); parked > 0) db::SetTimestamp(e.mutable_park_time(), parked);
  e.set_held_events(r["held_events"].as<int32_t>());
  e.set_state(static_cast<ParkedEvent::State>(r["state"].as<int>()));
  return e;
}

}  // namespace

ParkedEvents::Page ParkedEvents::List(int64_t after_seq, int limit) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto rows = tx.exec_params(
            "SELECT " + Columns() + " FROM outbox o WHERE " + IsParked() + " AND o.seq > $1 ORDER BY o.seq LIMIT $2",
            after_seq, limit + 1);
        Page page;
        for (const auto& r : rows) {
          if (static_cast<int>(page.events.size()) == limit) {
            page.last_seq = rows[limit - 1]["seq"].as<int64_t>();
            break;
          }
          page.events.push_back(FromRow(r));
        }
        return page;
      },
      true);
}

std::optional<platform::v1::ParkedEvent> ParkedEvents::Retry(const std::string& event_id) {
  if (!validate::IsUuid(event_id)) return std::nullopt;
  return pool_.Run([&](pqxx::connection& c) -> std::optional<ParkedEvent> {
    pqxx::work tx(c);
    auto r = tx.exec_params("WITH retried AS (UPDATE outbox o SET parked_at = NULL WHERE o.event_id = $1::uuid AND " +
                                IsParked() + " RETURNING o.*) SELECT " + Columns() + " FROM retried o",
                            event_id);
    tx.commit();
    if (r.empty()) return std::nullopt;
    WakeRelayAfterCommit();
    return FromRow(r[0]);
  });
}

std::optional<platform::v1::ParkedEvent> ParkedEvents::Discard(const std::string& event_id) {
  if (!validate::IsUuid(event_id)) return std::nullopt;
  return pool_.Run([&](pqxx::connection& c) -> std::optional<ParkedEvent> {
    pqxx::work tx(c);
    auto r = tx.exec_params(
        "WITH discarded AS (UPDATE outbox o SET discarded_at = clock_timestamp() WHERE "
        "o.event_id = $1::uuid AND " +
            IsParked() + " RETURNING o.*) SELECT " + Columns() + " FROM discarded o",
        event_id);
    tx.commit();
    if (r.empty()) return std::nullopt;
    WakeRelayAfterCommit();  // the events held behind it may go
    return FromRow(r[0]);
  });
}

}  // namespace cchc::outbox
