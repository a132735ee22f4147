#include "task_runner.h"

#include <gtest/gtest.h>

#include <atomic>

namespace cchc::notification {
namespace {

using std::chrono::milliseconds;

bool Eventually(const std::function<bool()>& done) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(milliseconds(1));
  return done();
}

TEST(TaskRunner, RunsPostedTasksOnItsThreads) {
  TaskRunner runner(2);
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) runner.Post([&] { ++ran; });
  EXPECT_TRUE(Eventually([&] { return ran == 100; }));
}

TEST(TaskRunner, DelayedTaskRunsNoEarlierThanItsDelayAndDoesNotHoldOthersUp) {
  TaskRunner runner(1);
  auto start = std::chrono::steady_clock::now();
  std::atomic<int64_t> late_ms{-1}, soon_ms{-1};
  auto since = [&] {
    return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
  };
  runner.PostAfter(milliseconds(200), [&] { late_ms = since(); });
  runner.PostAfter(milliseconds(20), [&] { soon_ms = since(); });
  EXPECT_TRUE(Eventually([&] { return late_ms >= 0; }));
  EXPECT_GE(soon_ms, 20);
  EXPECT_LT(soon_ms, 200) << "the earlier timer is not held up by the later one";
  EXPECT_GE(late_ms, 200);
}

TEST(TaskRunner, StopDropsWhatHasNotStartedAndRefusesMore) {
  std::atomic<int> ran{0};
  {
    TaskRunner runner(1);
    runner.PostAfter(milliseconds(60000), [&] { ++ran; });
    runner.Stop();
    runner.Post([&] { ++ran; });
  }  // the destructor stops again: nothing happens
  EXPECT_EQ(ran, 0);
}

}  // namespace
}  // namespace cchc::notification
