#include "pages/document_views.h"

#include <gtest/gtest.h>

#include "page_test_support.h"
#include "pages/document_query.h"

namespace cchc::portal::pages {
namespace {

using test_support::Readable;

namespace dv1 = cchc::document::v1;

constexpr const char* kAttack = "<script>alert('x')</script>\"'&";
constexpr const char* kEscaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;&#x2F;script&gt;&quot;&#39;&amp;";

dv1::Document Sample() {
  dv1::Document d;
  d.set_name("documents/0b9e4c1e-1c2d-4f5a-9b8c-7d6e5f4a3b2c");
  d.set_code("96/KH-SGDĐT");
  d.set_type_name("Kế hoạch");
  d.set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d.set_issue_date("2016-01-20");
  d.set_effective_date("2016-01-20");
  d.set_subject("Kế hoạch cải cách hành chính năm 2016");
  d.set_body("Dòng một\n\nDòng hai");
  d.add_fields("Cải cách hành chính");
  d.mutable_signer()->set_name("Nguyễn Văn A");
  d.mutable_signer()->set_authority("KT.");
  d.mutable_signer()->set_position("Phó Giám đốc");
  d.set_status(dv1::PUBLISHED);
  d.mutable_update_time()->set_seconds(1529377200);
  auto* a = d.add_attachments();
  a->set_name("documents/0b9e4c1e-1c2d-4f5a-9b8c-7d6e5f4a3b2c/attachments/11111111-2222-3333-4444-555555555555");
  a->set_file_name("ke-hoach.pdf");
  a->set_media_type("application/pdf");
  a->set_size_bytes(1536);
  return d;
}

TEST(DocumentListView, ListsEachDocumentWithItsLinkCodeDateAndSubject) {
  google::protobuf::RepeatedPtrField<dv1::Document> docs;
  *docs.Add() = Sample();
  DocumentQuery q;
  q.q = "cai cach hanh chinh";
  PageContent page = DocumentListView(q, docs, "NEXT/TOKEN+=");
  EXPECT_EQ(page.status, 200);
  std::string html = Readable(page.main_html);
  EXPECT_NE(html.find("<a href=\"/van-ban/0b9e4c1e-1c2d-4f5a-9b8c-7d6e5f4a3b2c\">96/KH-SGDĐT</a>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("20/01/2016"), std::string::npos);
  EXPECT_NE(html.find("Kế hoạch cải cách hành chính năm 2016"), std::string::npos);
  EXPECT_NE(html.find("value=\"cai cach hanh chinh\""), std::string::npos);
  // The next page keeps the search, its token percent-encoded (then HTML-escaped: & and / in the attribute).
  EXPECT_NE(html.find("href=\"/van-ban?q=cai%20cach%20hanh%20chinh&amp;page_token=NEXT%2FTOKEN%2B%3D\""),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_FALSE(page.etag_source.empty());
  EXPECT_EQ(page.last_modified_rfc1123, "Tue, 19 Jun 2018 03:00:00 GMT");
  EXPECT_EQ(page.title, "Tìm kiếm văn bản: cai cach hanh chinh");
}

TEST(DocumentListView, EscapesTheSearchTermsEchoedInTheFormAndEveryDocumentField) {
  google::protobuf::RepeatedPtrField<dv1::Document> docs;
  dv1::Document d = Sample();
  d.set_code(kAttack);
  d.set_subject(kAttack);
  d.set_issuer_name(kAttack);
  *docs.Add() = d;
  DocumentQuery q;
  q.q = kAttack;
  q.field = kAttack;
  q.type = kAttack;
  q.issuer = kAttack;
  PageContent page = DocumentListView(q, docs, "");
  std::string html = page.main_html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("alert('x')"), std::string::npos);
  EXPECT_EQ(html.find("\"'&<"), std::string::npos);
  // 4 form values + the results heading + code, subject, issuer of the row.
  size_t n = 0;
  for (size_t at = html.find(kEscaped); at != std::string::npos; at = html.find(kEscaped, at + 1)) ++n;
  EXPECT_EQ(n, 8u) << html;
  EXPECT_EQ(html.find("rel=\"next\""), std::string::npos);  // no next page
}

TEST(DocumentListView, KeepsTheChosenValidityAndSaysWhenNothingMatches) {
  DocumentQuery q;
  q.validity = "het-hieu-luc";
  q.year = "2016";
  PageContent page = DocumentListView(q, {}, "");
  EXPECT_NE(page.main_html.find("<option value=\"het-hieu-luc\" selected>"), std::string::npos) << page.main_html;
  EXPECT_NE(page.main_html.find("value=\"2016\""), std::string::npos);
  EXPECT_NE(page.main_html.find("Không có văn bản nào phù hợp."), std::string::npos);
  EXPECT_EQ(page.title, "Văn bản");
}

TEST(DocumentQuery, ParsesFiltersIntoTheServiceRequest) {
  PageRequest r;
  r.query = {{"q", " cai cach "}, {"field", "Cải cách hành chính"}, {"type", "KH"},       {"issuer", "SGDĐT"},
             {"year", "2016"},    {"validity", "con-hieu-luc"},     {"page_token", "abc"}};
  std::string error;
  auto q = ParseDocumentQuery(r, &error);
  ASSERT_TRUE(q) << error;
  auto search = SearchRequestOf(*q);
  EXPECT_EQ(search.query(), "cai cach");
  EXPECT_EQ(search.filter().field(), "Cải cách hành chính");
  EXPECT_EQ(search.filter().type_abbreviation(), "KH");
  EXPECT_EQ(search.filter().issuer_code(), "SGDĐT");
  EXPECT_EQ(search.filter().issue_date_from(), "2016-01-01");
  EXPECT_EQ(search.filter().issue_date_to(), "2016-12-31");
  EXPECT_EQ(search.filter().validity(), dv1::IN_FORCE);
  EXPECT_EQ(search.page_token(), "abc");
  EXPECT_EQ(ListRequestOf(*q).page_size(), kDocumentsPerPage);
}

TEST(DocumentQuery, RefusesBadParametersNamingThem) {
  auto refused = [](std::map<std::string, std::string> query) {
    PageRequest r;
    r.query = std::move(query);
    std::string error;
    EXPECT_FALSE(ParseDocumentQuery(r, &error));
    return error;
  };
  EXPECT_NE(refused({{"year", "20x6"}}).find("year"), std::string::npos);
  EXPECT_NE(refused({{"year", "1800"}}).find("year"), std::string::npos);
  EXPECT_NE(refused({{"validity", "maybe"}}).find("validity"), std::string::npos);
  EXPECT_NE(refused({{"q", std::string(201, 'a')}}).find("(q)"), std::string::npos);
  EXPECT_NE(refused({{"q", "\xff\xfe"}}).find("(q)"), std::string::npos);
  EXPECT_NE(refused({{"field", "a\x01"}}).find("field"), std::string::npos);
  EXPECT_NE(refused({{"page_token", std::string(2000, 'a')}}).find("page_token"), std::string::npos);
}

TEST(DocumentView, ShowsMetadataValidityLinksAndAttachments) {
  PageContent page =
      DocumentView(Sample(), {{"998/QĐ-SGDĐT", "abc-id"}, {"1/UNKNOWN", ""}}, {{"12/KH-SGDĐT", "old"}}, "2018-06-19");
  std::string html = Readable(page.main_html);
  EXPECT_EQ(page.title, "96/KH-SGDĐT: Kế hoạch cải cách hành chính năm 2016");
  EXPECT_NE(html.find("<time datetime=\"2016-01-20\">20/01/2016</time>"), std::string::npos) << html;
  EXPECT_NE(html.find("Còn hiệu lực"), std::string::npos);
  EXPECT_NE(html.find("Nguyễn Văn A (KT. Phó Giám đốc)"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/van-ban/abc-id\">998/QĐ-SGDĐT</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("<li>1/UNKNOWN</li>"), std::string::npos);
  EXPECT_NE(html.find("Văn bản được thay thế"), std::string::npos);
  EXPECT_NE(html.find("/van-ban/0b9e4c1e-1c2d-4f5a-9b8c-7d6e5f4a3b2c/tep/"
                      "11111111-2222-3333-4444-555555555555\">ke-hoach.pdf</a> (1,5 KB, application/pdf)"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<p>Dòng một</p>"), std::string::npos);
  EXPECT_NE(html.find("<p>Dòng hai</p>"), std::string::npos);
  EXPECT_EQ(page.last_modified_rfc1123, "Tue, 19 Jun 2018 03:00:00 GMT");
  ASSERT_EQ(page.breadcrumb.size(), 2u);
  EXPECT_EQ(page.breadcrumb[0].second, "/van-ban");
}

TEST(DocumentView, ValidityOnTheRequestsDay) {
  dv1::Document d = Sample();
  d.set_effective_date("2016-02-01");
  d.set_expiry_date("2016-12-31");
  EXPECT_EQ(ValidityText(d, "2016-01-31"), "Chưa có hiệu lực");
  EXPECT_EQ(ValidityText(d, "2016-02-01"), "Còn hiệu lực");
  EXPECT_EQ(ValidityText(d, "2016-12-31"), "Còn hiệu lực");
  EXPECT_EQ(ValidityText(d, "2017-01-01"), "Hết hiệu lực");
  d.set_status(dv1::WITHDRAWN);
  EXPECT_EQ(ValidityText(d, "2016-06-01"), "Đã thu hồi");
}

TEST(DocumentView, EscapesEveryUntrustedField) {
  dv1::Document d = Sample();
  for (auto* s : {d.mutable_code(), d.mutable_subject(), d.mutable_issuer_name(), d.mutable_type_name(),
                  d.mutable_drafting_unit(), d.mutable_body()})
    *s = kAttack;
  d.mutable_signer()->set_name(kAttack);
  d.set_fields(0, kAttack);
  d.mutable_attachments(0)->set_file_name(kAttack);
  d.mutable_attachments(0)->set_media_type(kAttack);
  PageContent page = DocumentView(d, {{kAttack, "id"}}, {{kAttack, ""}}, "2018-06-19");
  EXPECT_EQ(page.main_html.find("<script"), std::string::npos) << page.main_html;
  EXPECT_EQ(page.main_html.find("alert('x')"), std::string::npos);
  EXPECT_NE(page.main_html.find(kEscaped), std::string::npos);
}

}  // namespace
}  // namespace cchc::portal::pages
