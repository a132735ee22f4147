#include "code.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

TEST(ParseCode, EveryCodeOfTheSeedPageParses) {
  const char* codes[] = {"998/QĐ-SGDĐT",  "1264/BC-SGDĐT",  "358/BC-SGDĐT",   "334/SGDĐT-TCCB", "315/KH-SGDĐT",
                         "248/KH-SGDĐT",  "171/SGDĐT-TCCB", "152/TB-SGDĐT",   "139/KH-SGDĐT",   "96/KH-SGDĐT",
                         "74/SGDĐT-TCCB", "2974/TB-SGDĐT",  "2667/BC-SGDĐT",  "1480/SNV-CCHC",  "1137/BC-SGDĐT",
                         "1099/KH-SGDĐT", "746/QĐ-SGDĐT",   "731/SGDĐT-TCCB", "707/SGDĐT-TCCB", "699/KH-SGDĐT",
                         "578/KH-SGDĐT",  "431/TB-SGDĐT",   "185/KH-SGDĐT",   "137/KH-SGDĐT",   "2530/BC-SGDĐT",
                         "1664/BC-SGDĐT"};
  for (const char* c : codes) {
    auto r = ParseCode(c);
    ASSERT_TRUE(r.code) << c << ": " << r.error;
    EXPECT_EQ(r.code->text, c);
  }
}

TEST(ParseCode, TypedDocument) {
  auto r = ParseCode("998/QĐ-SGDĐT");
  ASSERT_TRUE(r.code);
  EXPECT_EQ(r.code->form, v1::TYPED);
  EXPECT_EQ(r.code->number, "998");
  EXPECT_EQ(r.code->symbol, "QĐ-SGDĐT");
  EXPECT_EQ(r.code->type_abbreviation, "QĐ");
  EXPECT_EQ(r.code->type_name, "Quyết định");
  EXPECT_EQ(r.code->issuer_code, "SGDĐT");
  EXPECT_EQ(r.code->lookup_key, "998/qd-sgddt");
}

TEST(ParseCode, OfficialLetterHasIssuerThenUnit) {
  auto r = ParseCode("334/SGDĐT-TCCB");
  ASSERT_TRUE(r.code);
  EXPECT_EQ(r.code->form, v1::OFFICIAL_LETTER);
  EXPECT_EQ(r.code->type_abbreviation, "");
  EXPECT_EQ(r.code->type_name, "Công văn");
  EXPECT_EQ(r.code->issuer_code, "SGDĐT");
  ASSERT_EQ(r.code->units.size(), 1u);
  EXPECT_EQ(r.code->units[0], "TCCB");
  auto snv = ParseCode("1480/SNV-CCHC");
  ASSERT_TRUE(snv.code);
  EXPECT_EQ(snv.code->issuer_code, "SNV");
}

TEST(ParseCode, LegalNormative) {
  auto r = ParseCode("01/2011/TT-BNV");
  ASSERT_TRUE(r.code) << r.error;
  EXPECT_EQ(r.code->form, v1::LEGAL_NORMATIVE);
  EXPECT_EQ(r.code->number, "01");
  EXPECT_EQ(r.code->number_value, 1);
  EXPECT_EQ(r.code->year, 2011);
  EXPECT_EQ(r.code->type_abbreviation, "TT");
  EXPECT_EQ(r.code->issuer_code, "BNV");
  auto nd = ParseCode("30/2020/NĐ-CP");
  ASSERT_TRUE(nd.code);
  EXPECT_EQ(nd.code->type_name, "Nghị định");
  auto law = ParseCode("45/2019/QH14");
  ASSERT_TRUE(law.code) << law.error;
  EXPECT_EQ(law.code->issuer_code, "QH14");
}

TEST(ParseCode, KeepsTheNumberAsWrittenAndMixedCaseTypes) {
  auto r = ParseCode("05/QyĐ-UBND");
  ASSERT_TRUE(r.code);
  EXPECT_EQ(r.code->number, "05");
  EXPECT_EQ(r.code->type_abbreviation, "QyĐ");
  EXPECT_EQ(r.code->lookup_key, "5/qyd-ubnd");
  // TTr as the second group is a unit (Thanh tra), not Tờ trình.
  auto kh = ParseCode("35/KH-TTr");
  ASSERT_TRUE(kh.code);
  EXPECT_EQ(kh.code->type_abbreviation, "KH");
  EXPECT_EQ(kh.code->issuer_code, "TTr");
}

TEST(ParseCode, NfdInputIsStoredAsNfc) {
  auto r = ParseCode("998/Q\xC4\x90-SGD\xC4\x90T");  // Đ is precomposed anyway; add an NFD vowel case
  ASSERT_TRUE(r.code);
  auto nfd = ParseCode("1/KH-Tra\xCC\x86\xCC\x80ng");
  ASSERT_TRUE(nfd.code);
  EXPECT_EQ(nfd.code->issuer_code, "Trằng");
}

TEST(ParseCode, RejectsMalformedCodesSayingWhy) {
  struct Case {
    const char* input;
    const char* why;
  } cases[] = {
      {"", "is required"},
      {"   ", "is required"},
      {"998", "must be number/symbol"},
      {"0/QĐ-SGDĐT", "at least 1"},
      {"000/QĐ-SGDĐT", "at least 1"},
      {"abc/QĐ-SGDĐT", "Arabic digits"},
      {"998/", "missing"},
      {"998/QĐ", "must be TYPE-ISSUER"},
      {"998/QĐ--SGDĐT", "empty group"},
      {"998/QĐ-SGD ĐT", "spaces"},
      {"998/QĐ-SGDĐT/", "year"},
      {"1/20/TT-BNV", "4 digits"},
      {"1/1800/TT-BNV", "between 1945 and 2100"},
      {"1/2011/XYZ-BNV", "not a legal normative document type"},
      {"1/QĐ-SGD_ĐT", "letters and digits"},
      {"12345678/QĐ-SGDĐT", "at most 7 digits"},
      {"1/KH-\xFF", "UTF-8"},
      {"1/KH-123", "at least one letter"},
  };
  for (const auto& c : cases) {
    auto r = ParseCode(c.input);
    EXPECT_FALSE(r.code) << c.input;
    EXPECT_NE(r.error.find(c.why), std::string::npos) << c.input << " → " << r.error;
  }
  EXPECT_FALSE(ParseCode(std::string(81, '1') + "/KH-A").code);
}

TEST(LookupKey, ToleratesCaseAccentsSpacesAndLeadingZeros) {
  EXPECT_EQ(LookupKey("998/qd-sgddt"), LookupKey("998/QĐ-SGDĐT"));
  EXPECT_EQ(LookupKey(" 998 / QĐ-SGDĐT "), LookupKey("998/QĐ-SGDĐT"));
  EXPECT_EQ(LookupKey("0998/QD-SGDDT"), LookupKey("998/QĐ-SGDĐT"));
  EXPECT_NE(LookupKey("999/QĐ-SGDĐT"), LookupKey("998/QĐ-SGDĐT"));
}

}  // namespace
}  // namespace cchc::document
