#include "plain_sql_limit.h"

#include <random>
#include <stdexcept>

#include "sql_guard.h"

namespace cchc::loadgen {
namespace {

const db::Statement kKeyed{"bound_keyed", "SELECT id, grp, seq, payload FROM loadgen_bound WHERE id = $1"};
const db::Statement kPage{"bound_page",
                          "SELECT id, grp, seq, payload FROM loadgen_bound WHERE grp = $1 ORDER BY seq DESC LIMIT $2"};

// Creates the table and fills it in one statement when it does not hold kBoundRows rows.
void EnsureTable(db::Pool& pool) {
  pool.Run([](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS loadgen_bound (id bigint PRIMARY KEY, grp integer NOT NULL, seq integer NOT "
        "NULL, payload text NOT NULL)");
    tx.exec("CREATE INDEX IF NOT EXISTS loadgen_bound_page ON loadgen_bound (grp, seq DESC)");
    if (tx.exec("SELECT count(*) FROM loadgen_bound")[0][0].as<int64_t>() != kBoundRows) {
      tx.exec("TRUNCATE loadgen_bound");
      // ~kBoundRowBytes of text that does not compress away (md5 hex), like a row of real columns.
      tx.exec_params(
          "INSERT INTO loadgen_bound SELECT i, i / $2, i % $2, left(repeat(md5(i::text), $3 / 32 + 1), $3) "
          "FROM generate_series(0, $1 - 1) AS i",
          kBoundRows, kBoundGroupRows, kBoundRowBytes);
    }
    tx.commit();
    pqxx::nontransaction analyze(c);
    analyze.exec("ANALYZE loadgen_bound");
  });
}

// Reads every column of every row as the services do (text out of the result).
size_t Consume(const pqxx::result& r) {
  size_t bytes = 0;
  for (const auto& row : r) {
    bytes += row[0].as<std::string>().size() + row[1].as<std::string>().size() + row[2].as<std::string>().size();
    bytes += row[3].as<std::string>().size();
  }
  return bytes;
}

}  // namespace

PlainSqlLimit::PlainSqlLimit(const std::string& database_url, const std::string& schema, int connections) {
  {
    db::Pool setup(database_url, schema, 1, {});
    if (!setup.Ping()) throw std::runtime_error("cannot reach the database at --database-url");
    EnsureTable(setup);
  }
  pool_ = std::make_unique<db::Pool>(database_url, schema, connections, std::vector<db::Statement>{kKeyed, kPage});
}

PlainSqlLimit::~PlainSqlLimit() = default;

Stats PlainSqlLimit::Keyed(const LoadShape& shape) {
  std::vector<std::mt19937_64> engines;
  for (int i = 0; i < shape.concurrency; ++i) engines.emplace_back(101 + static_cast<uint64_t>(i));
  return RunBlocking("SQL plain keyed 1 KB", shape, [&](int slot) {
    const int64_t id = static_cast<int64_t>(engines[static_cast<size_t>(slot)]() % kBoundRows);
    return Guard([&] {
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        if (Consume(tx.exec_prepared(kKeyed.name, id)) == 0) throw std::runtime_error("no row");
      });
    });
  });
}

Stats PlainSqlLimit::Page(const LoadShape& shape, int rows) {
  if (rows < 1 || rows > kBoundGroupRows) throw std::invalid_argument("page rows out of range");
  std::vector<std::mt19937_64> engines;
  for (int i = 0; i < shape.concurrency; ++i) engines.emplace_back(307 + static_cast<uint64_t>(i));
  return RunBlocking("SQL plain page of " + std::to_string(rows), shape, [&](int slot) {
    const int grp = static_cast<int>(engines[static_cast<size_t>(slot)]() % (kBoundRows / kBoundGroupRows));
    return Guard([&] {
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        if (Consume(tx.exec_prepared(kPage.name, grp, rows)) == 0) throw std::runtime_error("no rows");
      });
    });
  });
}

}  // namespace cchc::loadgen
