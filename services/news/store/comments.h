#pragma once
// Reader comments (ý kiến bạn đọc) in PostgreSQL: submitted under the per-address, per-client and per-article
// limits with their CommentSubmitted event, listed, and moderated with CommentApproved, each event in the
// transaction of its write. Errors are DomainErrors (domain_error.h).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/news/v1/news.pb.h"
#include "platform/db.h"

namespace cchc::news {

// The statements CommentStore prepares on every pooled connection.
std::vector<db::Statement> CommentStatements();

struct CommentQuery {
  std::optional<std::string> article_id;                      // none: every article (moderators)
  v1::CommentStatus status = v1::COMMENT_STATUS_UNSPECIFIED;  // unspecified: any
  bool newest_first = false;
  int limit = 20;
  std::optional<int64_t> after_seq;
};

struct CommentPage {
  std::vector<v1::Comment> comments;
  std::optional<int64_t> last_seq;
};

struct CommentLimits {
  int per_sender = 5;  // comments one e-mail address may submit per window
  std::chrono::seconds window{10 * 60};
  int per_client = 20;  // comments one client identity (rules/comment_client.h) may submit per client_window
  std::chrono::seconds client_window{10 * 60};
  int pending_per_article = 200;  // comments awaiting moderation one article holds at most
};

class CommentStore {
 public:
  explicit CommentStore(db::Pool& pool) : pool_(pool) {}

  // Stores a pending comment on a published article with comments enabled, with its CommentSubmitted event.
  // kNotFound for an article readers cannot see, kFailedPrecondition when it is not published or comments are
  // closed, kExhausted (naming which) when the e-mail address or the client (`client_key`, "" for none) has used
  // up its share of `limits` or the article holds `limits.pending_per_article` pending comments.
  v1::Comment Submit(const std::string& article_id, const v1::Comment& comment, const std::string& client_key,
                     const CommentLimits& limits);
  CommentPage List(const CommentQuery& q);
  // Sets a comment's status after `check(current)` approves (it throws to refuse: nothing is written);
  // approving emits CommentApproved. kNotFound if there is no such comment.
  v1::Comment Moderate(const std::string& article_id, const std::string& comment_id, v1::CommentStatus decision,
                       const std::string& principal, const std::function<void(const v1::Comment&)>& check);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::news
