// NewsService's reader-comment RPCs (ý kiến bạn đọc): submit under the limits (per address, per client named
// by a portal caller, pending per article), list (readers see approved ones without e-mail addresses), moderate.
#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/validate.h"
#include "rules/comment_client.h"
#include "rules/validation.h"
#include "service.h"
#include "service_checks.h"

namespace cchc::news {
namespace {
constexpr paging::CursorShape<int64_t> kCommentCursor{{"s"}};
}  // namespace

using grpc::Status;
using grpc::StatusCode;

Status NewsService::SubmitComment(grpc::ServerContext* ctx, const v1::SubmitCommentRequest* req, v1::Comment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string id = RequireArticleId(req->parent(), "parent");
    v1::Comment comment = req->comment();
    Require(ValidateComment(&comment));
    std::optional<std::string_view> client_id;
    auto sent = ctx->client_metadata().find(grpc::string_ref(kClientIdMetadata.data(), kClientIdMetadata.size()));
    if (sent != ctx->client_metadata().end()) client_id = std::string_view(sent->second.data(), sent->second.size());
    std::string client_key;
    Require(ClientKey(p.Has(auth::Role::kPortal), client_id, &client_key));
    *out = comments_.Submit(id, comment, client_key, limits_.comments);
    if (!p.Has(auth::Role::kModerator)) out->clear_email();
    return Status::OK;
  });
}

Status NewsService::ListComments(grpc::ServerContext* ctx, const v1::ListCommentsRequest* req,
                                 v1::ListCommentsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    bool moderator = p.Has(auth::Role::kModerator);
    CommentQuery q;
    if (req->parent() == "articles/-") {
      if (!moderator)
        return Status(StatusCode::PERMISSION_DENIED, "parent: only moderators list every article's comments");
    } else {
      q.article_id = RequireArticleId(req->parent(), "parent");
      Visible(p, articles_.Get(*q.article_id), "parent: " + req->parent());
    }
    if (!v1::CommentStatus_IsValid(req->status()))
      return Status(StatusCode::INVALID_ARGUMENT, "status: is not a known status");
    q.status = req->status();
    if (!moderator) {
      if (q.status != v1::COMMENT_STATUS_UNSPECIFIED && q.status != v1::APPROVED)
        return Status(StatusCode::PERMISSION_DENIED, "status: readers see approved comments only");
      q.status = v1::APPROVED;
    }
    q.newest_first = req->order() == v1::NEWEST_FIRST;
    Require(validate::PageSize(req->page_size(), &q.limit));
    std::string fingerprint = paging::Fingerprint(req->parent() + "\x1f" + std::to_string(q.status) + "\x1f" +
                                                  std::to_string(q.newest_first));
    if (!req->page_token().empty()) q.after_seq = std::get<0>(kCommentCursor.Decode(req->page_token(), fingerprint));
    CommentPage page = comments_.List(q);
    for (auto& c : page.comments) {
      if (!moderator) c.clear_email();
      *out->add_comments() = std::move(c);
    }
    if (page.last_seq) out->set_next_page_token(kCommentCursor.Encode(fingerprint, *page.last_seq));
    return Status::OK;
  });
}

Status NewsService::ModerateComment(grpc::ServerContext* ctx, const v1::ModerateCommentRequest* req, v1::Comment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kModerator, [&](const auth::Principal& p) {
    auto ids = ParseCommentName(req->name());
    if (!ids)
      return error_details::ErrorStatus(StatusCode::INVALID_ARGUMENT, "name: must be articles/{uuid}/comments/{uuid}",
                                        platform::v1::INVALID_NAME);
    if (req->decision() != v1::APPROVED && req->decision() != v1::REJECTED && req->decision() != v1::SPAM)
      return Status(StatusCode::INVALID_ARGUMENT, "decision: must be APPROVED, REJECTED or SPAM");
    *out = comments_.Moderate(ids->first, ids->second, req->decision(), p.unit, [&](const v1::Comment& c) {
      if (!IsModerationAllowed(c.status(), req->decision()))
        throw StatusError(StatusCode::FAILED_PRECONDITION,
                          "decision: the comment is already " + v1::CommentStatus_Name(c.status()));
    });
    return Status::OK;
  });
}

}  // namespace cchc::news
