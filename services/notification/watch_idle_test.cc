#include "watch_idle.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

using std::chrono::milliseconds;

TEST(NextIdleCheck, DoublesWhileNothingArrivesUpToTheLongestAndResetsOnRows) {
  const milliseconds first{5000}, longest{60000};
  milliseconds wait = first;
  std::vector<long> seen;
  for (int i = 0; i < 6; ++i) {
    wait = NextIdleCheck(wait, false, first, longest);
    seen.push_back(static_cast<long>(wait.count()));
  }
  EXPECT_EQ(seen, (std::vector<long>{10000, 20000, 40000, 60000, 60000, 60000}));
  EXPECT_EQ(NextIdleCheck(wait, true, first, longest), first);
  EXPECT_EQ(NextIdleCheck(milliseconds{0}, false, first, longest), first) << "a fresh stream starts at the first";
  EXPECT_EQ(NextIdleCheck(first, false, first, milliseconds{1000}), first) << "a longest below the first is the first";
}

}  // namespace
}  // namespace cchc::notification
