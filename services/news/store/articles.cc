#include "store/articles.h"

#include <utility>

#include "platform/cloudevents.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "platform/request_replay.h"
#include "platform/search_text.h"
#include "platform/text.h"
#include "store/article_rows.h"

namespace cchc::news {
namespace {

// The columns of a listed article and of a single-article read (article_rows.h).
const std::string& kColumns = ArticleColumnsSql();
const std::string& kFullColumns = FullArticleColumnsSql();

// The row's $2..$20 of the insert and the update ($1 is the id, $21 the principal, $22 the cover position).
const std::string kRowParams = "$2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11::text[], $12, $13, $14::smallint, " +
                               db::FromEpochMicros("$15") +
                               ", $16::boolean, $17::text[], "
                               "setweight(to_tsvector('simple', $18), 'A') || "
                               "setweight(to_tsvector('simple', $19), 'B') || "
                               "setweight(to_tsvector('simple', $20), 'C')";

// Writes the row through `statement` (kInsert or kUpdate: $1..$22 shared, `extra` after them).
template <typename... Extra>
pqxx::result WriteRow(pqxx::work& tx, const db::Statement& statement, const std::string& id, const v1::Article& a,
                      const std::string& principal, Extra&&... extra) {
  std::string tags;
  for (const auto& t : a.tags()) tags += t + " ";
  std::string weight_a = search::SearchWords(a.title());
  std::string weight_b = search::SearchWords(a.lead() + " " + a.category() + " " + tags + a.author());
  std::string weight_c = search::SearchWords(a.body() + " " + a.cover_image().caption());
  std::string publish = a.has_publish_time() ? std::to_string(db::MicrosOf(a.publish_time())) : "";
  return tx.exec_prepared(statement.name, id, a.title(), a.slug(), a.lead(), a.body(), a.author(), a.source(),
                          a.category(), text::Fold(a.category()), db::TextArrayLiteral(a.tags()),
                          db::TextArrayLiteral(text::FoldEach(a.tags())), a.cover_image().uri(),
                          a.cover_image().caption(), static_cast<int>(a.status()), db::NullIfEmpty(publish),
                          a.comments_enabled(), db::TextArrayLiteral(a.related_document_codes()), weight_a, weight_b,
                          weight_c, principal, a.cover_image().after_paragraph(), std::forward<Extra>(extra)...);
}

[[noreturn]] void ThrowDuplicateSlug(const v1::Article& a) {
  throw DomainError(DomainErrorKind::kAlreadyExists, "article.slug: " + a.slug() + " is already used by an article",
                    platform::v1::DUPLICATE_SLUG);
}

const db::Statement kGet{"article_get", "SELECT " + kFullColumns + " FROM articles a WHERE a.id = $1"};
// $23: the views already counted (an import's).
const db::Statement kInsert{
    "article_insert",
    "INSERT INTO articles (id, title, slug, lead, body, author, source, category, category_key, tags, tag_keys, "
    "cover_uri, cover_caption, status, publish_time, comments_enabled, related_document_codes, search_vector, "
    "created_by, updated_by, cover_after_paragraph, view_count_base) VALUES ($1::uuid, " +
        kRowParams + ", $21, $21, $22::integer, $23::bigint)"};

}  // namespace

v1::Article ArticleStore::Create(const v1::Article& article, const std::string& principal,
                                 const std::string& request_id, int64_t initial_views) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (v1::Article first; replay::Find(tx, principal, request_id, &first)) return first;
    std::string id = events::NewUuid();
    v1::Article draft = article;
    draft.set_status(v1::DRAFT);
    try {
      tx.exec("SAVEPOINT insert_article");
      WriteRow(tx, kInsert, id, draft, principal, initial_views);
      tx.exec("RELEASE SAVEPOINT insert_article");
    } catch (const pqxx::unique_violation&) {
      ThrowDuplicateSlug(draft);
    }
    v1::Article created = RowToArticle(tx.exec_prepared(kGet.name, id)[0], true);
    replay::Remember(tx, principal, request_id, created);
    tx.commit();
    return created;
  });
}

std::optional<v1::Article> ArticleStore::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Article> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGet.name, id);
        if (r.empty()) return std::nullopt;
        return RowToArticle(r[0], true);
      },
      true);
}

namespace {
const db::Statement kGetBySlug{"article_get_by_slug", "SELECT " + kFullColumns + " FROM articles a WHERE a.slug = $1"};
}  // namespace

std::optional<v1::Article> ArticleStore::GetBySlug(const std::string& slug) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Article> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGetBySlug.name, slug);
        if (r.empty()) return std::nullopt;
        return RowToArticle(r[0], true);
      },
      true);
}

namespace {
const db::Statement kGetForUpdate{"article_get_for_update",
                                  "SELECT " + kFullColumns + " FROM articles a WHERE a.id = $1 FOR UPDATE OF a"};
const db::Statement kUpdate{
    "article_update",
    "UPDATE articles SET (title, slug, lead, body, author, source, category, category_key, tags, tag_keys, "
    "cover_uri, cover_caption, status, publish_time, comments_enabled, related_document_codes, search_vector, "
    "updated_by, cover_after_paragraph) = (" +
        kRowParams + ", $21, $22::integer), version = version + 1, updated_at = clock_timestamp() WHERE id = $1::uuid"};
}  // namespace

v1::Article ArticleStore::Modify(const std::string& id, const std::function<Mutation(v1::Article&)>& change,
                                 const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kGetForUpdate.name, id);
    if (r.empty()) ThrowNotFound("name: articles/" + id + " does not exist");
    v1::Article article = RowToArticle(r[0], true);
    Mutation m = change(article);
    try {
      tx.exec("SAVEPOINT update_article");
      WriteRow(tx, kUpdate, id, article, principal);
      tx.exec("RELEASE SAVEPOINT update_article");
    } catch (const pqxx::unique_violation&) {
      ThrowDuplicateSlug(article);
    }
    v1::Article stored = RowToArticle(tx.exec_prepared(kGet.name, id)[0], true);
    if (m.event != EventKind::kNone) outbox::Enqueue(tx, MakeArticleEvent(m.event, stored, m.changed_fields));
    tx.commit();
    return stored;
  });
}

namespace {

// $1..$5 filters, shared by List and Search. Dates are days in Asia/Ho_Chi_Minh.
const std::string kFilterSql =
    " ($1::smallint IS NULL OR a.status = $1)"
    " AND ($2::text IS NULL OR a.category_key = $2)"
    " AND ($3::text IS NULL OR a.tag_keys @> ARRAY[$3::text])"
    " AND ($4::date IS NULL OR (a.sort_time AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= $4)"
    " AND ($5::date IS NULL OR (a.sort_time AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= $5)";

struct FilterParams {
  std::string status, category_key, tag_key;
};

FilterParams ToParams(const v1::ArticleFilter& f) {
  FilterParams p;
  if (f.status() != v1::ARTICLE_STATUS_UNSPECIFIED) p.status = std::to_string(f.status());
  p.category_key = text::Fold(f.category());
  p.tag_key = text::Fold(f.tag());
  return p;
}

// The lists and Search have optional filters: they run unprepared, planned per call (see db::Statement), but for
// the prepared shapes below.
const std::string kListSql = "SELECT " + kColumns + " FROM articles a WHERE" + kFilterSql +
                             " AND ($6::bigint IS NULL OR (a.sort_time, a.seq) < (" + db::FromEpochMicros("$6") +
                             ", $7::bigint)) ORDER BY a.sort_time DESC, a.seq DESC LIMIT $8";

// The list shapes readers run most, prepared (planned once per connection, not on every call): one status
// (readers': published) and optionally one category, a keyset page newest first. $1 the status, $2/$3 the
// cursor's sort time (µs; NULL on the first page) and seq, $4 the row limit, $5 the folded category. The category's
// page is a range of the articles_category_newest index (migration 004).
const std::string kPreparedListSql =
    "SELECT " + kColumns +
    " FROM articles a WHERE a.status = $1::smallint AND (a.sort_time, a.seq) < (CASE WHEN $2::bigint IS NULL "
    "THEN 'infinity'::timestamptz ELSE " +
    db::FromEpochMicros("$2") + " END, $3::bigint)";
const std::string kNewestFirst = " ORDER BY a.sort_time DESC, a.seq DESC LIMIT $4";
const db::Statement kListStatus{"article_list_status", kPreparedListSql + kNewestFirst};
const db::Statement kListStatusCategory{"article_list_status_category",
                                        kPreparedListSql + " AND a.category_key = $5" + kNewestFirst};

// True when `filter` is a prepared shape: a status, a category or none, nothing else.
bool IsPreparedShape(const v1::ArticleFilter& filter) {
  if (filter.status() == v1::ARTICLE_STATUS_UNSPECIFIED) return false;
  v1::ArticleFilter rest = filter;
  rest.clear_status();
  rest.clear_category();
  return rest.ByteSizeLong() == 0;
}

// The page of `rows` (the limit + 1 asked), as List returns it.
ListPage PageOf(const pqxx::result& rows, int limit) {
  ListPage page;
  page.articles.reserve(static_cast<size_t>(limit));
  const ArticleColumns columns(rows);
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < limit; ++i)
    page.articles.push_back(RowToArticle(rows[i], false, columns));
  if (static_cast<int>(rows.size()) > limit) {
    const auto& last = rows[static_cast<size_t>(limit) - 1];
    page.last = std::make_pair(last["sort_micros"].as<int64_t>(), last["seq"].as<int64_t>());
  }
  return page;
}

}  // namespace

ListPage ArticleStore::List(const ListQuery& q) {
  auto p = ToParams(q.filter);
  if (IsPreparedShape(q.filter)) {
    return pool_.Run(
        [&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          const std::string after_time = q.after ? std::to_string(q.after->first) : "";
          const int64_t after_seq = q.after ? q.after->second : 0;
          const int status = static_cast<int>(q.filter.status());
          return PageOf(
              p.category_key.empty()
                  ? tx.exec_prepared(kListStatus.name, status, db::NullIfEmpty(after_time), after_seq, q.limit + 1)
                  : tx.exec_prepared(kListStatusCategory.name, status, db::NullIfEmpty(after_time), after_seq,
                                     q.limit + 1, p.category_key),
              q.limit);
        },
        true);
  }
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string after_time = q.after ? std::to_string(q.after->first) : "";
        std::string after_seq = q.after ? std::to_string(q.after->second) : "";
        return PageOf(tx.exec_params(kListSql, db::NullIfEmpty(p.status), db::NullIfEmpty(p.category_key),
                                     db::NullIfEmpty(p.tag_key), db::NullIfEmpty(q.filter.publish_date_from()),
                                     db::NullIfEmpty(q.filter.publish_date_to()), db::NullIfEmpty(after_time),
                                     db::NullIfEmpty(after_seq), q.limit + 1),
                      q.limit);
      },
      true);
}

namespace {
// Best first among the newest kMaxSearchResults matches of `where`: the words as a phrase, then cover density
// (weights D C B A: the title counts most) damped by length; newest first among equals. The other arguments
// name the parameters: the tsquery, the page's limit and offset, the phrase tsquery.
std::string SearchSql(const std::string& where, const std::string& tsquery, const std::string& limit,
                      const std::string& offset, const std::string& phrase) {
  return "WITH candidates AS MATERIALIZED (SELECT a.id, a.sort_time, a.seq, a.search_vector FROM articles a WHERE" +
         where + " AND a.search_vector @@ to_tsquery('simple', " + tsquery +
         ") ORDER BY a.sort_time DESC, a.seq DESC LIMIT " + std::to_string(kMaxSearchResults) +
         "), ranked AS (SELECT c.id, c.sort_time, c.seq, (c.search_vector @@ to_tsquery('simple', " + phrase +
         "))::int + ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', c.search_vector, to_tsquery('simple', " + tsquery +
         "), 1) AS rank FROM candidates c ORDER BY rank DESC, c.sort_time DESC, c.seq DESC LIMIT " + limit +
         " OFFSET " + offset + ") SELECT " + kColumns +
         " FROM ranked r JOIN articles a ON a.id = r.id ORDER BY r.rank DESC, r.sort_time DESC, r.seq DESC";
}
// Any filter: unprepared, as kListSql.
const std::string kSearchSql = SearchSql(kFilterSql, "$6", "$7", "$8", "$9");
// A status and nothing else — every reader's search from the portal's box — prepared: on a small table
// planning the unprepared form took ~0.8 ms against ~0.1 ms of execution (EXPLAIN ANALYZE, the demo data).
// $1 status, $2 tsquery, $3 limit, $4 offset, $5 phrase.
const db::Statement kSearchByStatus{"article_search_by_status",
                                    SearchSql(" a.status = $1::smallint", "$2", "$3", "$4", "$5")};
}  // namespace

std::vector<v1::Article> ArticleStore::Search(const SearchQuery& q) {
  auto p = ToParams(q.filter);
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const bool status_only = !p.status.empty() && p.category_key.empty() && p.tag_key.empty() &&
                                 q.filter.publish_date_from().empty() && q.filter.publish_date_to().empty();
        auto rows =
            status_only
                ? tx.exec_prepared(kSearchByStatus.name, p.status, q.tsquery, q.limit, q.offset, q.phrase)
                : tx.exec_params(kSearchSql, db::NullIfEmpty(p.status), db::NullIfEmpty(p.category_key),
                                 db::NullIfEmpty(p.tag_key), db::NullIfEmpty(q.filter.publish_date_from()),
                                 db::NullIfEmpty(q.filter.publish_date_to()), q.tsquery, q.limit, q.offset, q.phrase);
        std::vector<v1::Article> out;
        for (const auto& r : rows) out.push_back(RowToArticle(r, false));
        return out;
      },
      true);
}

namespace {
const db::Statement kDue{"article_due",
                         "WITH due AS (SELECT id FROM articles WHERE status = 2 AND publish_time <= clock_timestamp() "
                         "ORDER BY publish_time LIMIT $1 FOR UPDATE SKIP LOCKED) "
                         "UPDATE articles a SET status = 3, version = a.version + 1, updated_at = clock_timestamp(), "
                         "updated_by = 'scheduler' FROM due WHERE a.id = due.id RETURNING a.id::text AS id"};
}  // namespace

int ArticleStore::PublishDue(int limit) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto due = tx.exec_prepared(kDue.name, limit);
    for (const auto& row : due) {
      v1::Article published = RowToArticle(tx.exec_prepared(kGet.name, row["id"].as<std::string>())[0], true);
      outbox::Enqueue(tx, MakeArticleEvent(EventKind::kPublished, published, {}, true));
    }
    tx.commit();
    return static_cast<int>(due.size());
  });
}

std::vector<db::Statement> ArticleStatements() {
  return {kGet, kInsert, kGetBySlug, kGetForUpdate, kUpdate, kDue, kSearchByStatus, kListStatus, kListStatusCategory};
}

}  // namespace cchc::news
