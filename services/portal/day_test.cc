#include "day.h"

#include <gtest/gtest.h>

namespace cchc::portal {
namespace {

using namespace std::chrono;

TEST(DayOfRequest, TodayIsTheDayInHoChiMinhCity) {
  // 2018-06-18 17:30 UTC is 2018-06-19 00:30 in Asia/Ho_Chi_Minh.
  auto t = sys_days(year{2018} / 6 / 18) + hours(17) + minutes(30);
  auto day = DayOfRequest("", t);
  ASSERT_TRUE(day);
  EXPECT_EQ(day->day, year{2018} / 6 / 19);
  EXPECT_FALSE(day->archive);
  EXPECT_EQ(DayOfRequest("", sys_days(year{2018} / 6 / 18) + hours(16) + minutes(59))->day, year{2018} / 6 / 18);
}

TEST(DayOfRequest, ADateParameterIsAnArchiveViewAndMustBeIso) {
  auto day = DayOfRequest("2018-06-19", system_clock::now());
  ASSERT_TRUE(day);
  EXPECT_EQ(day->day, year{2018} / 6 / 19);
  EXPECT_TRUE(day->archive);
  for (const char* bad : {"19/06/2018", "2018-02-30", "2018-6-19", "hôm nay", "2018-06-19T00:00", "<script>"})
    EXPECT_FALSE(DayOfRequest(bad, system_clock::now())) << bad;
}

TEST(VietnameseToday, WritesTheHeaderAsTheSoPortalDoes) {
  EXPECT_EQ(VietnameseToday(year{2018} / 6 / 19), "Hôm nay, ngày 19 tháng 06 năm 2018");
  EXPECT_EQ(VietnameseToday(year{2026} / 12 / 7), "Hôm nay, ngày 07 tháng 12 năm 2026");
}

TEST(StartOfDayHttpDate, IsMidnightInHoChiMinhCity) {
  EXPECT_EQ(StartOfDayHttpDate(year{2018} / 6 / 19), "Mon, 18 Jun 2018 17:00:00 GMT");
}

}  // namespace
}  // namespace cchc::portal
