#pragma once
// Articles (bài viết) in PostgreSQL. Every write that subscribers see writes its event to the outbox in the same
// transaction. Reads are single statements outside a transaction. Errors are DomainErrors (domain_error.h).
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/news/v1/news.pb.h"
#include "platform/db.h"
#include "rules/events.h"

namespace cchc::news {

// The statements ArticleStore prepares on every pooled connection.
std::vector<db::Statement> ArticleStatements();

// What a Modify callback decided: the event to emit (if any) and the fields it changed.
struct Mutation {
  EventKind event = EventKind::kNone;
  std::vector<std::string> changed_fields;
};

struct ListQuery {
  v1::ArticleFilter filter;  // validated
  int limit = 20;
  // Keyset cursor: articles strictly after (sort time in µs, seq) in newest-first order.
  std::optional<std::pair<int64_t, int64_t>> after;
};

struct ListPage {
  std::vector<v1::Article> articles;
  std::optional<std::pair<int64_t, int64_t>> last;  // set when there may be more
};

// Search ranks the newest this many matches; pages end there.
inline constexpr int kMaxSearchResults = 1000;

struct SearchQuery {
  std::string tsquery;  // to_tsquery('simple', …) text (BuildTsQuery)
  std::string phrase;   // the same words as a phrase, ranked first
  v1::ArticleFilter filter;
  int limit = 20;
  int offset = 0;
};

class ArticleStore {
 public:
  explicit ArticleStore(db::Pool& pool) : pool_(pool) {}

  // Inserts a draft with `initial_views` already counted. A (principal, request_id) seen before returns the
  // first answer. A slug in use throws DomainError(kAlreadyExists).
  v1::Article Create(const v1::Article& article, const std::string& principal, const std::string& request_id,
                     int64_t initial_views);

  std::optional<v1::Article> Get(const std::string& id);
  std::optional<v1::Article> GetBySlug(const std::string& slug);

  // Locks the row, lets `change` edit a copy (it throws to refuse: nothing is written), writes the copy back with
  // a new etag and the event it asked for, and returns the stored article. DomainError(kNotFound) if there is
  // none, kAlreadyExists when the new slug is in use.
  v1::Article Modify(const std::string& id, const std::function<Mutation(v1::Article&)>& change,
                     const std::string& principal);

  ListPage List(const ListQuery& q);
  std::vector<v1::Article> Search(const SearchQuery& q);

  // Publishes up to `limit` scheduled articles whose publish_time has come, each with its ArticlePublished
  // event, in one transaction; rows another replica holds are skipped (FOR UPDATE SKIP LOCKED), so each
  // article is published exactly once. Returns how many it published.
  int PublishDue(int limit);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::news
