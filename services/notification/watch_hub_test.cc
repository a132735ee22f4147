#include "watch_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>

namespace cchc::notification {
namespace {

using std::chrono::milliseconds;

TEST(WatchHub, BumpCallsTheWaitersOfThatSubscriberOnceEach) {
  WatchHub hub;
  int tccb = 0, other = 0;
  uint64_t a = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { ++tccb; });
  uint64_t b = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { ++tccb; });
  ASSERT_NE(a, 0u);
  ASSERT_NE(b, 0u);
  EXPECT_NE(a, b);
  ASSERT_NE(hub.AddWaiter("KHTC", hub.Generation("KHTC"), [&] { ++other; }), 0u);
  EXPECT_EQ(hub.WaiterCount(), 3u);
  hub.Bump("TCCB");
  EXPECT_EQ(tccb, 2);
  EXPECT_EQ(other, 0) << "another inbox is not woken";
  hub.Bump("TCCB");
  EXPECT_EQ(tccb, 2) << "a waiter is called once";
  EXPECT_EQ(hub.WaiterCount(), 1u);
}

TEST(WatchHub, WaiterIsNotRegisteredWhenTheGenerationMovedSinceTheQuery) {
  WatchHub hub;
  uint64_t seen = hub.Generation("TCCB");
  hub.Bump("TCCB");  // a row landed between the stream's query and its registration
  bool called = false;
  EXPECT_EQ(hub.AddWaiter("TCCB", seen, [&] { called = true; }), 0u) << "query again instead";
  EXPECT_EQ(hub.WaiterCount(), 0u);
  EXPECT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { called = true; }), 0u);
  EXPECT_FALSE(called);
}

TEST(WatchHub, BumpAllWakesEveryWaiterAndMovesEveryGenerationAStreamRead) {
  WatchHub hub;
  int woken = 0;
  ASSERT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { ++woken; }), 0u);
  ASSERT_NE(hub.AddWaiter("KHTC", hub.Generation("KHTC"), [&] { ++woken; }), 0u);
  uint64_t querying = hub.Generation("VP");  // a stream between its read and its registration
  hub.BumpAll();
  EXPECT_EQ(woken, 2);
  EXPECT_EQ(hub.WaiterCount(), 0u);
  EXPECT_EQ(hub.AddWaiter("VP", querying, [&] { ++woken; }), 0u) << "it must query again";
}

TEST(WatchHub, RemovedWaiterIsNotCalled) {
  WatchHub hub;
  bool called = false;
  uint64_t w = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { called = true; });
  hub.RemoveWaiter("TCCB", w);
  hub.RemoveWaiter("TCCB", w);       // twice: nothing happens
  hub.RemoveWaiter("KHTC", w + 77);  // unknown: nothing happens
  EXPECT_EQ(hub.WaiterCount(), 0u);
  hub.Bump("TCCB");
  EXPECT_FALSE(called);
}

TEST(WatchHub, WaiterMayRemoveAndAddWaitersWhenCalled) {
  WatchHub hub;
  int calls = 0;
  std::function<void()> again = [&] {
    ++calls;
    hub.AddWaiter("TCCB", hub.Generation("TCCB"), again);  // called outside the hub's lock
  };
  hub.AddWaiter("TCCB", hub.Generation("TCCB"), again);
  hub.Bump("TCCB");
  hub.Bump("TCCB");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(hub.WaiterCount(), 1u);
  hub.Stop();  // calls the last one (while `again` still exists); it may not register again
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(hub.WaiterCount(), 0u);
}

TEST(WatchHub, StopCallsEveryWaiterAndRefusesNewOnes) {
  WatchHub hub;
  int called = 0;
  hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { ++called; });
  hub.AddWaiter("KHTC", hub.Generation("KHTC"), [&] { ++called; });
  hub.Stop();
  EXPECT_EQ(called, 2);
  EXPECT_EQ(hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] { ++called; }), 0u);
  EXPECT_EQ(hub.WaiterCount(), 0u);
}

TEST(WatchHub, ConcurrentBumpsAndRegistrationsLoseNoWakeUp) {
  WatchHub hub;
  std::atomic<int> woken{0};
  std::atomic<bool> done{false};
  std::thread bumper([&] {
    while (!done) hub.Bump("TCCB");
  });
  for (int i = 0; i < 2000; ++i) {
    // Each round: register against the generation just read; either registration is refused (it moved)
    // or a later bump calls it.
    std::atomic<bool> called{false};
    uint64_t w = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&] {
      called = true;
      ++woken;
    });
    if (w == 0) continue;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!called && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    ASSERT_TRUE(called);
  }
  done = true;
  bumper.join();
  EXPECT_EQ(hub.WaiterCount(), 0u);
}

}  // namespace
}  // namespace cchc::notification
