#include "article_page.h"

#include "layout.h"
#include "platform/dates.h"
#include "templates.h"

namespace cchc::portal {
namespace {

namespace nv1 = news::v1;

std::string DisplayDay(const google::protobuf::Timestamp& t) {
  return dates::IsoToDisplay(
      dates::ToIso(dates::VietnamDay(std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds())))));
}

std::string IsoDay(const google::protobuf::Timestamp& t) {
  return dates::ToIso(dates::VietnamDay(std::chrono::system_clock::time_point(std::chrono::seconds(t.seconds()))));
}

mstch::array Blocks(const nv1::Article& a) {
  auto paragraphs = Paragraphs(a.body());
  const auto& cover = a.cover_image();
  int after = cover.after_paragraph();
  if (after <= 0 || after > static_cast<int>(paragraphs.size())) after = 0;
  mstch::map figure{{"is_figure", true},
                    {"caption", cover.caption()},
                    {"has_photo_src", !cover.uri().empty()},
                    {"photo_src", cover.uri()}};
  mstch::array out;
  bool with_figure = !cover.caption().empty() || !cover.uri().empty();
  if (with_figure && after == 0) out.push_back(figure);
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    out.push_back(mstch::map{{"is_paragraph", true}, {"text", paragraphs[i]}});
    if (with_figure && static_cast<int>(i) + 1 == after) out.push_back(figure);
  }
  return out;
}

}  // namespace

std::vector<std::string> Paragraphs(const std::string& body) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find("\n\n", start);
    std::string p = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!p.empty() && (p.front() == '\n' || p.front() == '\r')) p.erase(0, 1);
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
    if (!p.empty()) out.push_back(std::move(p));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

std::string ArticlePath(const std::string& slug) {
  return "/cai-cach-hanh-chinh/" + slug;
}

std::string RenderArticleMain(const ArticleView& v) {
  const nv1::Article& a = v.article;
  mstch::array comments;
  for (const auto& c : v.comments)
    comments.push_back(mstch::map{{"author", c.author_name()},
                                  {"content", c.content()},
                                  {"date", c.has_create_time() ? DisplayDay(c.create_time()) : ""},
                                  {"iso", c.has_create_time() ? IsoDay(c.create_time()) : ""}});
  mstch::map context{
      {"title", a.title()},
      {"views", std::to_string(a.view_count())},
      {"publish_date", a.has_publish_time() ? DisplayDay(a.publish_time()) : ""},
      {"publish_iso", a.has_publish_time() ? IsoDay(a.publish_time()) : ""},
      {"has_cover_src", !a.cover_image().uri().empty()},
      {"cover_src", a.cover_image().uri()},
      {"has_lead", !a.lead().empty()},
      {"lead", a.lead()},
      {"blocks", Blocks(a)},
      {"has_author", !a.author().empty()},
      {"author", a.author()},
      {"has_source", !a.source().empty()},
      {"source", a.source()},
      {"comments_unavailable", !v.comments_available},
      {"has_comments", !comments.empty()},
      {"comments", comments},
      {"has_notice", !v.form.notice.empty()},
      {"notice", v.form.notice},
      {"has_form_error", !v.form.error.empty()},
      {"form_error", v.form.error},
      {"comments_enabled", a.comments_enabled()},
      {"form_action", v.form.action},
      {"csrf", v.form.csrf},
      {"form_name", v.form.name},
      {"form_email", v.form.email},
      {"form_text", v.form.text},
  };
  return RenderTemplate("article.mustache", context);
}

PageContent ArticleContent(const ArticleView& v) {
  PageContent page;
  page.title = v.article.title();
  page.breadcrumb = {{"Trang chủ", "/"}, {v.article.category().empty() ? "Tin tức" : v.article.category(), ""}};
  page.main_html = RenderArticleMain(v);
  return page;
}

std::optional<ArticleView> FetchArticle(const Clients& clients, const std::string& slug, const std::string& traceparent,
                                        RouteAnswer* error) {
  ArticleView view;
  {
    nv1::GetArticleBySlugRequest req;
    req.set_slug(slug);
    grpc::ClientContext ctx;
    clients.Prepare(ctx, traceparent);
    grpc::Status status = clients.news->GetArticleBySlug(&ctx, req, &view.article);
    if (!status.ok()) {
      // A slug the service refuses as malformed is a page that does not exist, for the reader.
      if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        status = grpc::Status(grpc::StatusCode::NOT_FOUND, status.error_message());
      error->page = ErrorFromStatus(status, "bài viết");
      return std::nullopt;
    }
  }
  nv1::ListCommentsRequest req;
  req.set_parent(view.article.name());
  req.set_page_size(100);
  do {
    nv1::ListCommentsResponse page;
    grpc::ClientContext ctx;
    clients.Prepare(ctx, traceparent);
    grpc::Status status = clients.news->ListComments(&ctx, req, &page);
    if (!status.ok()) {
      view.comments.clear();
      view.comments_available = false;
      break;
    }
    for (auto& c : *page.mutable_comments()) {
      if (c.status() != nv1::APPROVED && c.status() != nv1::COMMENT_STATUS_UNSPECIFIED) continue;
      if (static_cast<int>(view.comments.size()) < kMaxCommentsShown) view.comments.push_back(std::move(c));
    }
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty() && static_cast<int>(view.comments.size()) < kMaxCommentsShown);
  return view;
}

RouteAnswer ArticleRoute(const Clients& clients, const PageRequest& request, const Visitor& visitor) {
  RouteAnswer answer;
  const std::string slug = request.path.count("slug") ? request.path.at("slug") : "";
  auto view = FetchArticle(clients, slug, request.traceparent, &answer);
  if (!view) return answer;
  view->form.action = ArticlePath(slug) + "#y-kien";
  view->form.csrf = visitor.csrf_token;
  auto sent = request.query.find("gui");
  if (sent != request.query.end() && sent->second == "cho-duyet") view->form.notice = kAwaitsModeration;
  answer.page = ArticleContent(*view);
  if (request.date.empty()) answer.record_view = view->article.name();
  return answer;
}

}  // namespace cchc::portal
