#include "store/views.h"

namespace cchc::news {
namespace {

// $1 article ids, $2 their view counts, $3 the shard. Returns the articles counted (published ones).
const db::Statement kRecordBatch{
    "view_record_batch",
    "INSERT INTO article_view_shards (article_id, shard, count) "
    "SELECT v.article_id, $3::smallint, v.n FROM unnest($1::uuid[], $2::bigint[]) AS v(article_id, n) "
    "WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = v.article_id AND a.status = 3) "
    "ON CONFLICT (article_id, shard) DO UPDATE SET count = article_view_shards.count + excluded.count "
    "RETURNING article_id::text AS article_id"};

}  // namespace

std::set<std::string> ViewStore::Add(const std::map<std::string, int64_t>& views, int shard) {
  std::vector<std::string> ids;
  std::vector<int64_t> counts;
  for (const auto& [id, n] : views) {
    ids.push_back(id);
    counts.push_back(n);
  }
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one autocommit statement: committed when it returns
    auto rows = tx.exec_prepared(kRecordBatch.name, db::TextArrayLiteral(ids), db::IntArrayLiteral(counts), shard);
    std::set<std::string> counted;
    for (const auto& r : rows) counted.insert(r["article_id"].as<std::string>());
    return counted;
  });
}

std::vector<db::Statement> ViewStatements() {
  return {kRecordBatch};
}

}  // namespace cchc::news
