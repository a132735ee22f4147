#include "validation.h"

#include <gtest/gtest.h>

#include "platform/search_text.h"

namespace cchc::document {
namespace {

using search::BuildTsPhrase;
using search::BuildTsQuery;
using search::SearchWords;

v1::Document Valid() {
  v1::Document d;
  d.set_code("998/QĐ-SGDĐT");
  d.set_issue_date("2018-06-07");
  d.set_subject("Công bố chỉ số cải cách hành chính đối với các đơn vị sự nghiệp trực thuộc Sở Giáo dục và Đào tạo");
  d.add_fields("Cải cách hành chính");
  return d;
}

std::string FieldOf(v1::Document d) {
  DocumentCode code;
  auto e = ValidateDocument(&d, &code);
  return e ? e->field : "";
}

TEST(ValidateDocument, AcceptsTheSeedDocument) {
  EXPECT_EQ(FieldOf(Valid()), "");
}

TEST(ValidateDocument, NamesTheFieldThatIsWrong) {
  auto d = Valid();
  d.set_code("");
  EXPECT_EQ(FieldOf(d), "document.code");
  d = Valid();
  d.set_issue_date("07/06/2018");
  EXPECT_EQ(FieldOf(d), "document.issue_date");
  d = Valid();
  d.set_expiry_date("2018-01-01");
  EXPECT_EQ(FieldOf(d), "document.expiry_date");
  d = Valid();
  d.set_subject(std::string(501, 'a'));
  EXPECT_EQ(FieldOf(d), "document.subject");
  d = Valid();
  d.set_subject("");
  EXPECT_EQ(FieldOf(d), "document.subject");
  d = Valid();
  d.set_subject("a\xC3(");
  EXPECT_EQ(FieldOf(d), "document.subject");
  d = Valid();
  d.set_subject(std::string("a\0b", 3));
  EXPECT_EQ(FieldOf(d), "document.subject");
  d = Valid();
  d.mutable_signer()->set_authority("XX.");
  EXPECT_EQ(FieldOf(d), "document.signer.authority");
  d = Valid();
  d.add_related_codes("not a code");
  EXPECT_EQ(FieldOf(d), "document.related_codes[0]");
  d = Valid();
  d.add_fields("cải cách HÀNH CHÍNH");
  EXPECT_EQ(FieldOf(d), "document.fields[1]");  // the same field twice
  d = Valid();
  d.set_code("01/2011/TT-BNV");
  EXPECT_EQ(FieldOf(d), "document.code");  // year differs from the issue date
}

TEST(ValidateDocument, SubjectLimitCountsCharactersNotBytes) {
  auto d = Valid();
  std::string s;
  for (int i = 0; i < 500; ++i) s += "ệ";  // 3 bytes each
  d.set_subject(s);
  EXPECT_EQ(FieldOf(d), "");
}

TEST(ValidateDocument, StoresNfc) {
  auto d = Valid();
  d.set_subject("Tra\xCC\x86\xCC\x80ng");
  DocumentCode code;
  ASSERT_FALSE(ValidateDocument(&d, &code));
  EXPECT_EQ(d.subject(), "Trằng");
}

TEST(UpdateMask, RejectsUnknownAndOutputOnlyPaths) {
  v1::Document d;
  std::vector<std::string> paths = {"subject", "status"};
  auto e = ResolveUpdateMask(d, &paths);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "update_mask");
  paths = {};
  d.set_subject("x");
  ASSERT_FALSE(ResolveUpdateMask(d, &paths));
  EXPECT_EQ(paths, std::vector<std::string>{"subject"});
}

TEST(Names, ParseDocumentAndAttachmentNames) {
  EXPECT_TRUE(ParseDocumentName("documents/123e4567-e89b-42d3-a456-426614174000"));
  EXPECT_FALSE(ParseDocumentName("documents/123"));
  EXPECT_FALSE(ParseDocumentName("docs/123e4567-e89b-42d3-a456-426614174000"));
  EXPECT_FALSE(ParseDocumentName("documents/123E4567-E89B-42D3-A456-426614174000"));
  auto a = ParseAttachmentName(
      "documents/123e4567-e89b-42d3-a456-426614174000/attachments/00000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->second, "00000000-0000-4000-8000-000000000000");
}

TEST(Search, WordsAndQueriesAreFoldedAndSafe) {
  EXPECT_EQ(SearchWords("998/QĐ-SGDĐT Cải cách"), "998 qd sgddt cai cach");
  EXPECT_EQ(BuildTsQuery("cải cách HÀNH chính"), "'cai' & 'cach' & 'hanh' & 'chinh':*");
  EXPECT_EQ(BuildTsQuery("'); DROP TABLE documents; --"), "'drop' & 'table' & 'documents':*");
  EXPECT_EQ(BuildTsQuery("!!! ---"), "");
  EXPECT_EQ(BuildTsPhrase("Cải cách"), "'cai' <-> 'cach':*");
}

TEST(Filter, RejectsUnknownTypesAndReversedRanges) {
  v1::DocumentFilter f;
  f.set_type_abbreviation("XYZ");
  EXPECT_EQ(ValidateFilter(&f)->field, "filter.type_abbreviation");
  f = {};
  f.set_issue_date_from("2018-02-01");
  f.set_issue_date_to("2018-01-01");
  EXPECT_EQ(ValidateFilter(&f)->field, "filter.issue_date_to");
  f = {};
  f.set_validity(static_cast<v1::Validity>(42));
  EXPECT_EQ(ValidateFilter(&f)->field, "filter.validity");
}

}  // namespace
}  // namespace cchc::document
