#pragma once
// Limit (b): the SQL each RPC runs (the document service's own prepared statements, with the parameters
// its repository passes), over libpqxx without gRPC: nontransaction, a pool of a few connections.
#include <memory>
#include <string>
#include <vector>

#include "driver.h"
#include "platform/db.h"

namespace cchc::loadgen {

class SqlLimit {
 public:
  SqlLimit(const std::string& database_url, const std::string& schema, int connections);
  ~SqlLimit();

  // doc_get by random id (the uuid of "documents/{id}").
  Stats Get(const LoadShape& shape, const std::vector<std::string>& ids);
  // doc_list_published_field (store/listing.h): the field's first page of `page_size` (+ 1 row, as the service).
  Stats List(const LoadShape& shape, const std::string& field, int page_size, bool basic);
  // doc_search: published, random query (the tsquery the service builds), first page of `page_size`.
  Stats Search(const LoadShape& shape, const std::vector<std::string>& queries, int page_size);

 private:
  std::unique_ptr<db::Pool> pool_;
};

}  // namespace cchc::loadgen
