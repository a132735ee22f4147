#include "rules/period_state.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

TEST(PeriodState, MovesOneStepAtATimeAndStopsAtClosed) {
  EXPECT_EQ(NextState(v1::OPEN), v1::SELF_ASSESSMENT);
  EXPECT_EQ(NextState(v1::SELF_ASSESSMENT), v1::APPRAISAL);
  EXPECT_EQ(NextState(v1::APPRAISAL), v1::PUBLISHED);
  EXPECT_EQ(NextState(v1::PUBLISHED), v1::CLOSED);
  EXPECT_FALSE(NextState(v1::CLOSED));
  EXPECT_FALSE(NextState(v1::PERIOD_STATE_UNSPECIFIED));
}

TEST(PeriodState, ResultsAreVisibleOnlyOncePublished) {
  EXPECT_FALSE(ResultsVisible(v1::OPEN));
  EXPECT_FALSE(ResultsVisible(v1::SELF_ASSESSMENT));
  EXPECT_FALSE(ResultsVisible(v1::APPRAISAL));
  EXPECT_TRUE(ResultsVisible(v1::PUBLISHED));
  EXPECT_TRUE(ResultsVisible(v1::CLOSED));
}

}  // namespace
}  // namespace cchc::scoring
