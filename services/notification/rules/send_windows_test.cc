#include "rules/send_windows.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

using std::chrono::sys_days;
using std::chrono::year;

// A UTC instant from a wall-clock time in Asia/Ho_Chi_Minh (UTC+7 all year, written out here on purpose: the
// code under test reads the offset from the tz database).
Clock::time_point LocalWall(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
  auto day = sys_days(year(y) / m / d);
  return Clock::time_point(day) + std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss) -
         std::chrono::hours(7);
}

sys_days Day(int y, unsigned m, unsigned d) {
  return sys_days(year(y) / m / d);
}

// Mon–Fri 07:30–11:30 and 13:30–17:00 (giờ hành chính). 2026-12-07 is a Monday.
SendWindows OfficeHours() {
  SendWindows w;
  for (int d = 1; d <= 5; ++d) {
    w.push_back({d, 7 * 60 + 30, 11 * 60 + 30});
    w.push_back({d, 13 * 60 + 30, 17 * 60});
  }
  return w;
}

TEST(SendWindows, LocalDayComesFromTheTzDatabase) {
  CheckLocalZone();
  // 17:00 UTC on the 6th is already 00:00 on the 7th in Hồ Chí Minh City.
  EXPECT_EQ(LocalDay(LocalWall(2026, 12, 7, 0, 0)), Day(2026, 12, 7));
  EXPECT_EQ(LocalDay(LocalWall(2026, 12, 6, 23, 59, 59)), Day(2026, 12, 6));
  EXPECT_EQ(LocalMidnight(Day(2026, 12, 7)), Clock::time_point(Day(2026, 12, 6)) + std::chrono::hours(17));
}

TEST(SendWindows, NoWindowsIsAlwaysOpenButHolidaysStayClosed) {
  EXPECT_TRUE(IsOpen(LocalWall(2026, 12, 7, 3, 0), {}, {}));
  EXPECT_TRUE(IsOpen(LocalWall(2026, 12, 13, 23, 59), {}, {}));
  Holidays tet{Day(2027, 2, 6), Day(2027, 2, 7)};
  EXPECT_FALSE(IsOpen(LocalWall(2027, 2, 6, 9, 0), {}, tet));
  EXPECT_EQ(NextOpen(LocalWall(2027, 2, 6, 9, 0), {}, tet), LocalWall(2027, 2, 8, 0, 0));
}

TEST(SendWindows, InsideAWindowIsOpenAtOnce) {
  auto t = LocalWall(2026, 12, 7, 9, 15, 42);
  EXPECT_TRUE(IsOpen(t, OfficeHours(), {}));
  EXPECT_EQ(NextOpen(t, OfficeHours(), {}), t);
  EXPECT_TRUE(IsOpen(LocalWall(2026, 12, 7, 7, 30), OfficeHours(), {})) << "start is inside";
  EXPECT_FALSE(IsOpen(LocalWall(2026, 12, 7, 17, 0), OfficeHours(), {})) << "end is outside";
}

TEST(SendWindows, BetweenWindowsWaitsForTheNextOneTheSameDay) {
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 7, 11, 30), OfficeHours(), {}), LocalWall(2026, 12, 7, 13, 30));
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 7, 5, 0), OfficeHours(), {}), LocalWall(2026, 12, 7, 7, 30));
}

TEST(SendWindows, FridayEveningWaitsForMondayMorning) {
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 11, 17, 0), OfficeHours(), {}), LocalWall(2026, 12, 14, 7, 30));
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 12, 10, 0), OfficeHours(), {}), LocalWall(2026, 12, 14, 7, 30));
  // Sunday 23:59:59 local is already Monday in no zone but UTC-something: the weekday is the local one.
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 13, 23, 59, 59), OfficeHours(), {}), LocalWall(2026, 12, 14, 7, 30));
}

TEST(SendWindows, AHolidayIsClosedFromLocalMidnightToLocalMidnight) {
  // Quốc khánh on a Wednesday: from 2027-09-01 17:00 UTC to 2027-09-02 17:00 UTC, across UTC midnight.
  Holidays national{Day(2027, 9, 2)};
  SendWindows all_day;
  for (int d = 1; d <= 7; ++d) all_day.push_back({d, 0, kMinutesPerDay});
  EXPECT_TRUE(IsOpen(LocalWall(2027, 9, 1, 23, 59, 59), all_day, national));
  EXPECT_FALSE(IsOpen(LocalWall(2027, 9, 2, 0, 0), all_day, national));
  EXPECT_FALSE(IsOpen(LocalWall(2027, 9, 2, 23, 59, 59), all_day, national));
  EXPECT_EQ(NextOpen(LocalWall(2027, 9, 2, 6, 59), all_day, national), LocalWall(2027, 9, 3, 0, 0));
  EXPECT_EQ(NextOpen(LocalWall(2027, 9, 2, 6, 59), all_day, national),
            Clock::time_point(Day(2027, 9, 2)) + std::chrono::hours(17));
  // With office hours the next opening is the first window of the day after.
  EXPECT_EQ(NextOpen(LocalWall(2027, 9, 2, 8, 0), OfficeHours(), national), LocalWall(2027, 9, 3, 7, 30));
}

TEST(SendWindows, ConsecutiveHolidaysAndAWeekendAreSkippedTogether) {
  // Tết 2027: Friday 5/2 to Wednesday 10/2 off; the next office hour is Thursday 11/2 07:30.
  Holidays tet;
  for (unsigned d = 5; d <= 10; ++d) tet.insert(Day(2027, 2, d));
  EXPECT_EQ(NextOpen(LocalWall(2027, 2, 4, 17, 30), OfficeHours(), tet), LocalWall(2027, 2, 11, 7, 30));
}

TEST(SendWindows, WindowsJoinAcrossMidnight) {
  SendWindows night{{1, 22 * 60, kMinutesPerDay}, {2, 0, 6 * 60}};
  EXPECT_TRUE(IsOpen(LocalWall(2026, 12, 7, 23, 59, 59), night, {}));
  EXPECT_TRUE(IsOpen(LocalWall(2026, 12, 8, 0, 0), night, {}));
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 8, 6, 0), night, {}), LocalWall(2026, 12, 14, 22, 0));
}

TEST(SendWindows, QuietHoursAreAShorthandBothWays) {
  QuietWindow overnight{22 * 60, 6 * 60};
  SendWindows w = WindowsOfQuietHours(overnight);
  ASSERT_EQ(w.size(), 7u);
  EXPECT_EQ(w[0], (SendWindow{1, 6 * 60, 22 * 60}));
  auto back = QuietHoursOf(w);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->start, 22 * 60);
  EXPECT_EQ(back->end, 6 * 60);
  // The same answers as the quiet hours always gave.
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 7, 23, 30), w, {}), LocalWall(2026, 12, 8, 6, 0));
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 7, 21, 59), w, {}), LocalWall(2026, 12, 7, 21, 59));
  EXPECT_EQ(NextOpen(LocalWall(2026, 12, 8, 3, 0), w, {}), LocalWall(2026, 12, 8, 6, 0));

  QuietWindow lunch{12 * 60, 13 * 60};
  w = WindowsOfQuietHours(lunch);
  ASSERT_EQ(w.size(), 14u);
  back = QuietHoursOf(w);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->start, 12 * 60);
  EXPECT_EQ(back->end, 13 * 60);
  for (QuietWindow q : {QuietWindow{0, 6 * 60}, QuietWindow{18 * 60, 0}}) {
    back = QuietHoursOf(WindowsOfQuietHours(q));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->start, q.start);
    EXPECT_EQ(back->end, q.end);
  }
  EXPECT_FALSE(QuietHoursOf(OfficeHours())) << "weekends differ: not a daily quiet period";
  EXPECT_FALSE(QuietHoursOf({}));
  EXPECT_TRUE(WindowsOfQuietHours(QuietWindow{}).empty());
}

TEST(SendWindows, StoredFlatAndBack) {
  auto w = OfficeHours();
  EXPECT_EQ(UnflattenWindows(FlattenWindows(w)), w);
  EXPECT_EQ(ParseWindowEnd("24:00"), kMinutesPerDay);
  EXPECT_EQ(ParseWindowEnd("17:00"), 17 * 60);
  EXPECT_FALSE(ParseWindowEnd("24:01"));
  EXPECT_EQ(FormatTimeOfDay(kMinutesPerDay), "24:00");
}

}  // namespace
}  // namespace cchc::notification
