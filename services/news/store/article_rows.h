#pragma once
// How an article row is read: the columns the article statements select and the one mapper onto v1::Article
// (articles.cc: Create, Get, GetBySlug, Modify, List, Search, the scheduler's publishing).
#include <cstring>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <utility>

#include "cchc/news/v1/news.pb.h"
#include "platform/db.h"

namespace cchc::news {

// Columns every read returns, named as RowToArticle reads them (alias a for articles); the body only in
// single-article reads (FullArticleColumnsSql). Functions, not globals: statements built at static
// initialization in another file read them.
const std::string& ArticleColumnsSql();
const std::string& FullArticleColumnsSql();

// Where a row holds each column. ArticleColumnsSql() is one run from "id" in this order: the "id" column is found by
// name once, then each name is checked at its place (a search by name per column, PQfnumber's copy and compare of every
// name, cost ~3 % of a keyed read's CPU).
struct ArticleColumns {
  // A page's: located in its first row (none when the page is empty).
  explicit ArticleColumns(const pqxx::result& rows) {
    if (!rows.empty()) *this = ArticleColumns(rows[0]);
  }
  explicit ArticleColumns(const pqxx::row& r) {
    using Member = pqxx::row::size_type ArticleColumns::*;
    static constexpr std::pair<const char*, Member> kOrder[] = {
        {"id", &ArticleColumns::id},
        {"title", &ArticleColumns::title},
        {"slug", &ArticleColumns::slug},
        {"lead", &ArticleColumns::lead},
        {"author", &ArticleColumns::author},
        {"source", &ArticleColumns::source},
        {"category", &ArticleColumns::category},
        {"tags", &ArticleColumns::tags},
        {"cover_uri", &ArticleColumns::cover_uri},
        {"cover_caption", &ArticleColumns::cover_caption},
        {"status", &ArticleColumns::status},
        {"publish_micros", &ArticleColumns::publish_micros},
        {"view_count_base", &ArticleColumns::view_count_base},
        {"view_shards", &ArticleColumns::view_shards},
        {"comments_enabled", &ArticleColumns::comments_enabled},
        {"related_document_codes", &ArticleColumns::related_document_codes},
        {"version", &ArticleColumns::version},
        {"create_micros", &ArticleColumns::create_micros},
        {"update_micros", &ArticleColumns::update_micros},
        {"created_by", &ArticleColumns::created_by},
        {"updated_by", &ArticleColumns::updated_by},
        {"seq", &ArticleColumns::seq},
        {"sort_micros", &ArticleColumns::sort_micros},
        {"cover_after_paragraph", &ArticleColumns::cover_after_paragraph},
        {"body", &ArticleColumns::body}};
    const auto base = r.column_number("id");
    for (size_t k = 0; k < std::size(kOrder); ++k) {
      const auto at = static_cast<pqxx::row::size_type>(base + k);
      const bool last = k + 1 == std::size(kOrder);  // the body: only in single-article reads
      if (at >= r.size() || std::strcmp(r[at].name(), kOrder[k].first) != 0) {
        if (last) break;
        throw std::logic_error(std::string("article row: column ") + kOrder[k].first +
                               " is not where ArticleColumnsSql() puts it");
      }
      this->*kOrder[k].second = at;
      has_body = last;
    }
  }
  pqxx::row::size_type id = 0, title = 0, slug = 0, lead = 0, author = 0, source = 0, category = 0, tags = 0,
                       cover_uri = 0, cover_caption = 0, cover_after_paragraph = 0, status = 0, publish_micros = 0,
                       comments_enabled = 0, related_document_codes = 0, version = 0, create_micros = 0,
                       update_micros = 0, created_by = 0, updated_by = 0, view_count_base = 0, view_shards = 0, seq = 0,
                       sort_micros = 0, body = 0;
  bool has_body = false;
};

// The article of a row; `full` when it carries the body (FullArticleColumnsSql). The second form locates the
// columns itself, for a single row.
v1::Article RowToArticle(const pqxx::row& r, bool full, const ArticleColumns& c);
v1::Article RowToArticle(const pqxx::row& r, bool full);

}  // namespace cchc::news
