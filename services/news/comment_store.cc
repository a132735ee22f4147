// Reader comments (ý kiến bạn đọc) in storage: submitted under the per-address, per-client and per-article
// limits with their CommentSubmitted event, listed, and moderated with CommentApproved.
#include "platform/cloudevents.h"
#include "platform/errors.h"
#include "platform/outbox.h"
#include "platform/text.h"
#include "repository.h"
#include "rules/comment_client.h"
#include "rules/events.h"
#include "rules/validation.h"

namespace cchc::news {
namespace {

// Columns every comment read returns, in the order RowToComment reads them.
const std::string kCommentColumns = "c.id::text, c.article_id::text, c.author_name, c.email, c.content, c.status, " +
                                    db::EpochMicros("c.created_at") + ", COALESCE(" +
                                    db::EpochMicros("c.moderated_at") + ", 0), c.moderated_by, c.seq";

const std::string kCommentFilterSql =
    " FROM comments c WHERE ($1::uuid IS NULL OR c.article_id = $1) AND ($2::smallint IS NULL OR c.status = $2)";
const std::string kCommentsOldestSql =
    "SELECT " + kCommentColumns + kCommentFilterSql + " AND ($3::bigint IS NULL OR c.seq > $3) ORDER BY c.seq LIMIT $4";
const std::string kCommentsNewestSql = "SELECT " + kCommentColumns + kCommentFilterSql +
                                       " AND ($3::bigint IS NULL OR c.seq < $3) ORDER BY c.seq DESC LIMIT $4";

v1::Comment RowToComment(const pqxx::row& r) {
  v1::Comment c;
  c.set_name("articles/" + r[1].as<std::string>() + "/comments/" + r[0].as<std::string>());
  c.set_author_name(r[2].as<std::string>());
  c.set_email(r[3].as<std::string>());
  c.set_content(r[4].as<std::string>());
  c.set_status(static_cast<v1::CommentStatus>(r[5].as<int>()));
  db::SetTimestamp(c.mutable_create_time(), r[6].as<int64_t>());
  if (int64_t m = r[7].as<int64_t>()) db::SetTimestamp(c.mutable_moderate_time(), m);
  c.set_moderated_by(r[8].as<std::string>());
  return c;
}

const char* NullIfEmpty(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

// "10 minutes", "1 minute", "90 seconds": a rate limit's window as its message says it.
std::string Duration(std::chrono::seconds window) {
  int64_t n = window.count();
  if (n % 60 == 0) return std::to_string(n / 60) + (n == 60 ? " minute" : " minutes");
  return std::to_string(n) + (n == 1 ? " second" : " seconds");
}

}  // namespace

std::vector<db::Statement> CommentStatements() {
  return {
      {"comment_sender_lock", "SELECT pg_advisory_xact_lock(hashtext('comment-sender:' || $1))"},
      {"comment_article_state", "SELECT status, comments_enabled FROM articles WHERE id = $1"},
      {"comment_sender_recent",
       "SELECT count(*) FROM comments WHERE email_key = $1 AND created_at > clock_timestamp() - $2::bigint * "
       "interval '1 second'"},
      {"comment_client_lock", "SELECT pg_advisory_xact_lock(hashtext('comment-client:' || $1))"},
      {"comment_client_recent",
       "SELECT count(*) FROM comments WHERE client_key = $1 AND client_key <> '' AND created_at > clock_timestamp() "
       "- $2::bigint * interval '1 second'"},
      {"comment_article_lock", "SELECT pg_advisory_xact_lock(hashtext('comment-article:' || $1))"},
      {"comment_article_pending", "SELECT count(*) FROM comments WHERE article_id = $1 AND status = 1"},
      {"comment_insert",
       "INSERT INTO comments (id, article_id, author_name, email, email_key, content, status, client_key) "
       "VALUES ($1, $2, $3, $4, $5, $6, 1, $7)"},
      {"comment_get", "SELECT " + kCommentColumns + " FROM comments c WHERE c.id = $1 AND c.article_id = $2"},
      {"comment_get_for_update",
       "SELECT " + kCommentColumns + " FROM comments c WHERE c.id = $1 AND c.article_id = $2 FOR UPDATE"},
      {"comment_moderate",
       "UPDATE comments SET status = $2, moderated_at = clock_timestamp(), moderated_by = $3 WHERE id = $1"},
  };
}

v1::Comment Repository::SubmitComment(const std::string& article_id, const v1::Comment& comment,
                                      const std::string& client_key, const CommentLimits& limits) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::string email_key = EmailKey(comment.email());
    // One sender's, one client's and one article's submissions are serialised (locks always in that order), so
    // no count below can be raced past its limit.
    tx.exec_prepared("comment_sender_lock", email_key);
    if (!client_key.empty()) tx.exec_prepared("comment_client_lock", client_key);
    tx.exec_prepared("comment_article_lock", article_id);
    auto state = tx.exec_prepared("comment_article_state", article_id);
    std::string name = "articles/" + article_id;
    if (state.empty() || state[0][0].as<int>() == v1::DRAFT || state[0][0].as<int>() == v1::SCHEDULED)
      throw StatusError(grpc::StatusCode::NOT_FOUND, "parent: " + name + " does not exist");
    if (state[0][0].as<int>() != v1::PUBLISHED)
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION, "parent: " + name + " is archived; comments are closed");
    if (!state[0][1].as<bool>())
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION, "parent: comments on " + name + " are closed");
    auto recent = tx.exec_prepared("comment_sender_recent", email_key, static_cast<int64_t>(limits.window.count()));
    if (recent[0][0].as<int64_t>() >= limits.per_sender)
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "comment.email: at most " + std::to_string(limits.per_sender) + " comments per " +
                            Duration(limits.window) + " from one address; try later");
    if (!client_key.empty()) {
      auto from_client =
          tx.exec_prepared("comment_client_recent", client_key, static_cast<int64_t>(limits.client_window.count()));
      if (from_client[0][0].as<int64_t>() >= limits.per_client)
        throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          std::string(kClientIdMetadata) + ": at most " + std::to_string(limits.per_client) +
                              " comments per " + Duration(limits.client_window) + " from one client; try later");
    }
    if (tx.exec_prepared("comment_article_pending", article_id)[0][0].as<int64_t>() >= limits.pending_per_article)
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "parent: " + name + " already has " + std::to_string(limits.pending_per_article) +
                            " comments awaiting moderation, the most it holds; try again once they are moderated");
    std::string id = events::NewUuid();
    tx.exec_prepared("comment_insert", id, article_id, comment.author_name(), comment.email(), email_key,
                     comment.content(), client_key);
    v1::Comment stored = RowToComment(tx.exec_prepared("comment_get", id, article_id)[0]);
    outbox::Enqueue(tx, MakeCommentEvent(EventKind::kCommentSubmitted, name, stored));
    tx.commit();
    return stored;
  });
}

CommentPage Repository::ListComments(const CommentQuery& q) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string article = q.article_id.value_or("");
        std::string status = q.status == v1::COMMENT_STATUS_UNSPECIFIED ? "" : std::to_string(q.status);
        std::string after = q.after_seq ? std::to_string(*q.after_seq) : "";
        auto rows = tx.exec_params(q.newest_first ? kCommentsNewestSql : kCommentsOldestSql, NullIfEmpty(article),
                                   NullIfEmpty(status), NullIfEmpty(after), q.limit + 1);
        CommentPage page;
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < q.limit; ++i)
          page.comments.push_back(RowToComment(rows[i]));
        if (static_cast<int>(rows.size()) > q.limit)
          page.last_seq = rows[static_cast<size_t>(q.limit) - 1][9].as<int64_t>();
        return page;
      },
      true);
}

v1::Comment Repository::ModerateComment(const std::string& article_id, const std::string& comment_id,
                                        v1::CommentStatus decision, const std::string& principal,
                                        const std::function<void(const v1::Comment&)>& check) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("comment_get_for_update", comment_id, article_id);
    if (r.empty())
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "name: articles/" + article_id + "/comments/" + comment_id + " does not exist");
    check(RowToComment(r[0]));
    tx.exec_prepared("comment_moderate", comment_id, static_cast<int>(decision), principal);
    v1::Comment stored = RowToComment(tx.exec_prepared("comment_get", comment_id, article_id)[0]);
    if (decision == v1::APPROVED)
      outbox::Enqueue(tx, MakeCommentEvent(EventKind::kCommentApproved, "articles/" + article_id, stored));
    tx.commit();
    return stored;
  });
}

}  // namespace cchc::news
