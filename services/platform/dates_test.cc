#include "dates.h"

#include <gtest/gtest.h>

namespace cchc::dates {
namespace {

TEST(Dates, IsoAndDisplayRoundTrip) {
  auto d = ParseIso("2018-06-07");
  ASSERT_TRUE(d);
  EXPECT_EQ(ToIso(*d), "2018-06-07");
  EXPECT_EQ(IsoToDisplay("2018-06-07"), "07/06/2018");
  EXPECT_EQ(ToIso(*ParseDisplay("7/6/2018")), "2018-06-07");
}

TEST(Dates, RejectsImpossibleDays) {
  EXPECT_FALSE(ParseIso("2018-02-30"));
  EXPECT_FALSE(ParseIso("2018-13-01"));
  EXPECT_FALSE(ParseIso("18-06-07"));
  EXPECT_FALSE(ParseIso("2018-6-7"));
  EXPECT_FALSE(ParseIso("9999-01-01"));
  EXPECT_TRUE(ParseIso("2016-02-29"));
  EXPECT_FALSE(ParseDisplay("31/04/2018"));
}

TEST(Dates, VietnamDayIsUtcPlusSeven) {
  using namespace std::chrono;
  // 2018-06-18 17:30 UTC is already 19 June in Sóc Trăng.
  auto t = sys_days{year(2018) / 6 / 18} + hours(17) + minutes(30);
  EXPECT_EQ(ToIso(VietnamDay(t)), "2018-06-19");
}

}  // namespace
TEST(Dates, ParsesRfc3339ToMicroseconds) {
  EXPECT_EQ(ParseRfc3339Micros("1970-01-01T00:00:01Z"), 1000000);
  EXPECT_EQ(ParseRfc3339Micros("2026-11-26T16:55:05.123Z"), 1795712105123000);
  EXPECT_EQ(ParseRfc3339Micros("2026-11-26T23:55:05.123+07:00"), 1795712105123000);
  EXPECT_EQ(ParseRfc3339Micros("2026-11-26T16:55:05.1234567Z"), 1795712105123456);
  EXPECT_FALSE(ParseRfc3339Micros("2026-11-26 16:55:05Z"));
  EXPECT_FALSE(ParseRfc3339Micros("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339Micros("2026-11-26T16:55:05"));
  EXPECT_FALSE(ParseRfc3339Micros("2026-11-26T16:55:05Zjunk"));
}

TEST(Dates, VietnamDisplayTimeIsUtcPlusSevenDayFirst) {
  using namespace std::chrono;
  // 2026-12-06 17:34 UTC is already the 7th at 00:34 in Asia/Ho_Chi_Minh.
  auto t = sys_days{2026y / December / 6} + hours(17) + minutes(34);
  EXPECT_EQ(VietnamDisplayTime(t), "07/12/2026 00:34");
}

}  // namespace cchc::dates
