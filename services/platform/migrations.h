#pragma once
// Versioned SQL migrations, applied in order at start-up under an advisory lock so that replicas starting
// together apply each one exactly once. Each migration runs in its own transaction.
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace cchc::db {

struct Migration {
  std::string name;  // unique and stable, e.g. "document_001_documents"
  std::string sql;
};

// The platform's own tables every service has: outbox and processed_events.
std::vector<Migration> PlatformMigrations();
// The platform's migrations, then a service's own: what a service applies at start.
std::vector<Migration> WithPlatformMigrations(std::vector<Migration> service);

// Applies the migrations not yet recorded in <schema>.schema_migrations. The schema must exist (it is
// created, owned by the service's role, when the database is provisioned). Returns how many it applied.
// Throws what PostgreSQL throws, naming the migration.
int ApplyMigrations(pqxx::connection& conn, const std::string& schema, const std::vector<Migration>& migrations);

}  // namespace cchc::db
