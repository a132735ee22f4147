#include "write_limit.h"

#include <atomic>
#include <random>

#include "platform/cloudevents.h"
#include "platform/outbox.h"
#include "sql_guard.h"

namespace cchc::loadgen {
namespace {

constexpr const char* kSetup =
    "CREATE TABLE IF NOT EXISTS loadgen_write_rows (id uuid PRIMARY KEY, status smallint NOT NULL, "
    "version integer NOT NULL DEFAULT 1, body text NOT NULL, updated_at timestamptz NOT NULL DEFAULT "
    "clock_timestamp());"
    "CREATE TABLE IF NOT EXISTS loadgen_write_outbox (LIKE outbox INCLUDING ALL);";
constexpr const char* kEmpty = "TRUNCATE loadgen_write_rows, loadgen_write_outbox";

// (1) the draft: $1 id, $2 body.
const db::Statement kInsertRow{"wl_insert", "INSERT INTO loadgen_write_rows (id, status, body) VALUES ($1, 1, $2)"};
// (2) publish: the row moves on a version and its event goes to the outbox in the same statement.
const db::Statement kPublishRow{
    "wl_publish",
    std::string("WITH changed AS (UPDATE loadgen_write_rows SET status = 2, version = version + 1, updated_at = "
                "clock_timestamp() WHERE id = $1 AND version = 1 RETURNING id) INSERT INTO loadgen_write_outbox ") +
        outbox::kInsertColumns +
        " SELECT $2::uuid, 'bench.events', 'row', id::text, 'bench.row.published', 'rows/' || id::text, $3, '' "
        "FROM changed"};

}  // namespace

std::string VietnameseText(size_t bytes, uint64_t seed) {
  static const char* const kWords[] = {"kế hoạch",   "tuyên truyền", "cải cách", "hành chính", "năm học",
                                       "giáo dục",   "đào tạo",      "thủ tục",  "trực tuyến", "đơn vị",
                                       "triển khai", "thực hiện",    "báo cáo",  "kết quả",    "Sóc Trăng"};
  std::mt19937_64 rng(seed);
  std::string out;
  while (out.size() < bytes) {
    if (!out.empty()) out += ' ';
    out += kWords[rng() % std::size(kWords)];
  }
  return out;
}

WriteLimit::WriteLimit(const std::string& database_url, const std::string& schema, int connections) {
  {
    db::Pool setup(database_url, schema, 1, {});
    setup.Run([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec(kSetup);
      tx.exec(kEmpty);
    });
  }
  pool_ = std::make_unique<db::Pool>(database_url, schema, connections,
                                     std::vector<db::Statement>{kInsertRow, kPublishRow});
  if (!pool_->Ping()) throw std::runtime_error("cannot reach the database at --database-url");
}

WriteLimit::~WriteLimit() {
  try {
    pool_->Run([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec(kEmpty);
    });
  } catch (const std::exception&) {
    // the next run empties them first
  }
}

Stats WriteLimit::Pairs(const LoadShape& shape) {
  const std::string body = VietnameseText(1000, 7);
  const std::string payload = VietnameseText(1000, 8);  // an event about the size of a document's
  const pqxx::binarystring payload_bytes(payload.data(), payload.size());
  return RunBlocking("SQL insert; update + outbox", shape, [&](int) {
    return Guard([&] {
      const std::string id = events::NewUuid();
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        tx.exec_prepared(kInsertRow.name, id, body);
      });
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kPublishRow.name, id, events::NewUuid(), payload_bytes);
        if (r.affected_rows() != 1) throw std::runtime_error("the row was not published");
      });
    });
  });
}

}  // namespace cchc::loadgen
