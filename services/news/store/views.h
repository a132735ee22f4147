#pragma once
// Article views (lượt xem) in PostgreSQL: each article's count is spread over kViewShards counter rows, so
// concurrent batches rarely meet on a row; reads (store/articles.h) add the shards up.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "platform/db.h"

namespace cchc::news {

inline constexpr int kViewShards = 16;

// The statements ViewStore prepares on every pooled connection.
std::vector<db::Statement> ViewStatements();

class ViewStore {
 public:
  explicit ViewStore(db::Pool& pool) : pool_(pool) {}

  // Adds `views` (article id → views) to counter row `shard` (0 ≤ shard < kViewShards) in one autocommit
  // statement, counting only published articles; returns the ids it counted. The others' views are refused.
  // Throws db::Unavailable (or a pqxx error) when nothing was committed.
  std::set<std::string> Add(const std::map<std::string, int64_t>& views, int shard);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::news
