#pragma once
// Listing and full-text search of documents (tra cứu văn bản). Both take optional filters, so they run unprepared,
// planned per call (see db::Statement): this store prepares no statement. Reads only, outside a transaction (one
// round trip), retried once on a broken connection.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"
#include "platform/search_text.h"
#include "rules/visibility.h"

namespace cchc::document {

// The SQL List and Search run, also for the load generator's SQL limit.
// List: $1..$9 the filters, $10/$11 the page's last issue date and seq (or NULL/0), $12 the row limit,
// $13 the unit whose unpublished documents it may return (NULL: every unit's, '': none).
// Search: $1..$9 the filters, $10 the tsquery, $11 limit, $12 offset, $13 the same words as a phrase, $14 as
// List's $13.
const std::string& ListSql();
const std::string& SearchSql();

struct ListQuery {
  v1::DocumentFilter filter;  // validated
  Visibility visibility;      // the caller's: which drafts and withdrawn documents it may return
  int limit = 20;
  // Keyset cursor: documents strictly after (issue_date, seq) in newest-first order.
  std::optional<std::pair<std::string, int64_t>> after;
};

struct ListPage {
  std::vector<v1::Document> documents;
  std::optional<std::pair<std::string, int64_t>> last;  // set when there may be more
};

// Search ranks the newest this many matches; pages end there.
inline constexpr int kMaxSearchResults = 200;
// How Search finds them (search.cc): a query with fewer matches than few_matches reads them all; one with more
// walks the newest documents, at most walk_rows of them. Tests lower them to reach every way on a small corpus.
struct SearchPlan {
  int few_matches = 2000;
  int walk_rows = 10000;
};
// The Search SQL for `plan` (SearchSql() is the default plan's).
std::string SearchSqlFor(const SearchPlan& plan);

struct SearchQuery {
  std::string tsquery;  // to_tsquery('simple', …) text built by BuildTsQuery
  std::string phrase;   // the same words as a phrase (BuildTsPhrase), ranked first
  v1::DocumentFilter filter;
  Visibility visibility;  // as in ListQuery
  int limit = 20;
  int offset = 0;
};

class SearchStore {
 public:
  explicit SearchStore(db::Pool& pool, const SearchPlan& plan = {}) : pool_(pool), search_sql_(SearchSqlFor(plan)) {}

  // One page of the documents matching the filter, newest first, without body or attachments.
  ListPage List(const ListQuery& q);
  // One page of the best matches among the newest kMaxSearchResults, without body or attachments.
  std::vector<v1::Document> Search(const SearchQuery& q);

 private:
  db::Pool& pool_;
  std::string search_sql_;
};

// Search keys (platform/search_text.h), used by the stores and the handlers alike.
using search::BuildTsPhrase;
using search::BuildTsQuery;
using search::SearchWords;

}  // namespace cchc::document
