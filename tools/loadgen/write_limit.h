#pragma once
// The bound a create + publish pair is judged against: the same two transactions bare, over libpqxx without
// gRPC, at the same concurrency — (1) insert a ~1 KB row; (2) update that row and insert an outbox row
// (hộp thư đi: the transactional outbox). Each is one prepared autocommit statement, so each commits on its
// own with the server's synchronous commit, like the service's. The tables are the bound's own scratch
// tables in the service's schema: the row table has only its primary key, the outbox one is LIKE the
// service's outbox (its columns, defaults and indexes). Both are emptied when the limit is destroyed.
#include <memory>
#include <string>

#include "driver.h"
#include "platform/db.h"

namespace cchc::loadgen {

class WriteLimit {
 public:
  // One connection per pair in flight (`connections`): the bound is the database's, not a pool's.
  WriteLimit(const std::string& database_url, const std::string& schema, int connections);
  ~WriteLimit();
  WriteLimit(const WriteLimit&) = delete;
  WriteLimit& operator=(const WriteLimit&) = delete;

  // Pairs of the two transactions, `shape.concurrency` in flight; a pair is one call of the result.
  Stats Pairs(const LoadShape& shape);

 private:
  std::unique_ptr<db::Pool> pool_;
};

// ~`bytes` bytes of Vietnamese text (NFC), the bound's row body and the benchmark's document body.
std::string VietnameseText(size_t bytes, uint64_t seed);

}  // namespace cchc::loadgen
