#include "sql_limit.h"

#include <random>

#include "platform/text.h"
#include "sql_guard.h"
#include "store/documents.h"
#include "store/listing.h"
#include "store/search.h"

namespace cchc::loadgen {
namespace {

constexpr const char* kPublished = "2";

// One random engine per driver slot.
std::vector<std::mt19937_64> Engines(int n, uint64_t seed) {
  std::vector<std::mt19937_64> out;
  for (int i = 0; i < n; ++i) out.emplace_back(seed + static_cast<uint64_t>(i));
  return out;
}

// "'a' & 'b':*" → "'a' <-> 'b':*", the phrase form of the service's tsquery.
std::string PhraseOf(std::string tsquery) {
  for (size_t i = tsquery.find(" & "); i != std::string::npos; i = tsquery.find(" & ", i + 5))
    tsquery.replace(i, 3, " <-> ");
  return tsquery;
}

}  // namespace

SqlLimit::SqlLimit(const std::string& database_url, const std::string& schema, int connections)
    : pool_(std::make_unique<db::Pool>(database_url, schema, connections, document::DocumentStatements())) {
  if (!pool_->Ping()) throw std::runtime_error("cannot reach the database at --database-url");
}

SqlLimit::~SqlLimit() = default;

Stats SqlLimit::Get(const LoadShape& shape, const std::vector<std::string>& ids) {
  auto engines = Engines(shape.concurrency, 11);
  return RunBlocking("SQL doc_get", shape, [&](int slot) {
    auto& rng = engines[static_cast<size_t>(slot)];
    const std::string& id = ids[rng() % ids.size()];
    return Guard([&] {
      if (!document::DocumentStore(*pool_).Get(id)) throw std::runtime_error("no such document");
    });
  });
}

Stats SqlLimit::List(const LoadShape& shape, const std::string& field, int page_size) {
  document::ListQuery q;  // a reader's: the prepared shape (store/listing.h)
  q.filter.set_status(document::v1::PUBLISHED);
  q.filter.set_field(field);
  q.limit = page_size;
  return RunBlocking("SQL doc_list", shape, [&](int) {
    return Guard([&] {
      if (!document::ListPrepared(*pool_, q)) throw std::runtime_error("not a prepared list shape");
    });
  });
}

Stats SqlLimit::Search(const LoadShape& shape, const std::vector<std::string>& queries, int page_size) {
  std::vector<std::string> tsqueries, phrases;
  for (const auto& q : queries) {
    tsqueries.push_back(document::BuildTsQuery(q));
    phrases.push_back(PhraseOf(tsqueries.back()));
  }
  auto engines = Engines(shape.concurrency, 29);
  const char* null = nullptr;
  return RunBlocking("SQL doc_search", shape, [&](int slot) {
    auto& rng = engines[static_cast<size_t>(slot)];
    const size_t q = rng() % tsqueries.size();
    return Guard([&] {
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        tx.exec_params(document::SearchSql(), kPublished, null, null, null, null, null, null, 0, 0, tsqueries[q],
                       page_size, 0, phrases[q], "");
      });
    });
  });
}

}  // namespace cchc::loadgen
