#pragma once
// School years (năm học) and their themes, stored in the news schema beside the articles the header sits on.
// Errors are DomainErrors (domain_error.h).
#include <optional>
#include <string>
#include <vector>

#include "cchc/news/v1/news.pb.h"
#include "platform/db.h"

namespace cchc::news {

// The statements SchoolYearStore prepares on every pooled connection.
std::vector<db::Statement> SchoolYearStatements();

class SchoolYearStore {
 public:
  explicit SchoolYearStore(db::Pool& pool) : pool_(pool) {}

  // Creates or replaces a validated year. Dates that overlap another year's throw
  // DomainError(kFailedPrecondition) naming that year; nothing is written then.
  v1::SchoolYear Put(const v1::SchoolYear& year, const std::string& principal);
  // By id ("2017-2018").
  std::optional<v1::SchoolYear> Get(const std::string& id);
  // The year whose dates contain `iso_date` (yyyy-mm-dd).
  std::optional<v1::SchoolYear> On(const std::string& iso_date);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::news
