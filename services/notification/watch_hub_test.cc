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
  uint64_t a = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { ++tccb; });
  uint64_t b = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { ++tccb; });
  ASSERT_NE(a, 0u);
  ASSERT_NE(b, 0u);
  EXPECT_NE(a, b);
  ASSERT_NE(hub.AddWaiter("KHTC", hub.Generation("KHTC"), [&](uint64_t, auto) { ++other; }), 0u);
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
  EXPECT_EQ(hub.AddWaiter("TCCB", seen, [&](uint64_t, auto) { called = true; }), 0u) << "query again instead";
  EXPECT_EQ(hub.WaiterCount(), 0u);
  EXPECT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { called = true; }), 0u);
  EXPECT_FALSE(called);
}

TEST(WatchHub, BumpAllWakesEveryWaiterAndMovesEveryGenerationAStreamRead) {
  WatchHub hub;
  int woken = 0;
  ASSERT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { ++woken; }), 0u);
  ASSERT_NE(hub.AddWaiter("KHTC", hub.Generation("KHTC"), [&](uint64_t, auto) { ++woken; }), 0u);
  uint64_t querying = hub.Generation("VP");  // a stream between its read and its registration
  hub.BumpAll();
  EXPECT_EQ(woken, 2);
  EXPECT_EQ(hub.WaiterCount(), 0u);
  EXPECT_EQ(hub.AddWaiter("VP", querying, [&](uint64_t, auto) { ++woken; }), 0u) << "it must query again";
}

TEST(WatchHub, RemovedWaiterIsNotCalled) {
  WatchHub hub;
  bool called = false;
  uint64_t w = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { called = true; });
  hub.RemoveWaiter("TCCB", w);
  hub.RemoveWaiter("TCCB", w);       // twice: nothing happens
  hub.RemoveWaiter("KHTC", w + 77);  // unknown: nothing happens
  EXPECT_EQ(hub.WaiterCount(), 0u);
  hub.Bump("TCCB");
  EXPECT_FALSE(called);
}

TEST(WatchHub, AWaiterGetsTheGenerationOfItsBumpAndTheRowsItBrought) {
  WatchHub hub;
  uint64_t generation = 0;
  std::shared_ptr<const NewRows> got;
  auto keep = [&](uint64_t g, const std::shared_ptr<const NewRows>& rows) { generation = g, got = rows; };
  ASSERT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), keep), 0u);
  auto rows = std::make_shared<NewRows>();
  rows->head_before = 41;
  rows->rows.emplace_back().set_cursor(42);
  hub.Bump("TCCB", rows);
  EXPECT_EQ(generation, hub.Generation("TCCB"));
  ASSERT_EQ(got, rows);
  ASSERT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), keep), 0u);
  hub.Bump("TCCB");  // another replica's rows: the waiter must query
  EXPECT_EQ(generation, hub.Generation("TCCB"));
  EXPECT_EQ(got, nullptr);
  got = rows;
  ASSERT_NE(hub.AddWaiter("TCCB", hub.Generation("TCCB"), keep), 0u);
  hub.BumpAll();
  EXPECT_EQ(generation, hub.Generation("TCCB"));
  EXPECT_EQ(got, nullptr);
}

TEST(WatchHub, WaiterMayRemoveAndAddWaitersWhenCalled) {
  WatchHub hub;
  int calls = 0;
  WatchHub::Wake again = [&](uint64_t, auto) {
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
  hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { ++called; });
  hub.AddWaiter("KHTC", hub.Generation("KHTC"), [&](uint64_t, auto) { ++called; });
  hub.Stop();
  EXPECT_EQ(called, 2);
  EXPECT_EQ(hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) { ++called; }), 0u);
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
    uint64_t w = hub.AddWaiter("TCCB", hub.Generation("TCCB"), [&](uint64_t, auto) {
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
