// Rendering without a network: every untrusted field (a reader's comment and name, an article's title, lead,
// body, author, source and category, a document's code and trích yếu, a school year's theme, what a reader
// typed into the form or the address bar) reaches the HTML escaped; the article's blocks are in their places.
#include <gtest/gtest.h>

#include "article_page.h"
#include "layout.h"

namespace cchc::portal {
namespace {

const std::string kScript = "<script>alert(\"x\")</script>";

bool HasRawScript(const std::string& html) {
  return html.find("<script") != std::string::npos;
}

ArticleView Hostile() {
  ArticleView v;
  auto& a = v.article;
  a.set_name("articles/1");
  a.set_title("Tiêu đề " + kScript);
  a.set_lead("Sapo " + kScript);
  a.set_body("Đoạn một " + kScript + "\n\nĐoạn hai <img src=x onerror=alert(1)>\n\nĐoạn ba");
  a.set_author("Tác giả " + kScript);
  a.set_source("Nguồn " + kScript);
  a.set_category("Chuyên mục " + kScript);
  a.set_view_count(552);
  a.set_comments_enabled(true);
  a.mutable_cover_image()->set_caption("Chú thích " + kScript);
  a.mutable_cover_image()->set_uri("\" onerror=\"alert(1)");
  a.mutable_cover_image()->set_after_paragraph(2);
  a.mutable_publish_time()->set_seconds(1481043600);  // 2016-12-06 17:00 UTC = 07/12/2016 in Vietnam
  news::v1::Comment c;
  c.set_author_name("Bạn đọc " + kScript);
  c.set_content("Ý kiến " + kScript + " & 'nháy'");
  c.mutable_create_time()->set_seconds(1529377200);
  v.comments.push_back(c);
  v.form = {"/cai-cach-hanh-chinh/x#y-kien", "tok\"en", "Tên \"><script>", "a@b.vn\"",
            "</textarea>" + kScript,         "",        "Lỗi " + kScript};
  return v;
}

LayoutParts HostileLayout() {
  LayoutParts parts;
  parts.day = {std::chrono::year{2018} / 6 / 19, true};
  parts.theme = "Chủ đề " + kScript;
  parts.sidebar.field = "Cải cách " + kScript;
  document::v1::Document d;
  d.set_name("documents/9");
  d.set_code("998/QĐ-SGDĐT" + kScript);
  d.set_issue_date("2018-06-07");
  d.set_subject("Công bố " + kScript);
  parts.sidebar.documents.push_back(d);
  return parts;
}

TEST(Rendering, EscapesEveryUntrustedFieldOfTheArticlePage) {
  std::string html = RenderLayout(HostileLayout(), ArticleContent(Hostile()));
  EXPECT_FALSE(HasRawScript(html)) << html;
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_EQ(html.find("\" onerror=\"alert(1)"), std::string::npos);  // not out of the src attribute
  // The reader's text stays inside the textarea: the template's own closing tag is the only one.
  EXPECT_EQ(html.find("</textarea>"), html.rfind("</textarea>"));
  EXPECT_NE(html.find("&lt;&#x2F;textarea&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  for (const char* shown : {"Tiêu đề &lt;script&gt;", "Bạn đọc &lt;script&gt;", "Chủ đề &lt;script&gt;",
                            "Công bố &lt;script&gt;", "Chuyên mục &lt;script&gt;", "Lỗi &lt;script&gt;",
                            "Chú thích &lt;script&gt;", "Tác giả: Tác giả &lt;script&gt;", "&amp;"})
    EXPECT_NE(html.find(shown), std::string::npos) << shown;
}

TEST(Rendering, EscapesWhatTheReaderTypedIntoTheAddressBar) {
  // A 404 page names the path; a page of the documents shows the search terms the same way (through {{ }}).
  std::string html = RenderLayout(HostileLayout(), ErrorPage(404, "Không tìm thấy trang /" + kScript + "."));
  EXPECT_FALSE(HasRawScript(html)) << html;
  EXPECT_NE(html.find("Không tìm thấy trang &#x2F;&lt;script&gt;"), std::string::npos) << html;
}

TEST(Rendering, ArticleBlocksStandWhereTheSeedHasThem) {
  ArticleView v;
  v.article.set_title("Hội nghị");
  v.article.set_view_count(552);
  v.article.set_body("Một\n\nHai\n\nBa");
  v.article.set_author("Dương Thanh Bình");
  v.article.set_source("TCCB");
  v.article.mutable_cover_image()->set_caption("Ảnh hội nghị");
  v.article.mutable_cover_image()->set_after_paragraph(2);
  v.article.mutable_publish_time()->set_seconds(1481043600);
  std::string html = RenderArticleMain(v);
  auto at = [&](const std::string& s) { return html.find(s); };
  EXPECT_LT(at("552"), at("07/12/2016"));
  EXPECT_LT(at("<p>Hai</p>"), at("Ảnh hội nghị"));
  EXPECT_LT(at("Ảnh hội nghị"), at("<p>Ba</p>"));
  EXPECT_LT(at("<p>Ba</p>"), at("Tác giả: Dương Thanh Bình"));
  EXPECT_LT(at("Nguồn: TCCB"), at("Ý kiến bạn đọc"));
  EXPECT_EQ(at("<form"), std::string::npos);  // comments closed: no form
  EXPECT_NE(at("không nhận ý kiến"), std::string::npos);
}

TEST(Rendering, TheLayoutSaysWhenTheSidebarIsUnavailable) {
  LayoutParts parts;
  parts.day = {std::chrono::year{2018} / 6 / 19, false};
  parts.sidebar.available = false;
  parts.sidebar.field = "Cải cách hành chính";
  ArticleView v;
  v.article.set_title("Bài viết vẫn hiển thị");
  std::string html = RenderLayout(parts, ArticleContent(v));
  EXPECT_NE(html.find("Bài viết vẫn hiển thị"), std::string::npos);
  EXPECT_NE(html.find("unavailable"), std::string::npos);
  EXPECT_NE(html.find("Hôm nay, ngày 19 tháng 06 năm 2018"), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"vi\">"), std::string::npos);
}

TEST(Paragraphs, BlankLinesSeparateThem) {
  EXPECT_EQ(Paragraphs("a\n\nb\n\n\nc"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(Paragraphs("").empty());
}

}  // namespace
}  // namespace cchc::portal
