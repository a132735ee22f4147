#pragma once
// The article page (trang bài viết, /cai-cach-hanh-chinh/<slug>): title, views, date, the cover, heading, lead,
// the body with the photo and its caption where the photo stands, author, source, the approved comments and the
// comment form. Fetching (ArticlePage) is apart from rendering (RenderArticleMain, pure), so the escaping of
// every field is tested without a network.
#include <string>
#include <vector>

#include "cchc/news/v1/news.pb.h"
#include "router.h"

namespace cchc::portal {

// The comment form as the page shows it: where it posts, its token, what the reader typed (after an error),
// the notice after a submission and the error of one.
struct CommentForm {
  std::string action;
  std::string csrf;
  std::string name, email, text;
  std::string notice;  // "Ý kiến của bạn đã được gửi …"
  std::string error;
};

struct ArticleView {
  news::v1::Article article;
  std::vector<news::v1::Comment> comments;  // approved, oldest first
  bool comments_available = true;
  CommentForm form;
};

// The notice after a comment was taken.
inline constexpr const char* kAwaitsModeration =
    "Ý kiến của bạn đã được gửi và đang chờ kiểm duyệt; ý kiến sẽ hiển thị sau khi được duyệt.";
// The most approved comments a page shows (oldest first).
inline constexpr int kMaxCommentsShown = 500;

// The body's paragraphs: blank lines separate them.
std::vector<std::string> Paragraphs(const std::string& body);

// The page's main HTML (templates/article.mustache).
std::string RenderArticleMain(const ArticleView& view);
// The PageContent of `view`: its title, breadcrumb (Trang chủ › the category) and main HTML; no validators
// (every visit counts, so the page is never cached).
PageContent ArticleContent(const ArticleView& view);

// The article and its approved comments, read from the news service; nullopt with *error set when the article
// cannot be shown (404 unknown slug, 503 news service down). A comments failure still shows the article.
std::optional<ArticleView> FetchArticle(const Clients& clients, const std::string& slug, const std::string& traceparent,
                                        RouteAnswer* error);

// "/cai-cach-hanh-chinh/<slug>".
std::string ArticlePath(const std::string& slug);

// GET /cai-cach-hanh-chinh/{slug}: the page, and one view to record unless it is an archive view (?date=).
RouteAnswer ArticleRoute(const Clients& clients, const PageRequest& request, const Visitor& visitor);

}  // namespace cchc::portal
