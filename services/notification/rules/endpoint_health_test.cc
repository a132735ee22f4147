#include "rules/endpoint_health.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kHour = 3600LL * 1000 * 1000;
constexpr int64_t kHealthT0 = 1796648400LL * 1000 * 1000;
const HealthOptions kSvix;  // 12 h spread, then 5 days

TEST(EndpointHealth, FailuresStartTheClockOnlyOnceSpreadOverTwelveHours) {
  EndpointHealth h;
  EXPECT_EQ(StateOf(h), HealthState::kHealthy);
  auto s = AfterAttempt(h, false, kHealthT0, kSvix);
  EXPECT_EQ(StateOf(s.next), HealthState::kFailing);
  EXPECT_EQ(s.next.failing_since, kHealthT0);
  // Many failures within the first 12 h: still only failing, and no clock.
  for (int i = 1; i < 12; ++i) s = AfterAttempt(s.next, false, kHealthT0 + i * kHour, kSvix);
  EXPECT_EQ(StateOf(s.next), HealthState::kFailing);
  EXPECT_FALSE(s.next.unhealthy_since);
  s = AfterAttempt(s.next, false, kHealthT0 + 12 * kHour, kSvix);
  EXPECT_EQ(StateOf(s.next), HealthState::kUnhealthy);
  EXPECT_EQ(s.next.unhealthy_since, kHealthT0 + 12 * kHour);
  EXPECT_FALSE(s.disable_now);
}

TEST(EndpointHealth, FiveDaysOfOnlyFailuresAfterTheSpreadDisable) {
  auto s = AfterAttempt({}, false, kHealthT0, kSvix);
  s = AfterAttempt(s.next, false, kHealthT0 + 12 * kHour, kSvix);
  s = AfterAttempt(s.next, false, kHealthT0 + 12 * kHour + 5 * 24 * kHour - 1, kSvix);
  EXPECT_FALSE(s.disable_now);
  EXPECT_EQ(StateOf(s.next), HealthState::kUnhealthy);
  s = AfterAttempt(s.next, false, kHealthT0 + 12 * kHour + 5 * 24 * kHour, kSvix);
  EXPECT_TRUE(s.disable_now);
  EXPECT_EQ(StateOf(s.next), HealthState::kDisabled);
  // Disabled: attempts (there should be none) change nothing, a success included.
  auto again = AfterAttempt(s.next, true, kHealthT0 + 200 * kHour, kSvix);
  EXPECT_FALSE(again.disable_now);
  EXPECT_EQ(StateOf(again.next), HealthState::kDisabled);
}

TEST(EndpointHealth, ASuccessResetsTheClock) {
  auto s = AfterAttempt({}, false, kHealthT0, kSvix);
  s = AfterAttempt(s.next, false, kHealthT0 + 13 * kHour, kSvix);
  ASSERT_EQ(StateOf(s.next), HealthState::kUnhealthy);
  s = AfterAttempt(s.next, true, kHealthT0 + 100 * kHour, kSvix);
  EXPECT_EQ(StateOf(s.next), HealthState::kHealthy);
  // The next run starts from scratch: five days after the old start is not enough.
  s = AfterAttempt(s.next, false, kHealthT0 + 13 * kHour + 5 * 24 * kHour, kSvix);
  EXPECT_FALSE(s.disable_now);
  EXPECT_EQ(StateOf(s.next), HealthState::kFailing);
}

TEST(EndpointHealth, ShortClockForTests) {
  HealthOptions quick{.disable_after = 2s, .spread = 1s};
  const int64_t second = 1000 * 1000;
  auto s = AfterAttempt({}, false, kHealthT0, quick);
  s = AfterAttempt(s.next, false, kHealthT0 + second, quick);
  EXPECT_EQ(StateOf(s.next), HealthState::kUnhealthy);
  s = AfterAttempt(s.next, false, kHealthT0 + 3 * second, quick);
  EXPECT_TRUE(s.disable_now);
  EXPECT_STREQ(HealthStateName(StateOf(s.next)), "disabled");
}

}  // namespace
}  // namespace cchc::notification
