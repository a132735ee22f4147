#include "sql_limit.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "document/repository.h"
#include "platform/text.h"

namespace cchc::loadgen {
namespace {

constexpr const char* kPublished = "2";

// One random engine per driver slot.
std::vector<std::mt19937_64> Engines(int n, uint64_t seed) {
  std::vector<std::mt19937_64> out;
  for (int i = 0; i < n; ++i) out.emplace_back(seed + static_cast<uint64_t>(i));
  return out;
}

// The highest $N of a statement of the service.
int ParameterCount(const std::string& statement) {
  for (const auto& st : document::Statements()) {
    if (st.name != statement) continue;
    int most = 0;
    for (size_t i = st.sql.find('$'); i != std::string::npos; i = st.sql.find('$', i + 1))
      if (i + 1 < st.sql.size() && std::isdigit(static_cast<unsigned char>(st.sql[i + 1])))
        most = std::max(most, std::stoi(st.sql.substr(i + 1)));
    return most;
  }
  throw std::runtime_error("the document service has no statement " + statement);
}

// "'a' & 'b':*" → "'a' <-> 'b':*", the phrase form of the service's tsquery.
std::string PhraseOf(std::string tsquery) {
  for (size_t i = tsquery.find(" & "); i != std::string::npos; i = tsquery.find(" & ", i + 5))
    tsquery.replace(i, 3, " <-> ");
  return tsquery;
}

template <typename Fn>
const char* Guard(Fn&& fn) {
  try {
    fn();
    return nullptr;
  } catch (const db::Unavailable&) {
    return "pool_unavailable";
  } catch (const std::exception&) {
    return "sql_error";
  }
}

}  // namespace

SqlLimit::SqlLimit(const std::string& database_url, const std::string& schema, int connections)
    : pool_(std::make_unique<db::Pool>(database_url, schema, connections, document::Statements())) {
  if (!pool_->Ping()) throw std::runtime_error("cannot reach the database at --database-url");
}

SqlLimit::~SqlLimit() = default;

Stats SqlLimit::Get(const LoadShape& shape, const std::vector<std::string>& ids) {
  auto engines = Engines(shape.concurrency, 11);
  return RunBlocking("SQL doc_get", shape, [&](int slot) {
    auto& rng = engines[static_cast<size_t>(slot)];
    const std::string& id = ids[rng() % ids.size()];
    return Guard([&] {
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("doc_get", id);
        if (r.empty()) throw std::runtime_error("no such document");
      });
    });
  });
}

Stats SqlLimit::List(const LoadShape& shape, const std::string& field, int page_size) {
  const std::string field_key = text::Fold(field);
  const char* null = nullptr;
  return RunBlocking("SQL doc_list", shape, [&](int) {
    return Guard([&] {
      pool_->Run([&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        tx.exec_prepared("doc_list", kPublished, field_key, null, null, null, null, null, 0, 0, null, int64_t{0},
                         page_size + 1);
      });
    });
  });
}

Stats SqlLimit::Search(const LoadShape& shape, const std::vector<std::string>& queries, int page_size) {
  // doc_search's parameters follow the repository: $1..$9 filters, $10 tsquery, $11 limit, $12 offset, and in
  // the ranked-phrase version $13 the same words as a phrase.
  const int parameters = ParameterCount("doc_search");
  if (parameters != 12 && parameters != 13)
    throw std::runtime_error("doc_search takes " + std::to_string(parameters) +
                             " parameters now: update tools/loadgen/sql_limit.cc to pass what the repository passes");
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
        if (parameters == 12)
          tx.exec_prepared("doc_search", kPublished, null, null, null, null, null, null, 0, 0, tsqueries[q], page_size,
                           0);
        else
          tx.exec_prepared("doc_search", kPublished, null, null, null, null, null, null, 0, 0, tsqueries[q], page_size,
                           0, phrases[q]);
      });
    });
  });
}

}  // namespace cchc::loadgen
