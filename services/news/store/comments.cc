#include "store/comments.h"

#include "platform/cloudevents.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "rules/comment_client.h"
#include "rules/events.h"
#include "rules/validation.h"

namespace cchc::news {
namespace {

// Columns every comment read returns, named as RowToComment reads them.
const std::string kCommentColumns =
    "c.id::text AS id, c.article_id::text AS article_id, c.author_name, c.email, c.content, c.status, " +
    db::EpochMicros("c.created_at") + " AS create_micros, COALESCE(" + db::EpochMicros("c.moderated_at") +
    ", 0) AS moderate_micros, c.moderated_by, c.seq";

v1::Comment RowToComment(const pqxx::row& r) {
  v1::Comment c;
  c.set_name("articles/" + r["article_id"].as<std::string>() + "/comments/" + r["id"].as<std::string>());
  c.set_author_name(r["author_name"].as<std::string>());
  c.set_email(r["email"].as<std::string>());
  c.set_content(r["content"].as<std::string>());
  c.set_status(static_cast<v1::CommentStatus>(r["status"].as<int>()));
  db::SetTimestamp(c.mutable_create_time(), r["create_micros"].as<int64_t>());
  if (int64_t m = r["moderate_micros"].as<int64_t>()) db::SetTimestamp(c.mutable_moderate_time(), m);
  c.set_moderated_by(r["moderated_by"].as<std::string>());
  return c;
}

// "10 minutes", "1 minute", "90 seconds": a rate limit's window as its message says it.
std::string Duration(std::chrono::seconds window) {
  int64_t n = window.count();
  if (n % 60 == 0) return std::to_string(n / 60) + (n == 60 ? " minute" : " minutes");
  return std::to_string(n) + (n == 1 ? " second" : " seconds");
}

[[noreturn]] void ThrowExhausted(const std::string& message) {
  throw DomainError(DomainErrorKind::kExhausted, message);
}

// One sender's, one client's and one article's submissions are serialised (locks always in that order), so no
// count Submit reads can be raced past its limit.
const db::Statement kSenderLock{"comment_sender_lock",
                                "SELECT pg_advisory_xact_lock(hashtext('comment-sender:' || $1))"};
const db::Statement kClientLock{"comment_client_lock",
                                "SELECT pg_advisory_xact_lock(hashtext('comment-client:' || $1))"};
const db::Statement kArticleLock{"comment_article_lock",
                                 "SELECT pg_advisory_xact_lock(hashtext('comment-article:' || $1))"};
const db::Statement kArticleState{"comment_article_state",
                                  "SELECT status, comments_enabled FROM articles WHERE id = $1"};
const db::Statement kSenderRecent{"comment_sender_recent",
                                  "SELECT count(*) AS recent FROM comments WHERE email_key = $1 AND created_at > "
                                  "clock_timestamp() - $2::bigint * interval '1 second'"};
const db::Statement kClientRecent{"comment_client_recent",
                                  "SELECT count(*) AS recent FROM comments WHERE client_key = $1 AND client_key <> '' "
                                  "AND created_at > clock_timestamp() - $2::bigint * interval '1 second'"};
const db::Statement kArticlePending{"comment_article_pending",
                                    "SELECT count(*) AS pending FROM comments WHERE article_id = $1 AND status = 1"};
const db::Statement kInsertComment{
    "comment_insert",
    "INSERT INTO comments (id, article_id, author_name, email, email_key, content, status, "
    "client_key) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)"};
const db::Statement kGetComment{"comment_get",
                                "SELECT " + kCommentColumns + " FROM comments c WHERE c.id = $1 AND c.article_id = $2"};

}  // namespace

v1::Comment CommentStore::Submit(const std::string& article_id, const v1::Comment& comment,
                                 const std::string& client_key, const CommentLimits& limits) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::string email_key = EmailKey(comment.email());
    tx.exec_prepared(kSenderLock.name, email_key);
    if (!client_key.empty()) tx.exec_prepared(kClientLock.name, client_key);
    tx.exec_prepared(kArticleLock.name, article_id);
    auto state = tx.exec_prepared(kArticleState.name, article_id);
    std::string name = "articles/" + article_id;
    int status = state.empty() ? v1::ARTICLE_STATUS_UNSPECIFIED : state[0]["status"].as<int>();
    if (state.empty() || status == v1::DRAFT || status == v1::SCHEDULED)
      ThrowNotFound("parent: " + name + " does not exist");
    if (status != v1::PUBLISHED)
      throw DomainError(DomainErrorKind::kFailedPrecondition, "parent: " + name + " is archived; comments are closed",
                        platform::v1::COMMENTS_CLOSED);
    if (!state[0]["comments_enabled"].as<bool>())
      throw DomainError(DomainErrorKind::kFailedPrecondition, "parent: comments on " + name + " are closed",
                        platform::v1::COMMENTS_CLOSED);
    auto recent = tx.exec_prepared(kSenderRecent.name, email_key, static_cast<int64_t>(limits.window.count()));
    if (recent[0]["recent"].as<int64_t>() >= limits.per_sender)
      ThrowExhausted("comment.email: at most " + std::to_string(limits.per_sender) + " comments per " +
                     Duration(limits.window) + " from one address; try later");
    if (!client_key.empty()) {
      auto from_client =
          tx.exec_prepared(kClientRecent.name, client_key, static_cast<int64_t>(limits.client_window.count()));
      if (from_client[0]["recent"].as<int64_t>() >= limits.per_client)
        ThrowExhausted(std::string(kClientIdMetadata) + ": at most " + std::to_string(limits.per_client) +
                       " comments per " + Duration(limits.client_window) + " from one client; try later");
    }
    if (tx.exec_prepared(kArticlePending.name, article_id)[0]["pending"].as<int64_t>() >= limits.pending_per_article)
      ThrowExhausted("parent: " + name + " already has " + std::to_string(limits.pending_per_article) +
                     " comments awaiting moderation, the most it holds; try again once they are moderated");
    std::string id = events::NewUuid();
    tx.exec_prepared(kInsertComment.name, id, article_id, comment.author_name(), comment.email(), email_key,
                     comment.content(), client_key);
    v1::Comment stored = RowToComment(tx.exec_prepared(kGetComment.name, id, article_id)[0]);
    outbox::Enqueue(tx, MakeCommentEvent(EventKind::kCommentSubmitted, name, stored));
    tx.commit();
    return stored;
  });
}

namespace {
// Optional filters: unprepared, planned per call (see db::Statement).
const std::string kCommentFilterSql =
    " FROM comments c WHERE ($1::uuid IS NULL OR c.article_id = $1) AND ($2::smallint IS NULL OR c.status = $2)";
const std::string kCommentsOldestSql =
    "SELECT " + kCommentColumns + kCommentFilterSql + " AND ($3::bigint IS NULL OR c.seq > $3) ORDER BY c.seq LIMIT $4";
const std::string kCommentsNewestSql = "SELECT " + kCommentColumns + kCommentFilterSql +
                                       " AND ($3::bigint IS NULL OR c.seq < $3) ORDER BY c.seq DESC LIMIT $4";
}  // namespace

CommentPage CommentStore::List(const CommentQuery& q) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string article = q.article_id.value_or("");
        std::string status = q.status == v1::COMMENT_STATUS_UNSPECIFIED ? "" : std::to_string(q.status);
        std::string after = q.after_seq ? std::to_string(*q.after_seq) : "";
        auto rows = tx.exec_params(q.newest_first ? kCommentsNewestSql : kCommentsOldestSql, db::NullIfEmpty(article),
                                   db::NullIfEmpty(status), db::NullIfEmpty(after), q.limit + 1);
        CommentPage page;
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < q.limit; ++i)
          page.comments.push_back(RowToComment(rows[i]));
        if (static_cast<int>(rows.size()) > q.limit)
          page.last_seq = rows[static_cast<size_t>(q.limit) - 1]["seq"].as<int64_t>();
        return page;
      },
      true);
}

namespace {
const db::Statement kGetCommentForUpdate{
    "comment_get_for_update",
    "SELECT " + kCommentColumns + " FROM comments c WHERE c.id = $1 AND c.article_id = $2 FOR UPDATE"};
const db::Statement kModerate{
    "comment_moderate",
    "UPDATE comments SET status = $2, moderated_at = clock_timestamp(), moderated_by = $3 WHERE id = $1"};
}  // namespace

v1::Comment CommentStore::Moderate(const std::string& article_id, const std::string& comment_id,
                                   v1::CommentStatus decision, const std::string& principal,
                                   const std::function<void(const v1::Comment&)>& check) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kGetCommentForUpdate.name, comment_id, article_id);
    if (r.empty()) ThrowNotFound("name: articles/" + article_id + "/comments/" + comment_id + " does not exist");
    check(RowToComment(r[0]));
    tx.exec_prepared(kModerate.name, comment_id, static_cast<int>(decision), principal);
    v1::Comment stored = RowToComment(tx.exec_prepared(kGetComment.name, comment_id, article_id)[0]);
    if (decision == v1::APPROVED)
      outbox::Enqueue(tx, MakeCommentEvent(EventKind::kCommentApproved, "articles/" + article_id, stored));
    tx.commit();
    return stored;
  });
}

std::vector<db::Statement> CommentStatements() {
  return {kSenderLock,     kClientLock,    kArticleLock, kArticleState,        kSenderRecent, kClientRecent,
          kArticlePending, kInsertComment, kGetComment,  kGetCommentForUpdate, kModerate};
}

}  // namespace cchc::news
