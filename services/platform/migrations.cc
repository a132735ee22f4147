#include "migrations.h"

#include <stdexcept>

#include "log.h"

namespace cchc::db {

std::vector<Migration> PlatformMigrations() {
  return {
      {"platform_001_outbox", R"SQL(
CREATE TABLE outbox (
  seq            bigserial PRIMARY KEY,
  event_id       uuid NOT NULL UNIQUE,
  topic          text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id   text NOT NULL,          -- the Kafka key
  event_type     text NOT NULL,          -- ce_type
  subject        text NOT NULL,          -- ce_subject
  payload        bytea NOT NULL,         -- the protobuf event
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at   timestamptz,
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
)SQL"},
      {"platform_002_processed_events", R"SQL(
CREATE TABLE processed_events (
  source       text NOT NULL,            -- ce_source
  event_id     text NOT NULL,            -- ce_id
  event_type   text NOT NULL,
  outcome      text NOT NULL,            -- processed | skipped | dead_lettered
  processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (source, event_id)
);
)SQL"},
      // An event the broker can never accept is parked for an operator (list, retry, discard), and the later
      // events of its aggregate wait behind it; every other event goes on.
      {"platform_003_outbox_parking", R"SQL(
ALTER TABLE outbox ADD COLUMN parked_at timestamptz, ADD COLUMN discarded_at timestamptz;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL;
CREATE INDEX outbox_parked ON outbox (topic, aggregate_id, seq)
  WHERE parked_at IS NOT NULL AND published_at IS NULL AND discarded_at IS NULL;
CREATE INDEX outbox_discarded ON outbox (discarded_at) WHERE discarded_at IS NOT NULL;
)SQL"},
      // Create requests that carried a request_id: a repeat replays the first answer (AIP-155, request_replay.h).
      // The document and news schemas made this table in their first migration before it moved here.
      {"platform_004_create_requests", R"SQL(
CREATE TABLE IF NOT EXISTS create_requests (
  principal  text NOT NULL,
  request_id text NOT NULL,
  response   bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (principal, request_id)
);
)SQL"},
      // The W3C traceparent of the call (or job) that wrote the event; the relay sends a child of it as the
      // Kafka header ce_traceparent. NULL on rows written before. Always a version-00 header (trace_context.h).
      {"platform_005_outbox_traceparent", R"SQL(
ALTER TABLE outbox ADD COLUMN traceparent text CHECK (char_length(traceparent) <= 55);
)SQL"},
  };
}

int ApplyMigrations(pqxx::connection& conn, const std::string& schema, const std::vector<Migration>& migrations) {
  {
    pqxx::nontransaction tx(conn);
    auto r = tx.exec_params("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema);
    if (r.empty())
      throw std::runtime_error("schema '" + schema + "' does not exist: provision the database first " +
                               "(deploy/postgres/provision.sql)");
    // Migrations may wait for another replica's and rewrite large tables: the role's statement and lock
    // time-outs (provision.sql) do not apply to this session.
    tx.exec("SET statement_timeout = 0");
    tx.exec("SET lock_timeout = 0");
    tx.exec_params("SELECT pg_advisory_lock(hashtext($1))", "cchc.migrations." + schema);
  }
  int applied = 0;
  try {
    const std::string table = conn.quote_name(schema) + ".schema_migrations";
    {
      pqxx::work tx(conn);
      tx.exec("CREATE TABLE IF NOT EXISTS " + table +
              " (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
      tx.commit();
    }
    for (const auto& m : migrations) {
      pqxx::work tx(conn);
      if (!tx.exec_params("SELECT 1 FROM " + table + " WHERE name = $1", m.name).empty()) continue;
      tx.exec("SET LOCAL search_path TO " + tx.quote_name(schema) + ", public");
      try {
        tx.exec(m.sql);
      } catch (const std::exception& e) {
        throw std::runtime_error("migration " + m.name + " failed: " + e.what());
      }
      tx.exec_params("INSERT INTO " + table + " (name) VALUES ($1)", m.name);
      tx.commit();
      log::Info("migration applied", {{"migration", m.name}, {"schema", schema}});
      ++applied;
    }
  } catch (...) {
    pqxx::nontransaction tx(conn);
    tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))", "cchc.migrations." + schema);
    throw;
  }
  pqxx::nontransaction tx(conn);
  tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))", "cchc.migrations." + schema);
  return applied;
}

std::vector<Migration> WithPlatformMigrations(std::vector<Migration> service) {
  auto all = PlatformMigrations();
  for (auto& m : service) all.push_back(std::move(m));
  return all;
}

}  // namespace cchc::db
