#include "store/article_rows.h"

namespace cchc::news {

const std::string& ArticleColumnsSql() {
  static const std::string columns =
      "a.id::text AS id, a.title, a.slug, a.lead, a.author, a.source, a.category, a.tags, a.cover_uri, "
      "a.cover_caption, a.status, COALESCE(" +
      db::EpochMicros("a.publish_time") +
      ", 0) AS publish_micros, a.view_count_base, ARRAY(SELECT s.count FROM article_view_shards s "
      "WHERE s.article_id = a.id) AS view_shards, a.comments_enabled, a.related_document_codes, a.version, " +
      db::EpochMicros("a.created_at") + " AS create_micros, " + db::EpochMicros("a.updated_at") +
      " AS update_micros, a.created_by, a.updated_by, a.seq, " + db::EpochMicros("a.sort_time") +
      " AS sort_micros, a.cover_after_paragraph";
  return columns;
}

const std::string& FullArticleColumnsSql() {
  static const std::string columns = ArticleColumnsSql() + ", a.body";
  return columns;
}

namespace {

// view_count_base plus the article's shards (article_view_shards: an array of counts, summed here rather than by
// an aggregate in the statement, whose executor set-up cost more than the sum).
int64_t ViewCountOf(const pqxx::row& r, const ArticleColumns& c) {
  int64_t views = r[c.view_count_base].as<int64_t>();
  for (const auto& c : db::ParseTextArray(r[c.view_shards])) views += std::stoll(c);
  return views;
}

}  // namespace

v1::Article RowToArticle(const pqxx::row& r, bool full, const ArticleColumns& c) {
  v1::Article a;
  a.set_name("articles/" + r[c.id].as<std::string>());
  a.set_title(r[c.title].as<std::string>());
  a.set_slug(r[c.slug].as<std::string>());
  a.set_lead(r[c.lead].as<std::string>());
  a.set_author(r[c.author].as<std::string>());
  a.set_source(r[c.source].as<std::string>());
  a.set_category(r[c.category].as<std::string>());
  for (auto& t : db::ParseTextArray(r[c.tags])) a.add_tags(std::move(t));
  auto cover_uri = r[c.cover_uri].as<std::string>();
  auto cover_caption = r[c.cover_caption].as<std::string>();
  if (!cover_uri.empty() || !cover_caption.empty()) {
    a.mutable_cover_image()->set_uri(cover_uri);
    a.mutable_cover_image()->set_caption(cover_caption);
    a.mutable_cover_image()->set_after_paragraph(r[c.cover_after_paragraph].as<int>());
  }
  a.set_status(static_cast<v1::ArticleStatus>(r[c.status].as<int>()));
  if (int64_t p = r[c.publish_micros].as<int64_t>()) db::SetTimestamp(a.mutable_publish_time(), p);
  a.set_view_count(ViewCountOf(r, c));
  a.set_comments_enabled(r[c.comments_enabled].as<bool>());
  for (auto& c : db::ParseTextArray(r[c.related_document_codes])) a.add_related_document_codes(std::move(c));
  a.set_etag("\"" + r[c.version].as<std::string>() + "\"");
  db::SetTimestamp(a.mutable_create_time(), r[c.create_micros].as<int64_t>());
  db::SetTimestamp(a.mutable_update_time(), r[c.update_micros].as<int64_t>());
  a.set_created_by(r[c.created_by].as<std::string>());
  a.set_updated_by(r[c.updated_by].as<std::string>());
  if (full) {
    if (!c.has_body) throw std::logic_error("article row: kFullColumns expected, no body");
    a.set_body(r[c.body].as<std::string>());
  }
  return a;
}

v1::Article RowToArticle(const pqxx::row& r, bool full) {
  return RowToArticle(r, full, ArticleColumns(r));
}

}  // namespace cchc::news
