#pragma once
// The SQL half of the bound an uncached read is judged against (issue 27): the plainest reads PostgreSQL serves
// over libpqxx, prepared, outside a transaction, from a pool of a few connections, in a scratch table of the load
// generator's own (loadgen_bound, created and filled once in the role's schema): a keyed SELECT of one ~1 KB row,
// and a page of `rows` such rows by an index range (newest first within a group). A service's own statements are
// not its limit; these are. The bound itself is SerialBound (echo_limit.h): the echo and this SELECT, one after
// the other.
#include <memory>
#include <string>

#include "driver.h"
#include "platform/db.h"

namespace cchc::loadgen {

// Rows of the scratch table, and rows in each group (a page is read from one group).
inline constexpr int kBoundRows = 20000;
inline constexpr int kBoundGroupRows = 100;
inline constexpr int kBoundRowBytes = 1000;

class PlainSqlLimit {
 public:
  // Creates and fills loadgen_bound in `schema` when it is not there (or not full). Throws when the database
  // cannot be reached.
  PlainSqlLimit(const std::string& database_url, const std::string& schema, int connections);
  ~PlainSqlLimit();

  // SELECT of one random row by its primary key.
  Stats Keyed(const LoadShape& shape);
  // SELECT of `rows` rows (≤ kBoundGroupRows) of a random group by the (group, seq) index, newest first.
  Stats Page(const LoadShape& shape, int rows);

 private:
  std::unique_ptr<db::Pool> pool_;
};

}  // namespace cchc::loadgen
