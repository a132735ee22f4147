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

// $1..$9 filters, shared by List and Search.
const std::string kFilterSql =
    " ($1::smallint IS NULL OR d.status = $1)"
    " AND ($2::text IS NULL OR d.field_keys @> ARRAY[$2::text])"
    " AND ($3::text IS NULL OR d.type_key = $3)"
    " AND ($4::text IS NULL OR d.issuer_key = $4)"
    " AND ($5::text IS NULL OR d.signer_key = $5)"
    " AND ($6::date IS NULL OR d.issue_date >= $6)"
    " AND ($7::date IS NULL OR d.issue_date <= $7)"
    " AND ($8::int = 0"
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
    Replaced() +
    "))"
    " AND ($9::smallint = 0 OR d.code_form = $9)";

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
// Finding those newest matches costs what the query's selectivity makes it cost: reading every match (the GIN
// index) is cheap for specific queries and slow for broad ones, walking the newest documents until enough match
// (the newest-first index) the reverse. So the statement first counts the matches up to few_matches (SearchPlan), then
// takes one way; the others are one-time filters, never executed (BENCHMARKS.md, Search, has the measurements):
//  - few: at most few_matches matches of the words whole (no prefix: a prefix makes GIN read the posting
//    list of every word it begins, "6:*" → 6, 60, 600, …, and give up its fast scan, 10–15× slower);
//  - typed: when those are fewer, every match with the last word as a prefix (the word being typed), again up to
//    few_matches: fewer means all of them, and the newest of them are the candidates;
//  - walk: otherwise (a broad query), the newest documents in order, keeping the matches, until it has
//    kMaxSearchResults or has read walk_rows (a query matching few_matches or more needs about
//    kMaxSearchResults ÷ its share of the corpus);
//  - every: when the walk fell short (broad, but its matches are old: "2013", "quý I năm 2011"), every match,
//    sorted by "issue_date + 0" so that the planner reads them from the GIN index rather than walking again.
// Each way gives exactly the newest kMaxSearchResults matches of the query.
const std::string kNewest = " ORDER BY d.issue_date DESC, d.seq DESC";
const std::string kTyped = "to_tsquery('simple', $10)";
const std::string kWhole = "to_tsquery('simple', regexp_replace($10, ':\\*$', ''))";
const std::string kCandidateColumns = "d.id, d.issue_date, d.seq, d.search_vector";
const std::string kWhere = " FROM documents d WHERE" + kFilterSql + VisibleSql(14);

}  // namespace

std::string SearchSqlFor(const SearchPlan& plan) {
  const std::string max = std::to_string(kMaxSearchResults);
  const std::string few = std::to_string(plan.few_matches);
  const std::string broad = "((SELECT count(*) FROM few) = " + few + " OR (SELECT count(*) FROM typed) = " + few + ")";
  return "WITH few AS MATERIALIZED (SELECT 1" + kWhere + " AND d.search_vector @@ " + kWhole + " LIMIT " + few +
         "),"
         " typed AS MATERIALIZED (SELECT " +
         kCandidateColumns + kWhere + " AND (SELECT count(*) FROM few) < " + few + " AND d.search_vector @@ " + kTyped +
         " LIMIT " + few +
         "),"
         " walk AS MATERIALIZED (SELECT w.* FROM (SELECT " +
         kCandidateColumns + kWhere + " AND " + broad + kNewest + " LIMIT " + std::to_string(plan.walk_rows) +
         ") w WHERE w.search_vector @@ " + kTyped + " ORDER BY w.issue_date DESC, w.seq DESC LIMIT " + max +
         "),"
         " every AS MATERIALIZED (SELECT " +
         kCandidateColumns + kWhere + " AND " + broad + " AND (SELECT count(*) FROM walk) < " + max +
         " AND d.search_vector @@ " + kTyped + " ORDER BY d.issue_date + 0 DESC, d.seq DESC LIMIT " + max +
         "),"
         " candidates AS ((SELECT * FROM typed WHERE NOT " +
         broad + " ORDER BY issue_date DESC, seq DESC LIMIT " + max +
         ") UNION ALL SELECT * FROM walk WHERE (SELECT count(*) FROM walk) = " + max +
         " UNION ALL SELECT * FROM every),"
         " ranked AS (SELECT c.id, c.issue_date, c.seq,"
         " (c.search_vector @@ to_tsquery('simple', $13))::int + ts_rank_cd('{0.1, 0.2, 0.4, 1.0}',"
         " c.search_vector, to_tsquery('simple', $10), 1) AS rank FROM candidates c"
         " ORDER BY rank DESC, c.issue_date DESC, c.seq DESC LIMIT $11 OFFSET $12)"
         " SELECT " +
         Columns() +
         " FROM ranked r JOIN documents d ON d.id = r.id"
         " ORDER BY r.rank DESC, r.issue_date DESC, r.seq DESC";
}

namespace {

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

const std::string& ListSql() {
  return kListSql;
}

const std::string& SearchSql() {
  static const std::string sql = SearchSqlFor(SearchPlan{});
  return sql;
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

std::vector<v1::Document> SearchStore::Search(const SearchQuery& q) {
  auto p = ToParams(q.filter);
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto rows = tx.exec_params(search_sql_, db::NullIfEmpty(p.status), db::NullIfEmpty(p.field_key),
                                   db::NullIfEmpty(p.type_key), db::NullIfEmpty(p.issuer_key),
                                   db::NullIfEmpty(p.signer_key), db::NullIfEmpty(q.filter.issue_date_from()),
                                   db::NullIfEmpty(q.filter.issue_date_to()), p.validity, p.code_form, q.tsquery,
                                   q.limit, q.offset, q.phrase, UnpublishedOf(q.visibility));
        std::vector<v1::Document> out;
        for (const auto& r : rows) out.push_back(DocumentOf(r));
        return out;
      },
      true);
}

}  // namespace cchc::document
