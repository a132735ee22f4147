#pragma once
// Listing and full-text search of documents (tra cứu văn bản); search reads its candidates from the search index
// in memory (a reader's, published_index_feed.h) or the search table (migration 010). Both take optional filters,
// so they run unprepared, planned per call (see db::Statement), but for the ranking of the index's candidates. Reads
// only, outside a transaction (one round trip), retried once on a broken connection.
#include <array>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"
#include "platform/search_text.h"
#include "rules/visibility.h"
#include "store/published_index_feed.h"

namespace cchc::document {

// The SQL List runs: $1..$9 the filters, $10/$11 the page's last issue date and seq (or NULL/0), $12 the row
// limit, $13 the unit whose unpublished documents it may return (NULL: every unit's, '': none).
const std::string& ListSql();

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
// How Search finds them (search.cc): the search index split by issue date into windows of about window_rows[i]
// rows, newest first, then the rest; the cutoff dates are read again after cutoffs_ttl (stale ones cost time,
// never results). Tests lower them to reach every window on a small corpus.
inline constexpr int kSearchWindows = 4;
struct SearchPlan {
  std::array<int, kSearchWindows> window_rows = {2000, 10000, 50000, 250000};
  std::chrono::steady_clock::duration cutoffs_ttl = std::chrono::seconds(30);
};
// The windows' first issue dates (ISO), newest first: window i holds dates[i] <= issue_date < dates[i - 1].
struct SearchCutoffs {
  std::array<std::string, kSearchWindows> dates;
};
// The cutoffs for `plan` now (kSearchWindows index-only reads of the newest-first index).
SearchCutoffs LoadSearchCutoffs(pqxx::transaction_base& tx, const SearchPlan& plan);
// The Search SQL: $1..$9 the filters, $10 the tsquery, $11 limit, $12 offset, $13 the phrase, $14 as List's $13,
// $15..$18 the cutoffs. `validity` false: only for validity 0 (any).
std::string SearchSqlFor(bool validity);

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
  explicit SearchStore(db::Pool& pool, const SearchPlan& plan = {}) : pool_(pool), plan_(plan) {}

  // From now on a reader's search (published documents, any validity) takes its candidates from `feed`'s index
  // once it is loaded, and PostgreSQL only ranks them (search.cc); other searches, and all before the load, run the
  // windows. nullptr: the windows always.
  void UseIndex(PublishedIndexFeed* feed) { feed_ = feed; }

  // One page of the documents matching the filter, newest first, without body or attachments.
  ListPage List(const ListQuery& q);
  // One page of the best matches among the newest kMaxSearchResults, without body or attachments.
  std::vector<v1::Document> Search(const SearchQuery& q);

 private:
  // The cached cutoffs, read again when older than plan_.cutoffs_ttl, by one search at a time.
  SearchCutoffs Cutoffs(pqxx::transaction_base& tx);

  // A reader's search from the index; nullopt when it does not serve this one.
  std::optional<std::vector<v1::Document>> SearchIndexed(const SearchQuery& q);

  db::Pool& pool_;
  SearchPlan plan_;
  PublishedIndexFeed* feed_ = nullptr;
  std::mutex mutex_;
  std::optional<SearchCutoffs> cutoffs_;
  std::chrono::steady_clock::time_point cutoffs_at_;
  bool refreshing_ = false;  // a search is reading the cutoffs
  std::condition_variable refreshed_;
};

// One search, with `cutoffs`: what SearchStore::Search runs (also the load generator's SQL limit).
pqxx::result ExecSearch(pqxx::transaction_base& tx, const SearchQuery& q, const SearchCutoffs& cutoffs);

// The statements of a reader's search from the index (its ranking, the index's poll), prepared with the documents
// store's (DocumentStatements).
std::vector<db::Statement> SearchIndexStatements();

// The words of a BuildTsQuery text ("'cai' & 'cach':*" → cai, cach), as the index matches them.
std::vector<std::string> WordsOfTsQuery(const std::string& tsquery);

// Search keys (platform/search_text.h), used by the stores and the handlers alike.
using search::BuildTsPhrase;
using search::BuildTsQuery;
using search::SearchWords;

}  // namespace cchc::document
