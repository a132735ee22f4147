#include "portal_page.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cchc::cchcctl {
namespace {

using namespace std::chrono;
namespace news_v1 = cchc::news::v1;
namespace document_v1 = cchc::document::v1;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

template <typename Message>
std::vector<Message> ReadJsonArray(const std::string& path) {
  std::vector<Message> out;
  for (const auto& entry : nlohmann::json::parse(ReadFile(path))) {
    Message m;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // documents.json carries the issuer's name for the importer
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(entry.dump(), &m, options).ok()) << entry.dump();
    out.push_back(std::move(m));
  }
  return out;
}

TEST(VietnameseToday, WritesDayAndMonthWithTwoDigits) {
  EXPECT_EQ(VietnameseToday(2018y / 6 / 19), "Hôm nay, ngày 19 tháng 06 năm 2018");
  EXPECT_EQ(VietnameseToday(2026y / 1 / 5), "Hôm nay, ngày 05 tháng 01 năm 2026");
}

news_v1::Article SmallArticle() {
  news_v1::Article a;
  a.set_title("Tiêu đề");
  a.set_view_count(7);
  a.mutable_publish_time()->set_seconds(1481043600);  // 2016-12-06T17:00:00Z: 07/12/2016 in Việt Nam
  a.set_lead("Mở đầu");
  a.set_body("Một\n\nHai\n\nBa");
  a.set_author("Tác giả A");
  a.set_source("TCCB");
  a.mutable_cover_image()->set_caption("Ảnh");
  a.mutable_cover_image()->set_after_paragraph(1);
  return a;
}

TEST(RenderArticle, PutsThePhotoCaptionWhereThePhotoStands) {
  const std::string nbsp = "\u00a0", indent = "\u00a0 \u00a0 \u00a0 ";
  EXPECT_EQ(RenderArticle(SmallArticle(), {}), "Tiêu đề\n" + nbsp + "7\n" + nbsp +
                                                   "07/12/2016\nTiêu đề\n\nTiêu đề\n\nMở đầu\n\n" + indent +
                                                   "Một\n\n\nẢnh\n\n" + indent + "Hai\n" + indent +
                                                   "Ba\n\nTác giả: Tác giả A\nNguồn: TCCB\n\n"
                                                   "Ý kiến bạn đọc\n");
}

TEST(RenderArticle, ACaptionAtTheTopOrBeyondTheBodyGoesAboveIt) {
  auto a = SmallArticle();
  a.mutable_cover_image()->set_after_paragraph(0);
  std::string top = RenderArticle(a, {});
  EXPECT_NE(top.find("Mở đầu\n\nẢnh\n\n\u00a0 \u00a0 \u00a0 Một\n"), std::string::npos) << top;
  a.mutable_cover_image()->set_after_paragraph(9);
  EXPECT_EQ(RenderArticle(a, {}), top);
  a.mutable_cover_image()->set_after_paragraph(3);
  EXPECT_NE(RenderArticle(a, {}).find("Ba\n\n\nẢnh\n\nTác giả"), std::string::npos);
}

TEST(RenderArticle, ListsApprovedCommentsWithTheirDay) {
  news_v1::Comment c;
  c.set_author_name("Nguyễn Văn A");
  c.set_content("Rất hay");
  c.mutable_create_time()->set_seconds(1529366400);  // 2018-06-19T00:00:00Z
  std::string out = RenderArticle(SmallArticle(), {c});
  EXPECT_TRUE(out.ends_with("Ý kiến bạn đọc\n\nNguyễn Văn A (19/06/2018)\nRất hay\n")) << out;
}

TEST(RenderPortalPage, CutsLongSubjectsAtAWordWithEllipsis) {
  PortalPage page;
  page.today = 2018y / 6 / 19;
  page.article = SmallArticle();
  page.article.set_category("Cải cách hành chính");
  page.sidebar_field = "Cải cách hành chính";
  document_v1::Document d;
  d.set_code("1/KH-SGDĐT");
  d.set_issue_date("2018-01-02");
  d.set_subject(std::string(95, 'a') + " bbbbb ccc");  // 105 characters: the cut falls inside "bbbbb"
  page.sidebar_documents = {d};
  std::string out = RenderPortalPage(page);
  EXPECT_TRUE(out.ends_with("\nVăn bản Cải cách hành chính\n\u00a01/KH-SGDĐT\n02/01/2018\n\n" + std::string(95, 'a') +
                            " ...\n"))
      << out;
  EXPECT_TRUE(out.starts_with("Hôm nay, ngày 19 tháng 06 năm 2018\nCải cách hành chính\nTiêu đề\n")) << out;
}

// The seed page, rebuilt from the demo data the local stack loads: the renderer reproduces it byte for byte
// (the page file has no final newline; the command ends its output with one).
TEST(RenderPortalPage, RebuildsTheSeedPageFromTheDemoData) {
  const std::string root = CCHC_SOURCE_DIR;
  PortalPage page;
  page.today = 2018y / 6 / 19;
  auto years = ReadJsonArray<news_v1::SchoolYear>(root + "/tools/demo/school_years.json");
  ASSERT_EQ(years.size(), 1u);
  page.school_year_theme = years[0].theme();
  auto articles = ReadJsonArray<news_v1::Article>(root + "/tools/demo/articles.json");
  ASSERT_FALSE(articles.empty());
  page.article = articles[0];
  page.sidebar_field = "Cải cách hành chính";
  page.sidebar_documents = ReadJsonArray<document_v1::Document>(root + "/tools/demo/documents.json");
  EXPECT_EQ(RenderPortalPage(page), ReadFile(root + "/tests/data/seed_page.txt") + "\n");
}

}  // namespace
}  // namespace cchc::cchcctl
