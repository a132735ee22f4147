#include "comment_form.h"

#include "article_page.h"
#include "layout.h"
#include "platform/log.h"

namespace cchc::portal {
namespace {

namespace nv1 = news::v1;

std::string Field(const PageRequest& request, const char* name) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return "";
  return it->second.substr(0, kMaxFieldBytes);
}

}  // namespace

std::string CommentRefusalText(int code, const std::string& message) {
  switch (static_cast<grpc::StatusCode>(code)) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      if (message.rfind("comment.author_name", 0) == 0) return "Xin nhập họ tên (không quá 100 ký tự).";
      if (message.rfind("comment.email", 0) == 0) return "Địa chỉ thư điện tử chưa đúng.";
      if (message.rfind("comment.content", 0) == 0) return "Xin nhập ý kiến (không quá 4.000 ký tự).";
      return "Ý kiến chưa gửi được: thông tin chưa hợp lệ.";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "Bạn đã gửi nhiều ý kiến trong thời gian ngắn; xin thử lại sau.";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "Bài viết này không nhận thêm ý kiến.";
    default:
      return "Ý kiến chưa gửi được vì hệ thống đang gián đoạn; xin thử lại sau ít phút.";
  }
}

RouteAnswer CommentRoute(const Clients& clients, const PageRequest& request, const Visitor& visitor) {
  RouteAnswer answer;
  const std::string slug = request.path.count("slug") ? request.path.at("slug") : "";
  auto view = FetchArticle(clients, slug, request.traceparent, &answer);
  if (!view) return answer;
  view->form.action = ArticlePath(slug) + "#y-kien";
  view->form.csrf = visitor.csrf_token;
  view->form.name = Field(request, kFieldName);
  view->form.email = Field(request, kFieldEmail);
  view->form.text = Field(request, kFieldText);
  auto refuse = [&](int http_status, const std::string& error) {
    view->form.error = error;
    answer.page = ArticleContent(*view);
    answer.http_status = http_status;
    return answer;
  };
  if (!visitor.csrf_ok) return refuse(403, "Phiên gửi ý kiến đã hết hạn hoặc không hợp lệ; xin gửi lại.");

  nv1::SubmitCommentRequest req;
  req.set_parent(view->article.name());
  req.mutable_comment()->set_author_name(view->form.name);
  req.mutable_comment()->set_email(view->form.email);
  req.mutable_comment()->set_content(view->form.text);
  nv1::Comment created;
  grpc::ClientContext ctx;
  clients.Prepare(ctx, request.traceparent);
  ctx.AddMetadata("x-cchc-client-id", visitor.client_id);
  grpc::Status status = clients.news->SubmitComment(&ctx, req, &created);
  if (status.ok()) {
    answer.redirect = ArticlePath(slug) + "?gui=cho-duyet#y-kien";
    return answer;
  }
  std::string text = CommentRefusalText(status.error_code(), status.error_message());
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
      return refuse(400, text);
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return refuse(429, text);
    case grpc::StatusCode::FAILED_PRECONDITION:
      return refuse(409, text);
    default:
      log::Warn("comment not submitted",
                {{"code", std::to_string(status.error_code())}, {"error", status.error_message()}});
      return refuse(503, text);
  }
}

}  // namespace cchc::portal
