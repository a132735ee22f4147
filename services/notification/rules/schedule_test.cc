#include "rules/schedule.h"

#include <gtest/gtest.h>

#include "platform/dates.h"

namespace cchc::notification {
namespace {

// A UTC time point from a local (UTC+7) wall-clock time.
Clock::time_point Local(int y, unsigned m, unsigned d, int hh, int mm) {
  auto day = std::chrono::sys_days(std::chrono::year(y) / m / d);
  return Clock::time_point(day) + std::chrono::hours(hh) + std::chrono::minutes(mm) - std::chrono::hours(7);
}

TEST(Schedule, ParsesTimesOfDay) {
  EXPECT_EQ(ParseTimeOfDay("22:00"), 1320);
  EXPECT_EQ(ParseTimeOfDay("06:05"), 365);
  EXPECT_FALSE(ParseTimeOfDay("24:00"));
  EXPECT_FALSE(ParseTimeOfDay("6:00"));
  EXPECT_FALSE(ParseTimeOfDay("06:60"));
  EXPECT_EQ(FormatTimeOfDay(365), "06:05");
}

TEST(Schedule, DigestGroupsEventsOfOneLocalDay) {
  // Daily at 17:00 local: everything from 17:00 the day before to 16:59 belongs to the same digest.
  auto a = DigestFor(Local(2026, 11, 27, 0, 30), 17 * 60);
  auto b = DigestFor(Local(2026, 11, 27, 16, 59), 17 * 60);
  auto c = DigestFor(Local(2026, 11, 26, 17, 0), 17 * 60);
  EXPECT_EQ(dates::ToIso(a.day), "2026-11-27");
  EXPECT_EQ(a.day, b.day);
  EXPECT_EQ(a.day, c.day);
  EXPECT_EQ(a.due, Local(2026, 11, 27, 17, 0));
  auto next = DigestFor(Local(2026, 11, 27, 17, 0), 17 * 60);
  EXPECT_EQ(dates::ToIso(next.day), "2026-11-28");
  // 00:30 UTC+7 is still the previous UTC day: the local day decides.
  EXPECT_EQ(dates::ToIso(DigestFor(Local(2026, 11, 27, 0, 30), 8 * 60).day), "2026-11-27");
}

TEST(Schedule, DigestOnAGivenDay) {
  auto slot = DigestOn(std::chrono::year(2026) / 11 / 28, 17 * 60);
  EXPECT_EQ(dates::ToIso(slot.day), "2026-11-28");
  EXPECT_EQ(slot.due, Local(2026, 11, 28, 17, 0));
  // The same slot DigestFor gives, and early-morning times stay on their local day.
  auto at = DigestFor(Local(2026, 11, 27, 23, 0), 6 * 60);
  EXPECT_EQ(DigestOn(at.day, 6 * 60).due, at.due);
  EXPECT_EQ(DigestOn(std::chrono::year(2026) / 12 / 31, 30).due, Local(2026, 12, 31, 0, 30));
}

}  // namespace
}  // namespace cchc::notification
