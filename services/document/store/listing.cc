#include "listing.h"

#include "platform/text.h"
#include "store/document_rows.h"

namespace cchc::document {
namespace {

// $1 the keyset cursor's issue date ('infinity' for the first page), $2 its seq, $3 the row limit; $4 the
// folded field.
const std::string kPublishedWhere =
    " FROM documents d WHERE d.status = 2 AND (d.issue_date, d.seq) < ($1::date, $2::bigint)";
const std::string kNewestFirst = " ORDER BY d.issue_date DESC, d.seq DESC LIMIT $3";
const db::Statement kListPublished{"doc_list_published", "SELECT " + Columns() + kPublishedWhere + kNewestFirst};
const db::Statement kListPublishedField{
    "doc_list_published_field",
    "SELECT " + Columns() + kPublishedWhere + " AND $4::text = ANY (d.field_keys)" + kNewestFirst};

}  // namespace

std::vector<db::Statement> ListingStatements() {
  return {kListPublished, kListPublishedField};
}

bool HasPreparedShape(const ListQuery& q) {
  if (q.filter.status() != v1::PUBLISHED) return false;
  v1::DocumentFilter rest = q.filter;
  rest.clear_status();
  rest.clear_field();
  return rest.ByteSizeLong() == 0;
}

std::optional<ListPage> ListPrepared(db::Pool& pool, const ListQuery& q) {
  if (!HasPreparedShape(q)) return std::nullopt;
  const std::string field_key = text::Fold(q.filter.field());
  return pool.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const std::string after_date = q.after ? q.after->first : "infinity";
        const int64_t after_seq = q.after ? q.after->second : 0;
        auto rows = field_key.empty()
                        ? tx.exec_prepared(kListPublished.name, after_date, after_seq, q.limit + 1)
                        : tx.exec_prepared(kListPublishedField.name, after_date, after_seq, q.limit + 1, field_key);
        ListPage page;
        page.documents.reserve(static_cast<size_t>(q.limit));
        const DocumentColumns columns(rows);
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < q.limit; ++i)
          page.documents.push_back(DocumentOf(rows[i], columns));
        if (static_cast<int>(rows.size()) > q.limit) {
          const auto& last = rows[static_cast<size_t>(q.limit) - 1];
          page.last = std::make_pair(last["issue_date"].as<std::string>(), last["seq"].as<int64_t>());
        }
        return page;
      },
      true);
}

}  // namespace cchc::document
