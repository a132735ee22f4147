#include "listing.h"

#include "platform/text.h"
#include "store/document_rows.h"

namespace cchc::document {
namespace {

// $1 the keyset cursor's issue date ('infinity' for the first page), $2 its seq, $3 the row limit, $4 the last issue
// date wanted (filter.issue_date_to, 'infinity' when none: another bound of the same index range); $5 the folded
// field.
const std::string kPublishedWhere =
    " FROM documents d WHERE d.status = 2 AND (d.issue_date, d.seq) < ($1::date, $2::bigint) AND d.issue_date <= "
    "$4::date";
const std::string kOfField = " AND $5::text = ANY (d.field_keys)";
const std::string kNewestFirst = " ORDER BY d.issue_date DESC, d.seq DESC LIMIT $3";
const db::Statement kListPublished{"doc_list_published", "SELECT " + Columns() + kPublishedWhere + kNewestFirst};
const db::Statement kListPublishedField{"doc_list_published_field",
                                        "SELECT " + Columns() + kPublishedWhere + kOfField + kNewestFirst};
// The same, BASIC (v1::BASIC: the fields a list shows).
const db::Statement kListPublishedBasic{"doc_list_published_basic",
                                        "SELECT " + BasicColumns() + kPublishedWhere + kNewestFirst};
const db::Statement kListPublishedFieldBasic{"doc_list_published_field_basic",
                                             "SELECT " + BasicColumns() + kPublishedWhere + kOfField + kNewestFirst};

// The page of `rows` (the limit + 1 asked), each row read by `of` with the columns `Located` finds.
template <typename Located, typename Of>
ListPage PageOf(const pqxx::result& rows, int limit, Of of) {
  ListPage page;
  page.documents.reserve(static_cast<size_t>(limit));
  const Located columns(rows);
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i)
    page.documents.push_back(of(rows[i], columns));
  if (static_cast<int>(rows.size()) > limit) {
    const auto& last = rows[static_cast<size_t>(limit) - 1];
    page.last = std::make_pair(last["issue_date"].as<std::string>(), last["seq"].as<int64_t>());
  }
  return page;
}

}  // namespace

std::vector<db::Statement> ListingStatements() {
  return {kListPublished, kListPublishedField, kListPublishedBasic, kListPublishedFieldBasic};
}

bool HasPreparedShape(const ListQuery& q) {
  if (q.filter.status() != v1::PUBLISHED) return false;
  v1::DocumentFilter rest = q.filter;
  rest.clear_status();
  rest.clear_field();
  rest.clear_issue_date_to();
  return rest.ByteSizeLong() == 0;
}

std::optional<ListPage> ListPrepared(db::Pool& pool, const ListQuery& q, v1::DocumentView view) {
  if (!HasPreparedShape(q)) return std::nullopt;
  const std::string field_key = text::Fold(q.filter.field());
  const bool basic = view == v1::BASIC;
  return pool.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const std::string after_date = q.after ? q.after->first : "infinity";
        const int64_t after_seq = q.after ? q.after->second : 0;
        const std::string to = q.filter.issue_date_to().empty() ? "infinity" : q.filter.issue_date_to();
        const auto& statement = field_key.empty() ? (basic ? kListPublishedBasic : kListPublished)
                                                  : (basic ? kListPublishedFieldBasic : kListPublishedField);
        auto rows = field_key.empty()
                        ? tx.exec_prepared(statement.name, after_date, after_seq, q.limit + 1, to)
                        : tx.exec_prepared(statement.name, after_date, after_seq, q.limit + 1, to, field_key);
        if (basic)
          return PageOf<BasicDocumentColumns>(
              rows, q.limit, [](const pqxx::row& r, const BasicDocumentColumns& c) { return BasicDocumentOf(r, c); });
        return PageOf<DocumentColumns>(rows, q.limit,
                                       [](const pqxx::row& r, const DocumentColumns& c) { return DocumentOf(r, c); });
      },
      true);
}

}  // namespace cchc::document
