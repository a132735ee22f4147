#include "rules/webhook_schedule.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(WebhookSchedule, SvixDefaultParses) {
  std::string error;
  auto s = ParseRetrySchedule(kSvixSchedule, &error);
  ASSERT_TRUE(s) << error;
  RetrySchedule want = {seconds(5), minutes(5), minutes(30), hours(2), hours(5), hours(10), hours(10)};
  EXPECT_EQ(*s, want);
  EXPECT_EQ(ScheduleAttempts(*s), 8);
  milliseconds total{0};
  for (auto d : *s) total += d;
  const double total_hours = std::chrono::duration<double>(total).count() / 3600;
  EXPECT_NEAR(total_hours, 27.6, 0.05);
}

TEST(WebhookSchedule, ShortScheduleForTests) {
  std::string error;
  auto s = ParseRetrySchedule("100ms, 200ms,1s", &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(*s, (RetrySchedule{milliseconds(100), milliseconds(200), seconds(1)}));
}

TEST(WebhookSchedule, BadSchedulesAreRefusedWithAReason) {
  for (const char* bad : {"", "5", "5x", "s", "0s", "5s,", ",5s", "-5s", "1.5s", "8d", "169h", "9999999999ms"}) {
    std::string error;
    EXPECT_FALSE(ParseRetrySchedule(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  std::string many;
  for (size_t i = 0; i <= kMaxScheduleRetries; ++i) many += (i ? ",1s" : "1s");
  std::string error;
  EXPECT_FALSE(ParseRetrySchedule(many, &error));
  EXPECT_NE(error.find("at most"), std::string::npos);
}

TEST(WebhookSchedule, DelaysStayWithinTwentyPercentAndSpread) {
  RetrySchedule s = {seconds(5), minutes(5), hours(10)};
  std::mt19937_64 rng(7);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto base = s[static_cast<size_t>(attempt - 1)];
    milliseconds lo = base, hi = base;
    for (int i = 0; i < 2000; ++i) {
      auto d = ScheduledDelay(s, attempt, rng);
      EXPECT_GE(d.count(), base.count() * 8 / 10);
      EXPECT_LE(d.count(), base.count() * 12 / 10);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // The draws use the band, both below and above the nominal delay.
    EXPECT_LT(lo.count(), base.count() * 85 / 100);
    EXPECT_GT(hi.count(), base.count() * 115 / 100);
  }
  // Past the end: the last delay.
  auto d = ScheduledDelay(s, 9, rng);
  EXPECT_GE(d, hours(8));
  EXPECT_LE(d, hours(12));
}

}  // namespace
}  // namespace cchc::notification
