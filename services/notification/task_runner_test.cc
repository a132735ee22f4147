#include "task_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

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

TEST(TaskRunner, ACancelledTimerNeverRunsAndIsGone) {
  TaskRunner runner(1);
  std::atomic<int> ran{0};
  auto cancelled = runner.PostAfter(milliseconds(30), [&] { ran += 100; });
  runner.PostAfter(milliseconds(60), [&] { ran += 1; });
  EXPECT_EQ(runner.TimerCount(), 2u);
  runner.Cancel(cancelled);
  EXPECT_EQ(runner.TimerCount(), 1u);
  EXPECT_TRUE(Eventually([&] { return ran > 0; }));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(ran, 1) << "only the timer not cancelled ran";
  EXPECT_EQ(runner.TimerCount(), 0u);
  runner.Cancel(cancelled);  // again, and for timers that ran or never were: nothing happens
  runner.Cancel(0);
  runner.Cancel(12345);
}

TEST(TaskRunner, ANewFirstTimerWakesAThreadSleepingUntilALaterOne) {
  // Posting a timer wakes an idle thread only when it is due first; this one is, while both threads sleep
  // until the minute-long one.
  TaskRunner runner(2);
  auto start = std::chrono::steady_clock::now();
  runner.PostAfter(milliseconds(60000), [] {});
  std::this_thread::sleep_for(milliseconds(50));
  std::atomic<bool> ran{false};
  runner.PostAfter(milliseconds(20), [&] { ran = true; });
  EXPECT_TRUE(Eventually([&] { return ran.load(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // A later one needs no wake-up: the threads already wait for the earlier deadline.
  std::atomic<bool> later{false};
  runner.PostAfter(milliseconds(40), [&] { later = true; });
  runner.PostAfter(milliseconds(10), [] {});
  EXPECT_TRUE(Eventually([&] { return later.load(); }));
}

TEST(TaskRunner, ArmingATimerWakesTheThreadOnlyWhenItSleepsUntilALaterDeadlineOrNone) {
  TaskRunner runner(1);
  using Clock = std::chrono::steady_clock;
  // The thread sleeps until a deadline between `from` and `to` from now.
  auto sleeps_until = [&](milliseconds from, milliseconds to) {
    return Eventually([&] {
      auto s = runner.SleepingThreads();
      auto now = Clock::now();
      return s.without_timer == 0 && s.until.size() == 1 && s.until[0] > now + from && s.until[0] < now + to;
    });
  };
  ASSERT_TRUE(Eventually([&] { return runner.SleepingThreads().without_timer == 1; }));
  runner.PostAfter(milliseconds(60000), [] {});  // it sleeps with no timer: woken to wait for this one
  EXPECT_EQ(runner.TimerWakeUps(), 1u);
  ASSERT_TRUE(sleeps_until(milliseconds(50000), milliseconds(61000)));
  runner.PostAfter(milliseconds(120000), [] {});  // later than what it sleeps until: no wake-up
  EXPECT_EQ(runner.TimerWakeUps(), 1u);
  runner.PostAfter(milliseconds(30000), [] {});  // earlier: woken
  EXPECT_EQ(runner.TimerWakeUps(), 2u);
  ASSERT_TRUE(sleeps_until(milliseconds(20000), milliseconds(31000)));
  runner.PostAfter(milliseconds(45000), [] {});  // later than the 30 s one it now sleeps until
  runner.PostAfter(milliseconds(90000), [] {});
  EXPECT_EQ(runner.TimerWakeUps(), 2u);
  EXPECT_EQ(runner.TimerCount(), 5u);
}

TEST(TaskRunner, StopDropsWhatHasNotStartedAndRefusesMore) {
  std::atomic<int> ran{0};
  {
    TaskRunner runner(1);
    runner.PostAfter(milliseconds(60000), [&] { ++ran; });
    runner.Stop();
    runner.Post([&] { ++ran; });
    EXPECT_EQ(runner.PostAfter(milliseconds(1), [&] { ++ran; }), 0u);
  }  // the destructor stops again: nothing happens
  EXPECT_EQ(ran, 0);
}

}  // namespace
}  // namespace cchc::notification
