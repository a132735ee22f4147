#include "watch_hub.h"

#include <gtest/gtest.h>

#include <thread>

namespace cchc::notification {
namespace {

using std::chrono::milliseconds;

TEST(WatchHub, HintWakesAWaiterOfThatSubscriberOnly) {
  WatchHub hub;
  hub.Start();
  uint64_t tccb = hub.Generation("TCCB"), other = hub.Generation("KHTC");
  std::thread hinter([&] {
    std::this_thread::sleep_for(milliseconds(20));
    hub.Hint("TCCB");
  });
  auto started = std::chrono::steady_clock::now();
  EXPECT_NE(hub.Wait("TCCB", tccb, milliseconds(5000)), tccb);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2000));
  hinter.join();
  EXPECT_EQ(hub.Wait("KHTC", other, milliseconds(30)), other) << "another inbox is not woken";
  hub.Stop();
}

TEST(WatchHub, HintIsRepeatedAfterTheCommitHadTimeToLand) {
  WatchHub hub;
  hub.Start();
  hub.Hint("TCCB");
  uint64_t after_hint = hub.Generation("TCCB");
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(hub.Generation("TCCB"), after_hint + 3) << "repeated at +2, +10 and +50 ms";
  hub.Hint("TCCB");
  uint64_t g = hub.Generation("TCCB");
  hub.FlushHints();
  EXPECT_EQ(hub.Generation("TCCB"), g + 1);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(hub.Generation("TCCB"), g + 1) << "a flushed hint is not repeated";
  hub.Stop();
}

TEST(WatchHub, StopReleasesWaiters) {
  WatchHub hub;
  hub.Start();
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(20));
    hub.Stop();
  });
  auto started = std::chrono::steady_clock::now();
  hub.Wait("TCCB", hub.Generation("TCCB"), milliseconds(5000));
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2000));
  EXPECT_TRUE(hub.Stopped());
  stopper.join();
}

}  // namespace
}  // namespace cchc::notification
