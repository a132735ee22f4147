// The portal in a real browser (tests/browser/portal_browser.py: headless Chromium driven by Selenium under
// /usr/bin/python3) against the whole system, and its HTTP behaviour read plainly: security headers, no-store on
// the article, gzip, keep-alive, 304s, Vietnamese error pages, a sidebar whose service is down, views none lost.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "system/portal_fixture.h"

namespace cchc::testing {
namespace {

const std::string kArticle = std::string("/cai-cach-hanh-chinh/") + kSeedSlug;
// The sidebar's first document on 2018-06-19, 998/QĐ-SGDĐT, as the HTML holds it (mstch escapes '/').
const std::string kSidebarFirst = "998&#x2F;QĐ-SGDĐT";

int64_t StoredViews(SystemStack& stack) {
  nv1::GetArticleBySlugRequest req;
  req.set_slug(kSeedSlug);
  nv1::Article article;
  auto status = stack.News().GetArticleBySlug(SystemStack::Context(Tokens::kReader).get(), req, &article);
  if (!status.ok()) throw std::runtime_error("GetArticleBySlug: " + status.error_message());
  return article.view_count();
}

TEST_F(PortalTest, SeedPageAndCommentsInHeadlessChromium) {
  const std::string shots = std::string(CCHC_BUILD_DIR) + "/portal-screenshots";
  const std::string command = "/usr/bin/python3 '" + SourceDir() + "/tests/browser/portal_browser.py' --base " +
                              Base() + " --seed '" + SourceDir() + "/tests/data/seed_page.txt' --shots '" + shots +
                              "' --cchcctl \"" + CchcctlCommand(Tokens::kModerator) + "\" 2>&1";
  FILE* p = popen(command.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, p)) > 0;) out.append(buffer, n);
  int status = pclose(p);
  std::printf("%s", out.c_str());  // the screenshots' paths
  ASSERT_EQ(status, 0) << out << "\nportal log:\n" << portal_->Log();
  EXPECT_NE(out.find("browser checks passed"), std::string::npos) << out;
  EXPECT_NE(out.find("screenshot: " + shots + "/article-2018-06-19.png"), std::string::npos) << out;

  // Every non-archive page the browser asked for recorded its view, and the news service counted each: none lost.
  double recorded = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        recorded = MetricValue(PortalMetrics(), "cchc_portal_views_recorded_total");
        return recorded >= 1 && StoredViews(*stack_) == 552 + static_cast<int64_t>(recorded);
      },
      std::chrono::seconds(20)))
      << "recorded " << recorded << ", stored " << StoredViews(*stack_);
  EXPECT_EQ(MetricValue(PortalMetrics(), "cchc_portal_view_failures_total"), 0);
}

TEST_F(PortalTest, ArticleIsNeverCachedAndCarriesTheSecurityHeaders) {
  auto client = Http();
  auto res = client.Get((kArticle + "?date=2018-06-19").c_str(), {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(res->get_header_value("Content-Encoding"), "gzip");  // httplib's client inflated the body
  // What browsers send: gzip, never brotli (quality 11 in httplib: ~45× gzip's CPU per page; encoding.h).
  auto browser = client.Get((kArticle + "?date=2018-06-19").c_str(), {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(browser);
  EXPECT_EQ(browser->get_header_value("Content-Encoding"), "gzip");
  EXPECT_NE(res->body.find("Hôm nay, ngày 19 tháng 06 năm 2018"), std::string::npos);
  EXPECT_NE(res->body.find(kSidebarFirst), std::string::npos);
  EXPECT_EQ(res->get_header_value("ETag"), "");
  std::string csp = res->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->body.find("<script"), std::string::npos);
  // The form carries a token; a POST without a good one is refused and nothing is submitted.
  std::smatch token;
  ASSERT_TRUE(std::regex_search(res->body, token, std::regex("name=\"csrf\" value=\"([0-9]+\\.[0-9a-f]{64})\"")));
  auto forged = client.Post(kArticle.c_str(), "ten=X&email=x%40example.vn&noi-dung=gi%E1%BA%A3&csrf=1.00",
                            "application/x-www-form-urlencoded");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_NE(forged->body.find("Phiên gửi ý kiến đã hết hạn"), std::string::npos);
  // Keep-alive: the same connection answers again.
  client.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) {
    auto again = client.Get("/static/portal.css");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
  }
}

TEST_F(PortalTest, ConditionalGetsAnswer304) {
  auto client = Http();
  auto css = client.Get("/static/portal.css");
  ASSERT_TRUE(css);
  std::string etag = css->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = client.Get("/static/portal.css", {{"If-None-Match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  // The pages that count no views: a document list and a ranking carry validators and answer 304 to them, with
  // Cache-Control no-cache (revalidated on every visit), never no-store.
  for (const char* page : {"/van-ban?q=cai%20cach%20hanh%20chinh", "/chi-so-cai-cach-hanh-chinh/2015/tinh"}) {
    SCOPED_TRACE(page);
    auto first = client.Get(page);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    EXPECT_EQ(first->get_header_value("Cache-Control").find("no-store"), std::string::npos);
    const std::string page_etag = first->get_header_value("ETag");
    ASSERT_FALSE(page_etag.empty());
    auto revalidated = client.Get(page, {{"If-None-Match", page_etag}});
    ASSERT_TRUE(revalidated);
    EXPECT_EQ(revalidated->status, 304);
    EXPECT_TRUE(revalidated->body.empty());
    auto other = client.Get(page, {{"If-None-Match", "\"another\""}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
  }
  // HEAD is answered like GET, without a body.
  auto head = client.Head((kArticle + "?date=2018-06-19").c_str());
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
}

TEST_F(PortalTest, AttachmentsStreamThroughThePortalByIdOrFileName) {
  dv1::GetDocumentByCodeRequest by_code;
  by_code.set_code("998/QĐ-SGDĐT");
  dv1::Document doc;
  ASSERT_TRUE(stack_->Documents().GetDocumentByCode(SystemStack::Context(Tokens::kAdmin).get(), by_code, &doc).ok());
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "Dòng " + std::to_string(i) + " của tệp đính kèm.\n";  // ~0.5 MB
  const std::string file = stack_->Dir() + "/cong-bo-chi-so.txt";
  std::ofstream(file, std::ios::binary) << content;
  stack_->Cchcctl("document attach " + doc.name() + " '" + file + "'");
  ASSERT_TRUE(stack_->Documents()
                  .GetDocument(
                      SystemStack::Context(Tokens::kAdmin).get(),
                      [&] {
                        dv1::GetDocumentRequest r;
                        r.set_name(doc.name());
                        return r;
                      }(),
                      &doc)
                  .ok());
  ASSERT_EQ(doc.attachments_size(), 1);
  const std::string id = doc.name().substr(doc.name().find('/') + 1);
  const std::string attachment_id = doc.attachments(0).name().substr(doc.attachments(0).name().rfind('/') + 1);

  auto client = Http();
  for (const std::string& which : {std::string("cong-bo-chi-so.txt"), attachment_id}) {
    auto res = client.Get(("/van-ban/" + id + "/tep/" + which).c_str());
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << which;
    EXPECT_EQ(res->body, content) << which;
    EXPECT_EQ(res->get_header_value("Transfer-Encoding"), "chunked");
    EXPECT_NE(res->get_header_value("Content-Disposition").find("filename=\"cong-bo-chi-so.txt\""), std::string::npos);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  }
  auto missing = client.Get(("/van-ban/" + id + "/tep/khong-co.pdf").c_str());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto no_document = client.Get("/van-ban/khong-co/tep/x.pdf");
  ASSERT_TRUE(no_document);
  EXPECT_EQ(no_document->status, 404);
}

TEST_F(PortalTest, VietnameseErrorPages) {
  auto client = Http();
  auto missing = client.Get("/cai-cach-hanh-chinh/khong-co-bai-nay");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("Không tìm thấy"), std::string::npos);
  EXPECT_NE(missing->body.find("lang=\"vi\""), std::string::npos);
  auto bad_date = client.Get((kArticle + "?date=19/06/2018").c_str());
  ASSERT_TRUE(bad_date);
  EXPECT_EQ(bad_date->status, 400);
  EXPECT_NE(bad_date->body.find("Yêu cầu không hợp lệ"), std::string::npos);
  auto unknown = client.Get("/khong-co/%3Cscript%3E");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(unknown->body.find("<script>"), std::string::npos);
}

TEST_F(PortalTest, ASidebarWhoseServiceIsDownLeavesTheArticleAndANewsOutageIs503) {
  const double views_before = MetricValue(PortalMetrics(), "cchc_portal_views_recorded_total");
  stack_->Kill(Service::kDocument, SIGKILL);
  auto res = Http().Get((kArticle + "?date=2018-06-19").c_str());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("Ủy ban nhân dân tỉnh Sóc Trăng tổ chức Hội nghị"), std::string::npos);
  EXPECT_NE(res->body.find("unavailable"), std::string::npos);
  EXPECT_EQ(res->body.find(kSidebarFirst), std::string::npos);
  EXPECT_EQ(res->body.find("SGDĐT"), std::string::npos);
  stack_->Start(Service::kDocument);
  // The portal's channel reconnects on its own (gRPC's backoff): the sidebar comes back without a restart.
  ASSERT_TRUE(WaitFor(
      [&] {
        auto back = Http().Get((kArticle + "?date=2018-06-19").c_str());
        return back && back->body.find(kSidebarFirst) != std::string::npos;
      },
      std::chrono::seconds(30)))
      << portal_->Log().substr(portal_->Log().size() > 3000 ? portal_->Log().size() - 3000 : 0);

  stack_->Kill(Service::kNews, SIGKILL);
  auto down = Http().Get((kArticle + "?date=2018-06-19").c_str());
  ASSERT_TRUE(down);
  EXPECT_EQ(down->status, 503);
  EXPECT_NE(down->body.find("Dịch vụ tạm thời gián đoạn"), std::string::npos);
  EXPECT_NE(down->body.find(kSidebarFirst), std::string::npos);  // the sidebar still stands
  stack_->Start(Service::kNews);
  EXPECT_EQ(MetricValue(PortalMetrics(), "cchc_portal_views_recorded_total"), views_before);  // archive views only
}

}  // namespace
}  // namespace cchc::testing
