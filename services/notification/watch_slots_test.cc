#include "watch_slots.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace cchc::notification {
namespace {

TEST(WatchSlots, PerSubscriberCapIsPerSubscriberAndFreedOnRelease) {
  WatchSlots slots(100, 5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(slots.TakeSubscriber("TCCB"));
  EXPECT_FALSE(slots.TakeSubscriber("TCCB"));
  EXPECT_EQ(slots.OfSubscriber("TCCB"), 5);
  EXPECT_TRUE(slots.TakeSubscriber("SNV")) << "another subscriber has its own five";
  slots.ReleaseSubscriber("TCCB");
  EXPECT_TRUE(slots.TakeSubscriber("TCCB"));
  EXPECT_FALSE(slots.TakeSubscriber("TCCB"));
  for (int i = 0; i < 5; ++i) slots.ReleaseSubscriber("TCCB");
  EXPECT_EQ(slots.OfSubscriber("TCCB"), 0);
  slots.ReleaseSubscriber("TCCB");  // one too many: stays at zero
  EXPECT_EQ(slots.OfSubscriber("TCCB"), 0);
}

TEST(WatchSlots, TotalCapHoldsUnderConcurrentTakes) {
  WatchSlots slots(50, 5);
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) taken += slots.TakeTotal();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(taken.load(), 50);
  EXPECT_EQ(slots.Total(), 50);
  slots.ReleaseTotal();
  EXPECT_TRUE(slots.TakeTotal());
  EXPECT_FALSE(slots.TakeTotal());
}

}  // namespace
}  // namespace cchc::notification
