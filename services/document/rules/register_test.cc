// The outgoing register's rules (sổ văn bản đi): what a register may number, the code ↔ register match, the year
// a register takes reservations in (Asia/Ho_Chi_Minh) and the expiry cut-off, with an injected "now".
#include "register.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

using namespace std::chrono;

v1::Register ValidRegister() {
  v1::Register r;
  r.set_display_name("Sổ quyết định, kế hoạch, thông báo 2026");
  r.set_issuer_code("SGDĐT");
  r.set_year(2026);
  r.add_type_abbreviations("QĐ");
  r.add_type_abbreviations("kh");  // folded spellings become canonical
  r.add_type_abbreviations("TB");
  return r;
}

DocumentCode Code(const std::string& text) {
  auto parsed = ParseCode(text);
  EXPECT_TRUE(parsed.code) << text << ": " << parsed.error;
  return *parsed.code;
}

// `iso` at `hh`:00 UTC.
system_clock::time_point At(const std::string& iso, int hh) {
  int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
  return sys_days(year_month_day(year(y), month(m), day(d))) + hours(hh);
}

TEST(RegisterRules, AValidRegisterIsNormalisedAndListsItsKinds) {
  v1::Register r = ValidRegister();
  std::vector<std::string> kinds;
  EXPECT_FALSE(ValidateRegister(&r, &kinds));
  EXPECT_EQ(r.type_abbreviations(1), "KH");
  EXPECT_EQ(kinds, (std::vector<std::string>{"t:QĐ", "t:KH", "t:TB"}));
  r.set_official_letters(true);
  EXPECT_FALSE(ValidateRegister(&r, &kinds));
  EXPECT_EQ(kinds.back(), "cv");
}

TEST(RegisterRules, BadRegistersNameTheField) {
  struct Case {
    const char* name;
    std::function<void(v1::Register&)> spoil;
    const char* field;
  } cases[] = {
      {"no name", [](v1::Register& r) { r.set_display_name(" "); }, "register.display_name"},
      {"no issuer", [](v1::Register& r) { r.clear_issuer_code(); }, "register.issuer_code"},
      {"issuer with a dash", [](v1::Register& r) { r.set_issuer_code("SGDĐT-TCCB"); }, "register.issuer_code"},
      {"year 1999", [](v1::Register& r) { r.set_year(1999); }, "register.year"},
      {"unknown type", [](v1::Register& r) { r.add_type_abbreviations("XYZ"); }, "register.type_abbreviations[3]"},
      {"repeated type", [](v1::Register& r) { r.add_type_abbreviations("qđ"); }, "register.type_abbreviations[3]"},
      {"nothing numbered", [](v1::Register& r) { r.clear_type_abbreviations(); }, "register.type_abbreviations"},
      {"VBQPPL mixed with others", [](v1::Register& r) { r.set_legal_normative_type("QĐ"); },
       "register.legal_normative_type"},
      {"unknown VBQPPL type",
       [](v1::Register& r) {
         r.clear_type_abbreviations();
         r.set_legal_normative_type("KH");
       },
       "register.legal_normative_type"},
  };
  for (const auto& c : cases) {
    v1::Register r = ValidRegister();
    c.spoil(r);
    std::vector<std::string> kinds;
    auto e = ValidateRegister(&r, &kinds);
    ASSERT_TRUE(e) << c.name;
    EXPECT_EQ(e->field, c.field) << c.name << ": " << e->description;
  }
}

TEST(RegisterRules, AVbqpplTypeHasARegisterOfItsOwn) {
  v1::Register r = ValidRegister();
  r.clear_type_abbreviations();
  r.set_legal_normative_type("qđ");
  std::vector<std::string> kinds;
  EXPECT_FALSE(ValidateRegister(&r, &kinds));
  EXPECT_EQ(kinds, (std::vector<std::string>{"l:QĐ"}));
  // The administrative QĐ and the VBQPPL QĐ are different kinds: two registers may number them.
  EXPECT_EQ(KindOf(Code("01/2026/QĐ-UBND")), "l:QĐ");
  EXPECT_EQ(KindOf(Code("998/QĐ-SGDĐT")), "t:QĐ");
  EXPECT_EQ(KindOf(Code("334/SGDĐT-TCCB")), "cv");
}

TEST(RegisterRules, ADocumentMatchesItsReservation) {
  RegisterScope scope{"registers/r", "sgddt", 2026, {"t:QĐ", "t:KH", "cv"}};
  EXPECT_FALSE(MatchReservation(scope, 1, Code("01/QĐ-SGDĐT"), "2026-03-02"));
  EXPECT_FALSE(MatchReservation(scope, 1, Code("1/KH-SGDĐT-TCCB"), "2026-03-02"));  // "1" is number 01
  EXPECT_FALSE(MatchReservation(scope, 12, Code("12/SGDĐT-TCCB"), "2026-12-31"));
  struct Case {
    const char* code;
    int64_t number;
    const char* date;
    const char* field;
  } bad[] = {
      {"02/QĐ-SGDĐT", 1, "2026-03-02", "document.code"},        // not the reserved number
      {"01/TB-SGDĐT", 1, "2026-03-02", "document.code"},        // a type the register does not number
      {"01/QĐ-SNV", 1, "2026-03-02", "document.code"},          // another issuer
      {"01/2026/QĐ-SGDĐT", 1, "2026-03-02", "document.code"},   // VBQPPL QĐ is not the administrative QĐ
      {"01/QĐ-SGDĐT", 1, "2027-01-02", "document.issue_date"},  // another year
  };
  for (const auto& c : bad) {
    auto e = MatchReservation(scope, c.number, Code(c.code), c.date);
    ASSERT_TRUE(e) << c.code;
    EXPECT_EQ(e->field, c.field) << c.code << ": " << e->description;
  }
}

TEST(RegisterRules, NumbersHaveAtLeastTwoDigitsAndNamesRoundTrip) {
  EXPECT_EQ(FormatNumber(1), "01");
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(1600), "1600");
  const std::string id = "0b8f3c1e-3c1a-4e59-9a5e-2f0b7a3d6c11";
  auto parsed = ParseReservationName(ReservationName(id, 7));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, id);
  EXPECT_EQ(parsed->second, 7);
  EXPECT_TRUE(ParseReservationName("registers/" + id + "/reservations/07"));
  EXPECT_FALSE(ParseReservationName("registers/" + id + "/reservations/0"));
  EXPECT_FALSE(ParseReservationName("registers/" + id + "/reservations/-1"));
  EXPECT_FALSE(ParseReservationName("registers/" + id + "/reservations/"));
  EXPECT_FALSE(ParseReservationName("registers/" + id + "/reservations/9999999999999"));
  EXPECT_FALSE(ParseRegisterName("registers/not-a-uuid"));
}

TEST(RegisterRules, TheYearTurnsAtMidnightInHoChiMinhCity) {
  // 31/12/2026 16:59 UTC is 23:59 in Asia/Ho_Chi_Minh; 17:00 UTC is 00:00 on 01/01/2027.
  EXPECT_FALSE(ClosedYear(2026, At("2026-12-31", 16)));
  EXPECT_TRUE(ClosedYear(2026, At("2026-12-31", 17)));
  EXPECT_FALSE(ClosedYear(2027, At("2026-12-31", 17)));
  EXPECT_TRUE(ClosedYear(2027, At("2026-12-31", 16)));  // not begun
}

TEST(RegisterRules, AReservationExpiresAfterItsDays) {
  const auto now = At("2026-03-10", 5);
  EXPECT_EQ(ExpiryCutoff(now, 7), At("2026-03-03", 5));
  EXPECT_EQ(Micros(At("1970-01-01", 1)), int64_t{3600} * 1000000);
}

TEST(RegisterRules, EditorsNumberTheirOwnIssuerOnly) {
  auth::Principal tccb{"SGDĐT-TCCB", {auth::Role::kEditor}};
  auth::Principal sgd{"SGDĐT", {auth::Role::kEditor}};
  auth::Principal snv{"SNV", {auth::Role::kEditor}};
  auth::Principal admin{"SNV", {auth::Role::kAdmin}};
  auth::Principal reader{"SGDĐT", {auth::Role::kReader}};
  auth::Principal prefix{"SGDĐTX", {auth::Role::kEditor}};
  EXPECT_TRUE(MayNumberFor(tccb, "SGDĐT"));
  EXPECT_TRUE(MayNumberFor(sgd, "sgddt"));
  EXPECT_FALSE(MayNumberFor(snv, "SGDĐT"));
  EXPECT_TRUE(MayNumberFor(admin, "SGDĐT"));
  EXPECT_FALSE(MayNumberFor(reader, "SGDĐT"));
  EXPECT_FALSE(MayNumberFor(prefix, "SGDĐT"));
}

}  // namespace
}  // namespace cchc::document
