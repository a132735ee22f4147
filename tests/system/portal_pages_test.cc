// The portal's document and PAR INDEX pages against the real services: the document and scoring services as
// processes over PostgreSQL and the embedded broker (the scoring suite's fixture), the demo data loaded with
// cchcctl as `tools/dev up` loads it, and the four page functions called as the portal calls them (a reader's
// token, a deadline, a trace). A stopped service gives 503.
#include <signal.h>

#include <regex>

#include "pages/pages.h"
#include "scoring_fixture.h"

namespace cchc::testing {
namespace {

namespace dv1 = document::v1;
using portal::PageContent;
using portal::PageRequest;

// mstch writes "/" as "&#x2F;" (the same character to a browser); read back as "/".
std::string Readable(std::string html) {
  for (size_t at = html.find("&#x2F;"); at != std::string::npos; at = html.find("&#x2F;", at)) html.replace(at, 6, "/");
  return html;
}

size_t Occurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

class PortalPagesTest : public ScoringServiceTest {
 protected:
  static void SetUpTestSuite() {
    ScoringServiceTest::SetUpTestSuite();
    const std::string cchcctl = BinaryPath("cchcctl") + " --token " + kAdmin;
    Shell(cchcctl + " --address " + document_->Address() + " document import '" + SourceDir() +
          "/tools/demo/documents.json'");
    Shell(cchcctl + " scoring import-demo '" + SourceDir() + "/tools/demo/scoring' --scoring-address " +
          scoring_address_);
  }

  static portal::Clients Clients() {
    portal::Clients c;
    c.documents =
        dv1::DocumentService::NewStub(grpc::CreateChannel(document_->Address(), grpc::InsecureChannelCredentials()));
    c.scoring =
        scoring::v1::ScoringService::NewStub(grpc::CreateChannel(scoring_address_, grpc::InsecureChannelCredentials()));
    c.token = kReader;
    c.deadline = std::chrono::milliseconds(3000);
    return c;
  }

  static PageRequest Request(std::map<std::string, std::string> path, std::map<std::string, std::string> query = {}) {
    PageRequest r;
    r.path = std::move(path);
    r.query = std::move(query);
    r.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    return r;
  }

  // The id of 96/KH-SGDĐT as the search page links it.
  static std::string PlanId() {
    PageContent page = portal::DocumentListPage(Clients(), Request({}, {{"q", "cai cach hanh chinh"}}));
    std::smatch m;
    std::string html = Readable(page.main_html);
    if (!std::regex_search(html, m, std::regex(R"re(<a href="/van-ban/([0-9a-f-]{36})">96/KH-SGDĐT</a>)re"))) return "";
    return m[1].str();
  }
};

TEST_F(PortalPagesTest, SearchListsTheCchcPlanAndFiltersNarrowTheList) {
  PageContent page = portal::DocumentListPage(Clients(), Request({}, {{"q", "cai cach hanh chinh"}}));
  ASSERT_EQ(page.status, 200) << page.message;
  std::string html = Readable(page.main_html);
  EXPECT_NE(html.find(">96/KH-SGDĐT</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("16/01/2018"), std::string::npos);
  EXPECT_NE(html.find("value=\"cai cach hanh chinh\""), std::string::npos);
  EXPECT_FALSE(page.etag_source.empty());
  EXPECT_FALSE(page.last_modified_rfc1123.empty());
  // The same search asked twice answers the same validators (a 304 for the layer).
  PageContent again = portal::DocumentListPage(Clients(), Request({}, {{"q", "cai cach hanh chinh"}}));
  EXPECT_EQ(again.etag_source, page.etag_source);

  // The plain list, filtered by year: every row issued that year.
  PageContent y2018 = portal::DocumentListPage(Clients(), Request({}, {{"year", "2018"}}));
  ASSERT_EQ(y2018.status, 200) << y2018.message;
  std::string list = Readable(y2018.main_html);
  EXPECT_NE(list.find(">96/KH-SGDĐT</a>"), std::string::npos);
  std::regex date(R"re(<time datetime="(\d{4})-\d\d-\d\d">)re");
  int rows = 0;
  for (std::sregex_iterator it(list.begin(), list.end(), date), end; it != end; ++it, ++rows)
    EXPECT_EQ((*it)[1].str(), "2018");
  EXPECT_GT(rows, 0);
  PageContent y2010 = portal::DocumentListPage(Clients(), Request({}, {{"year", "2010"}}));
  EXPECT_NE(y2010.main_html.find("Không có văn bản nào phù hợp."), std::string::npos);

  // Pages by token: 26 demo documents, 20 a page; the second page has the rest and no further link.
  PageContent first = portal::DocumentListPage(Clients(), Request({}));
  ASSERT_EQ(first.status, 200) << first.message;
  std::string first_html = Readable(first.main_html);
  EXPECT_EQ(Occurrences(first_html, "<tr><td class=\"code\">"), 20u);
  std::smatch next;
  ASSERT_TRUE(std::regex_search(first_html, next, std::regex(R"re(rel="next" href="/van-ban\?page_token=([^"]+)")re")));
  std::string token = next[1].str();
  for (size_t at = token.find('%'); at != std::string::npos; at = token.find('%', at + 1))
    token.replace(at, 3, std::string(1, static_cast<char>(std::stoi(token.substr(at + 1, 2), nullptr, 16))));
  PageContent second = portal::DocumentListPage(Clients(), Request({}, {{"page_token", token}}));
  ASSERT_EQ(second.status, 200) << second.message;
  EXPECT_EQ(Occurrences(second.main_html, "<tr><td class=\"code\">"), 6u);
  EXPECT_EQ(second.main_html.find("rel=\"next\""), std::string::npos);
}

TEST_F(PortalPagesTest, DocumentPageShowsMetadataLinksAndAttachments) {
  const std::string plan = PlanId();
  ASSERT_FALSE(plan.empty());
  // A document that cites the plan and replaces a code nobody knows, with an attachment.
  dv1::CreateDocumentRequest create;
  auto* d = create.mutable_document();
  d->set_code("120/KH-SGDĐT");
  d->set_issue_date("2018-03-01");
  d->set_effective_date("2018-03-01");
  d->set_subject("Triển khai <kế hoạch> cải cách hành chính năm 2018 & các năm sau");
  d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d->add_fields("Cải cách hành chính");
  d->add_related_codes("96/KH-SGDĐT");
  d->add_replaces_codes("5/KH-SGDĐT");
  d->mutable_signer()->set_name("Trần Văn B");
  d->mutable_signer()->set_authority("KT.");
  d->mutable_signer()->set_position("Phó Giám đốc");
  dv1::Document created, published;
  auto s = Documents().CreateDocument(Context(kAdmin).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  dv1::PublishDocumentRequest publish;
  publish.set_name(created.name());
  s = Documents().PublishDocument(Context(kAdmin).get(), publish, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::string content = "%PDF-1.4\nKế hoạch\n";
  dv1::Attachment stored;
  auto ctx = Context(kAdmin);
  auto writer = Documents().UploadAttachment(ctx.get(), &stored);
  dv1::UploadAttachmentRequest header;
  header.mutable_header()->set_document(created.name());
  header.mutable_header()->set_file_name("ke-hoach-120.pdf");
  header.mutable_header()->set_media_type("application/pdf");
  header.mutable_header()->set_size_bytes(static_cast<int64_t>(content.size()));
  ASSERT_TRUE(writer->Write(header));
  dv1::UploadAttachmentRequest chunk;
  chunk.set_chunk(content);
  ASSERT_TRUE(writer->Write(chunk));
  writer->WritesDone();
  s = writer->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();

  const std::string id = created.name().substr(std::string("documents/").size());
  PageContent page = portal::DocumentPage(Clients(), Request({{"id", id}}));
  ASSERT_EQ(page.status, 200) << page.message;
  std::string html = Readable(page.main_html);
  EXPECT_EQ(page.title, "120/KH-SGDĐT: Triển khai <kế hoạch> cải cách hành chính năm 2018 & các năm sau");
  EXPECT_NE(html.find("Triển khai &lt;kế hoạch&gt; cải cách hành chính năm 2018 &amp; các năm sau"), std::string::npos)
      << html;
  EXPECT_EQ(html.find("<kế hoạch>"), std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2018-03-01\">01/03/2018</time>"), std::string::npos);
  EXPECT_NE(html.find("Còn hiệu lực"), std::string::npos);
  EXPECT_NE(html.find("Trần Văn B (KT. Phó Giám đốc)"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/van-ban/" + plan + "\">96/KH-SGDĐT</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>5/KH-SGDĐT</li>"), std::string::npos);  // not known: text, no link
  std::string attachment_id = stored.name().substr(stored.name().rfind('/') + 1);
  EXPECT_NE(html.find("<a href=\"/van-ban/" + id + "/tep/" + attachment_id + "\">ke-hoach-120.pdf</a>"),
            std::string::npos)
      << html;
  EXPECT_FALSE(page.last_modified_rfc1123.empty());
  EXPECT_FALSE(page.etag_source.empty());
}

TEST_F(PortalPagesTest, UnknownIdsAndBadParametersAreRefused) {
  EXPECT_EQ(portal::DocumentPage(Clients(), Request({{"id", "00000000-0000-4000-8000-000000000000"}})).status, 404);
  EXPECT_EQ(portal::DocumentPage(Clients(), Request({{"id", "not-a-document"}})).status, 404);
  PageContent bad_year = portal::DocumentListPage(Clients(), Request({}, {{"year", "hai nghìn"}}));
  EXPECT_EQ(bad_year.status, 400);
  EXPECT_NE(bad_year.message.find("year"), std::string::npos);
  PageContent forged = portal::DocumentListPage(Clients(), Request({}, {{"page_token", "forged"}}));
  EXPECT_EQ(forged.status, 400) << forged.message;
  EXPECT_EQ(portal::RankingPage(Clients(), Request({{"year", "2015"}, {"kind", "xa"}})).status, 404);
  EXPECT_EQ(portal::RankingPage(Clients(), Request({{"year", "15"}, {"kind", "tinh"}})).status, 400);
  EXPECT_EQ(portal::RankingPage(Clients(), Request({{"year", "1999"}, {"kind", "tinh"}})).status, 400);
  PageContent no_year = portal::RankingPage(Clients(), Request({{"year", "2005"}, {"kind", "tinh"}}));
  EXPECT_EQ(no_year.status, 404);
  EXPECT_NE(no_year.message.find("2005"), std::string::npos);
  EXPECT_EQ(portal::UnitPage(Clients(), Request({{"code", "NOWHERE"}})).status, 404);
  EXPECT_EQ(portal::UnitPage(Clients(), Request({{"code", "../x"}})).status, 404);
}

TEST_F(PortalPagesTest, The2015ProvinceRankingHas63BarsAndSocTrang27th) {
  PageContent page = portal::RankingPage(Clients(), Request({{"year", "2015"}, {"kind", "tinh"}}));
  ASSERT_EQ(page.status, 200) << page.message;
  std::string html = Readable(page.main_html);
  EXPECT_EQ(Occurrences(html, "<rect class=\"bar\""), 63u);
  EXPECT_EQ(Occurrences(html, "<tr><td class=\"rank\">"), 63u);
  EXPECT_NE(html.find("<tr><td class=\"rank\">27</td><th scope=\"row\" class=\"unit\"><a "
                      "href=\"/chi-so-cai-cach-hanh-chinh/don-vi/SOC_TRANG\">Sóc Trăng</a></th><td "
                      "class=\"total\">86,15</td><td class=\"total-change\">+4,43</td><td "
                      "class=\"previous-rank\">33</td><td class=\"rank-change up\"><span title=\"tăng 6 bậc\">▲6"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<title>Sóc Trăng: 86,15 điểm, hạng 27/63</title>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"average\">85,11</span>"), std::string::npos);
  EXPECT_FALSE(page.etag_source.empty());

  PageContent departments = portal::RankingPage(Clients(), Request({{"year", "2015"}, {"kind", "so-nganh"}}));
  ASSERT_EQ(departments.status, 200) << departments.message;
  EXPECT_NE(Readable(departments.main_html).find("14/22 sở, ban, ngành tăng điểm so với năm 2014"), std::string::npos);
  EXPECT_NE(departments.main_html.find("▲9"), std::string::npos);
  EXPECT_NE(departments.main_html.find("▼"), std::string::npos);  // 8/22 fell
  EXPECT_EQ(Occurrences(departments.main_html, "<rect class=\"bar\""), 22u);
}

TEST_F(PortalPagesTest, UnitPageShowsPointsAndRankAcrossYears) {
  PageContent page = portal::UnitPage(Clients(), Request({{"code", "SOC_TRANG"}}));
  ASSERT_EQ(page.status, 200) << page.message;
  std::string html = Readable(page.main_html);
  EXPECT_EQ(page.title, "Chỉ số cải cách hành chính: Sóc Trăng");
  EXPECT_EQ(Occurrences(html, "<svg "), 2u);
  EXPECT_EQ(Occurrences(html, "<circle class=\"point\""), 4u);  // 2014 and 2015, points and rank
  EXPECT_NE(html.find("<title>2014: 81,72 điểm</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("<title>2015: hạng 27/63</title>"), std::string::npos);
  EXPECT_LT(html.find(">2014</a>"), html.find(">2015</a>"));
}

// Last: it stops the services (and starts them again for whatever runs after).
TEST_F(PortalPagesTest, AStoppedServiceGives503) {
  StopDocument();
  PageContent list = portal::DocumentListPage(Clients(), Request({}, {{"q", "cai cach hanh chinh"}}));
  EXPECT_EQ(list.status, 503);
  EXPECT_NE(list.message.find("tạm thời không truy cập được"), std::string::npos) << list.message;
  EXPECT_EQ(portal::DocumentPage(Clients(), Request({{"id", "00000000-0000-4000-8000-000000000000"}})).status, 503);
  StartDocument();

  scoring_->Signal(SIGKILL);
  scoring_->Wait(std::chrono::seconds(30));
  scoring_.reset();
  EXPECT_EQ(portal::RankingPage(Clients(), Request({{"year", "2015"}, {"kind", "tinh"}})).status, 503);
  EXPECT_EQ(portal::UnitPage(Clients(), Request({{"code", "SOC_TRANG"}})).status, 503);
  StartScoring();
  EXPECT_EQ(portal::RankingPage(Clients(), Request({{"year", "2015"}, {"kind", "tinh"}})).status, 200);
}

}  // namespace
}  // namespace cchc::testing
