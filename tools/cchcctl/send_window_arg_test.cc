#include "send_window_arg.h"

#include <gtest/gtest.h>

#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

TEST(SendWindowArg, ARangeOfDays) {
  auto w = ParseSendWindowArg("MON-FRI 07:30-17:00");
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[0].day, 1);
  EXPECT_EQ(w[4].day, 5);
  EXPECT_EQ(w[4].start, "07:30");
  EXPECT_EQ(w[4].end, "17:00");
}

TEST(SendWindowArg, OneDayOrAList) {
  auto w = ParseSendWindowArg("SAT 08:00-11:30");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].day, 6);
  w = ParseSendWindowArg("MON,WED,SUN 22:00-24:00");
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[2].day, 7);
  EXPECT_EQ(w[2].end, "24:00");
}

TEST(SendWindowArg, OtherShapesAreRefused) {
  EXPECT_THROW(ParseSendWindowArg("07:30-17:00"), StatusError);
  EXPECT_THROW(ParseSendWindowArg("FRI-MON 07:30-17:00"), StatusError);
  EXPECT_THROW(ParseSendWindowArg("Thứ Hai 07:30-17:00"), StatusError);
  EXPECT_THROW(ParseSendWindowArg("MON 07:30"), StatusError);
}

}  // namespace
}  // namespace cchc::cchcctl
