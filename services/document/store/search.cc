#include "search.h"

#include <vector>

#include "platform/text.h"
#include "store/document_rows.h"

namespace cchc::document {
namespace {

// Whether a published document replaces d (validity REPLACED, which the EXPIRED filter includes: no longer in force):
// the row's replaced_by, kept by the writes (migration 011).
std::string Replaced() {
  return "d.replaced_by <> ''";
}

// $1..$9 filters, shared by List and Search; `validity` false: the statement serves only validity 0 (any), and
// plans without the four EXISTS subqueries of the validity branch (a third of a search's planning).
std::string FilterSql(bool validity) {
  return " ($1::smallint IS NULL OR d.status = $1)"
         " AND ($2::text IS NULL OR d.field_keys @> ARRAY[$2::text])"
         " AND ($3::text IS NULL OR d.type_key = $3)"
         " AND ($4::text IS NULL OR d.issuer_key = $4)"
         " AND ($5::text IS NULL OR d.signer_key = $5)"
         " AND ($6::date IS NULL OR d.issue_date >= $6)"
         " AND ($7::date IS NULL OR d.issue_date <= $7)" +
         (validity ? " AND ($8::int = 0"
                     "   OR ($8 = 1 AND (d.effective_date IS NULL OR d.effective_date <= current_date)"
                     "              AND (d.expiry_date IS NULL OR d.expiry_date >= current_date) AND NOT " +
                         Replaced() +
                         ")"
                         "   OR ($8 = 2 AND d.effective_date > current_date AND NOT " +
                         Replaced() +
                         ")"
                         "   OR ($8 = 3 AND (d.expiry_date < current_date OR " +
                         Replaced() +
                         "))"
                         "   OR ($8 = 4 AND " +
                         Replaced() + "))"
                   : std::string(" AND $8::int = 0")) +
         " AND ($9::smallint = 0 OR d.code_form = $9)";
}
const std::string kFilterSql = FilterSql(true);

// Which unpublished documents a read returns ($n: NULL every unit's, else those created by $n; '' none).
std::string VisibleSql(int n) {
  std::string p = "$" + std::to_string(n);
  return " AND (" + p + "::text IS NULL OR d.status = 2 OR d.created_by = " + p + ")";
}

// List: one page after the keyset cursor.
const std::string kListSql = "SELECT " + Columns() + " FROM documents d WHERE" + kFilterSql +
                             " AND ($10::date IS NULL OR (d.issue_date, d.seq) < ($10::date, $11::bigint))" +
                             VisibleSql(13) + " ORDER BY d.issue_date DESC, d.seq DESC LIMIT $12";
// Search: best first among the newest kMaxSearchResults matches: the words as a phrase, then cover density
// (weights D C B A: code and subject count most) damped by length; newest first among equals. Ranking
// only the newest matches keeps broad queries ("cải cách hành chính" matches most of the corpus)
// from ranking every row; paging never goes past them anyway.
//
// The candidates come from the search index (document_search, migration 010: the vector, the newest-first key and
// the filter columns, written newest first), never from the wide rows; only the page's documents are read from
// documents. Finding the newest matches costs what the query's selectivity makes it cost: walking the newest rows
// until enough match is cheap for broad queries and slow for specific ones, reading every match from the GIN
// index the reverse, and a broad query whose matches are all old ("2013") is slow either way. So the statement
// splits the index by issue date into windows, newest first, of about SearchPlan::window_rows rows each (the
// dates of those rows, $15..$18, are the caller's: SearchCutoffs), and reads the matches of one window after
// another until it has kMaxSearchResults (a later window is a one-time filter, not executed once the earlier ones
// have them):
//  - the first window (the newest ~2,000 rows): walked newest first, stopping at the kMaxSearchResults-th match
//    (a broad query: often within a few hundred rows). Not left to the planner: reading a broad query's matches
//    from the GIN index costs more than the whole walk (the posting lists of "bao" and "cao:*", 40,000 rows, ANDed
//    before the date range: 30 ms on a busy machine), and the planner prices that index scan far too low;
//  - the later ones: always the matches from the GIN index (sorted by "issue_date + 0" so that the planner does not
//    walk), ANDed with the window's date range: a query that got here matches under 10 % of the newest rows, and
//    walking a window whose matches are all at its old end ("2013", "nam 2010") read the whole window.
// The windows cover the whole index without overlapping, and each gives its newest kMaxSearchResults matches, so
// the newest kMaxSearchResults of their union are the newest of all, whatever the cutoffs (stale ones only change
// the cost). BENCHMARKS.md, Search, has the measurements.
const std::string kTyped = "to_tsquery('simple', $10)";
const std::string kCandidateColumns = "d.id, d.issue_date, d.seq, d.search_vector";

// The filter's parameters $1..$9 (the dates, $6 and $7, are the filter's own).
struct FilterParams {
  std::string status;  // empty: any
  std::string field_key, type_key, issuer_key, signer_key;
  int validity = 0, code_form = 0;
};

FilterParams ToParams(const v1::DocumentFilter& f) {
  FilterParams p;
  if (f.status() != v1::DOCUMENT_STATUS_UNSPECIFIED) p.status = std::to_string(f.status());
  p.field_key = text::Fold(f.field());
  p.type_key = text::Fold(f.type_abbreviation());
  p.issuer_key = text::Fold(f.issuer_code());
  p.signer_key = text::Fold(f.signer_name());
  p.validity = f.validity();
  p.code_form = f.code_form();
  return p;
}

}  // namespace

std::string SearchSqlFor(bool validity) {
  const std::string max = std::to_string(kMaxSearchResults);
  std::string sql = "WITH";
  std::string found;  // the matches of the windows so far
  std::string all;
  for (int w = 0; w <= kSearchWindows; ++w) {
    const std::string name = "w" + std::to_string(w);
    const std::string newer = w ? " AND d.issue_date < $" + std::to_string(14 + w) + "::date" : "";
    const std::string older = w < kSearchWindows ? " AND d.issue_date >= $" + std::to_string(15 + w) + "::date" : "";
    sql += std::string(w ? "," : "") + " " + name + " AS MATERIALIZED (SELECT ";
    if (w == 0)  // a walk: the window's rows newest first (OFFSET 0 keeps the match test out of the scan), matched
      sql += "v.* FROM (SELECT " + kCandidateColumns + " FROM document_search d WHERE" + FilterSql(validity) +
             VisibleSql(14) + older + " ORDER BY d.issue_date DESC, d.seq DESC OFFSET 0) v WHERE v.search_vector @@ " +
             kTyped + " ORDER BY v.issue_date DESC, v.seq DESC";
    else  // the GIN index
      sql += kCandidateColumns + " FROM document_search d WHERE" + FilterSql(validity) + VisibleSql(14) +
             " AND d.search_vector @@ " + kTyped + newer + older + " AND " + found + " < " + max +
             " ORDER BY d.issue_date + 0 DESC, d.seq DESC";
    sql += " LIMIT " + max + ")";
    found += std::string(w ? " + " : "") + "(SELECT count(*) FROM " + name + ")";
    all += std::string(w ? " UNION ALL " : "") + "SELECT * FROM " + name;
  }
  return sql + ", candidates AS (" + all + " ORDER BY issue_date DESC, seq DESC LIMIT " + max +
         "),"
         " ranked AS (SELECT c.id, c.issue_date, c.seq,"
         " (c.search_vector @@ to_tsquery('simple', $13))::int + ts_rank_cd('{0.1, 0.2, 0.4, 1.0}',"
         " c.search_vector, to_tsquery('simple', $10), 1) AS rank FROM candidates c"
         " ORDER BY rank DESC, c.issue_date DESC, c.seq DESC LIMIT $11 OFFSET $12)"
         " SELECT " +
         Columns() +
         " FROM ranked r JOIN documents d ON d.id = r.id"
         " ORDER BY r.rank DESC, r.issue_date DESC, r.seq DESC";
}

// A reader's search from the index (PublishedIndexFeed): its candidates ranked as SearchSqlFor ranks them, and the
// page read from documents. $1 the tsquery, $2 the phrase, $3 the candidates' ids, $4 limit, $5 offset. A candidate
// no longer published or matching (a write after the index's poll) is dropped. Prepared: its generic plan reads the
// candidates by key alone (MATERIALIZED: left to the planner, the match test became a GIN scan ANDed with the keys,
// 4 ms of posting lists for "nam 2024" where the 200 rows take 0.6 ms) and parses each tsquery once (q; in the
// generic plan to_tsquery is not folded to a constant and ran per row: 3.4 ms instead of 2.1).
const db::Statement kIndexedRank{
    "doc_search_indexed",
    "WITH q AS MATERIALIZED (SELECT to_tsquery('simple', $1) AS words, to_tsquery('simple', $2) AS phrase),"
    " c AS MATERIALIZED (SELECT s.id, s.issue_date, s.seq, s.status, s.search_vector FROM document_search s"
    " WHERE s.id = ANY($3::uuid[])),"
    " ranked AS (SELECT c.id, c.issue_date, c.seq, (c.search_vector @@ q.phrase)::int + "
    "ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', c.search_vector, q.words, 1) AS rank FROM c, q"
    " WHERE c.status = 2 AND c.search_vector @@ q.words"
    " ORDER BY rank DESC, c.issue_date DESC, c.seq DESC LIMIT $4::int OFFSET $5::int) SELECT " +
        Columns() +
        " FROM ranked r JOIN documents d ON d.id = r.id ORDER BY r.rank DESC, r.issue_date DESC, r.seq DESC"};

std::vector<db::Statement> SearchIndexStatements() {
  return {kIndexedRank, PublishedIndexFeed::PollStatement()};
}

std::vector<std::string> WordsOfTsQuery(const std::string& tsquery) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false;
  for (char c : tsquery) {
    if (c == '\'') {
      if (quoted) words.push_back(std::move(word));
      word.clear();
      quoted = !quoted;
    } else if (quoted) {
      word += c;
    }
  }
  return words;
}

SearchCutoffs LoadSearchCutoffs(pqxx::transaction_base& tx, const SearchPlan& plan) {
  SearchCutoffs out;
  std::string previous = "-infinity";  // no window: the first covers everything
  for (int w = 0; w < kSearchWindows; ++w) {
    auto r = tx.exec_params(
        "SELECT issue_date::text FROM document_search ORDER BY issue_date DESC, seq DESC OFFSET $1 LIMIT 1",
        plan.window_rows[static_cast<size_t>(w)] - 1);
    // Fewer rows than that: this window and the later ones are empty (the previous cutoff again).
    if (!r.empty()) previous = r[0][0].as<std::string>();
    out.dates[static_cast<size_t>(w)] = previous;
  }
  return out;
}

pqxx::result ExecSearch(pqxx::transaction_base& tx, const SearchQuery& q, const SearchCutoffs& cutoffs) {
  static const std::string any_validity = SearchSqlFor(false);
  static const std::string validity = SearchSqlFor(true);
  auto p = ToParams(q.filter);
  const auto& c = cutoffs.dates;
  return tx.exec_params(p.validity == 0 ? any_validity : validity, db::NullIfEmpty(p.status),
                        db::NullIfEmpty(p.field_key), db::NullIfEmpty(p.type_key), db::NullIfEmpty(p.issuer_key),
                        db::NullIfEmpty(p.signer_key), db::NullIfEmpty(q.filter.issue_date_from()),
                        db::NullIfEmpty(q.filter.issue_date_to()), p.validity, p.code_form, q.tsquery, q.limit,
                        q.offset, q.phrase, UnpublishedOf(q.visibility), c[0], c[1], c[2], c[3]);
}

const std::string& ListSql() {
  return kListSql;
}

ListPage SearchStore::List(const ListQuery& q) {
  auto p = ToParams(q.filter);
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string after_date = q.after ? q.after->first : "";
        int64_t after_seq = q.after ? q.after->second : 0;
        auto rows = tx.exec_params(kListSql, db::NullIfEmpty(p.status), db::NullIfEmpty(p.field_key),
                                   db::NullIfEmpty(p.type_key), db::NullIfEmpty(p.issuer_key),
                                   db::NullIfEmpty(p.signer_key), db::NullIfEmpty(q.filter.issue_date_from()),
                                   db::NullIfEmpty(q.filter.issue_date_to()), p.validity, p.code_form,
                                   db::NullIfEmpty(after_date), after_seq, q.limit + 1, UnpublishedOf(q.visibility));
        ListPage page;
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < q.limit; ++i)
          page.documents.push_back(DocumentOf(rows[i]));
        if (static_cast<int>(rows.size()) > q.limit) {
          const auto& last = rows[static_cast<size_t>(q.limit) - 1];
          page.last = std::make_pair(last["issue_date"].as<std::string>(), last["seq"].as<int64_t>());
        }
        return page;
      },
      true);
}

SearchCutoffs SearchStore::Cutoffs(pqxx::transaction_base& tx) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::unique_lock lock(mutex_);
    // One search reads them at a time: while it does, the others keep the stale ones (they cost time, never
    // results) or, before the first read, wait for it; so the searches in flight do not all run the same reads.
    refreshed_.wait(lock, [&] { return cutoffs_ || !refreshing_; });
    if (cutoffs_ && (refreshing_ || now - cutoffs_at_ < plan_.cutoffs_ttl)) return *cutoffs_;
    refreshing_ = true;
  }
  // Whatever the read's outcome, the next search may read them (a failed first read: one of those waiting).
  struct Done {
    SearchStore& store;
    ~Done() {
      {
        std::lock_guard lock(store.mutex_);
        store.refreshing_ = false;
      }
      store.refreshed_.notify_all();
    }
  } done{*this};
  SearchCutoffs fresh = LoadSearchCutoffs(tx, plan_);
  std::lock_guard lock(mutex_);
  cutoffs_ = fresh;
  cutoffs_at_ = now;
  return fresh;
}

std::optional<std::vector<v1::Document>> SearchStore::SearchIndexed(const SearchQuery& q) {
  const auto status = q.filter.status();
  if (!feed_ || q.visibility.SeesUnpublished() || q.filter.validity() != 0 ||
      (status != v1::DOCUMENT_STATUS_UNSPECIFIED && status != v1::PUBLISHED))
    return std::nullopt;
  auto p = ToParams(q.filter);
  IndexQuery iq;
  iq.words = WordsOfTsQuery(q.tsquery);
  iq.field_key = p.field_key;
  iq.type_key = p.type_key;
  iq.issuer_key = p.issuer_key;
  iq.signer_key = p.signer_key;
  // (The handlers validated the dates; one the index cannot read goes to SQL rather than be dropped.)
  if (!q.filter.issue_date_from().empty() && !(iq.from_day = DayOfIsoDate(q.filter.issue_date_from())))
    return std::nullopt;
  if (!q.filter.issue_date_to().empty() && !(iq.to_day = DayOfIsoDate(q.filter.issue_date_to()))) return std::nullopt;
  iq.code_form = p.code_form;
  auto ids = feed_->Newest(iq, kMaxSearchResults);
  if (!ids) return std::nullopt;
  std::vector<v1::Document> out;
  if (ids->empty() || q.offset >= static_cast<int>(ids->size())) return out;
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        out.clear();
        for (const auto& r :
             tx.exec_prepared(kIndexedRank.name, q.tsquery, q.phrase, db::TextArrayLiteral(*ids), q.limit, q.offset))
          out.push_back(DocumentOf(r));
        return out;
      },
      true);
}

std::vector<v1::Document> SearchStore::Search(const SearchQuery& q) {
  if (auto indexed = SearchIndexed(q)) return std::move(*indexed);
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto rows = ExecSearch(tx, q, Cutoffs(tx));
        std::vector<v1::Document> out;
        for (const auto& r : rows) out.push_back(DocumentOf(r));
        return out;
      },
      true);
}

}  // namespace cchc::document
