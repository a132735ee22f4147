#include "rules/holidays.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

v1::ImportHolidaysRequest Year2027() {
  v1::ImportHolidaysRequest r;
  r.set_year(2027);
  for (auto [date, name] : {std::pair{"2027-09-02", "Quốc khánh"}, std::pair{"2027-04-16", "Giỗ Tổ Hùng Vương"},
                            std::pair{"2027-04-30", "Ngày Giải phóng miền Nam"}}) {
    auto* h = r.add_holidays();
    h->set_date(date);
    h->set_display_name(name);
  }
  return r;
}

std::string FieldOf(const v1::ImportHolidaysRequest& r) {
  std::vector<HolidaySpec> out;
  auto e = ValidateHolidays(r, &out);
  return e ? e->field : "";
}

TEST(Holidays, AYearInDateOrder) {
  std::vector<HolidaySpec> out;
  ASSERT_FALSE(ValidateHolidays(Year2027(), &out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(ToProto(out[0]).name(), "holidays/2027-04-16");
  EXPECT_EQ(ToProto(out[0]).display_name(), "Giỗ Tổ Hùng Vương");
  EXPECT_EQ(ToProto(out[2]).date(), "2027-09-02");
}

TEST(Holidays, BadInputNamesTheField) {
  auto r = Year2027();
  r.set_year(1999);
  EXPECT_EQ(FieldOf(r), "year");
  r = Year2027();
  r.mutable_holidays(1)->set_date("2026-04-16");
  EXPECT_EQ(FieldOf(r), "holidays[1].date") << "another year";
  r.mutable_holidays(1)->set_date("16/04/2027");
  EXPECT_EQ(FieldOf(r), "holidays[1].date");
  r = Year2027();
  r.mutable_holidays(2)->set_date("2027-09-02");
  EXPECT_EQ(FieldOf(r), "holidays[2].date") << "twice";
  r = Year2027();
  r.mutable_holidays(0)->set_display_name(" ");
  EXPECT_EQ(FieldOf(r), "holidays[0].display_name");
  r = Year2027();
  for (int i = 0; i < 60; ++i) r.add_holidays();
  EXPECT_EQ(FieldOf(r), "holidays");
}

}  // namespace
}  // namespace cchc::notification
