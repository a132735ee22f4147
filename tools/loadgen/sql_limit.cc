#include "sql_limit.h"

#include <random>

#include "platform/text.h"
#include "sql_guard.h"
#include "store/documents.h"
#include "store/listing.h"
#include "store/search.h"

namespace cchc::loadgen {
namespace {

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

Stats SqlLimit::List(const LoadShape& shape, const std::string& field, int page_size, bool basic) {
  document::ListQuery q;  // a reader's: the prepared shape (store/listing.h)
  q.filter.set_status(document::v1::PUBLISHED);
  q.filter.set_field(field);
  q.limit = page_size;
  return RunBlocking("SQL doc_list", shape, [&](int) {
    return Guard([&] {
      if (!document::ListPrepared(*pool_, q, basic ? document::v1::BASIC : document::v1::FULL))
        throw std::runtime_error("not a prepared list shape");
    });
  });
}

Stats SqlLimit::Search(const LoadShape& shape, const std::vector<std::string>& queries, int page_size) {
  std::vector<document::SearchQuery> searches;
  for (const auto& text : queries) {
    document::SearchQuery q;
    q.tsquery = document::BuildTsQuery(text);
    q.phrase = PhraseOf(q.tsquery);
    q.filter.set_status(document::v1::PUBLISHED);
    q.limit = page_size;
    searches.push_back(std::move(q));
  }
  // The cutoffs as the store caches them: read once, not per statement.
  const auto cutoffs = pool_->Run([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return document::LoadSearchCutoffs(tx, document::SearchPlan{});
  });
  auto engines = Engines(shape.concurrency, 29);
  return RunBlocking("SQL doc_search", shape, [&](int slot) {
    auto& rng = engines[static_cast<size_t>(slot)];
    const size_t q = rng() % searches.size();
    return Guard([&] {
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        document::ExecSearch(tx, searches[q], cutoffs);
      });
    });
  });
}

}  // namespace cchc::loadgen
