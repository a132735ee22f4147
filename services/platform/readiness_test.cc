#include "readiness.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace cchc {
namespace {

using std::chrono::milliseconds;

TEST(BoundedCheck, PassesAndFailsAsItsCheckDoesAndAThrowFails) {
  bool answer = true;
  BoundedCheck check(
      "database", [&] { return answer; }, milliseconds(500));
  EXPECT_TRUE(check.Run());
  answer = false;
  EXPECT_FALSE(check.Run());
  BoundedCheck throwing(
      "broker", []() -> bool { throw std::runtime_error("down"); }, milliseconds(500));
  EXPECT_FALSE(throwing.Run());
}

TEST(BoundedCheck, AHangingCheckFailsWithinItsDeadlineAndIsNotStartedTwice) {
  std::atomic<bool> release{false};
  std::atomic<int> started{0};
  BoundedCheck check(
      "database",
      [&] {
        ++started;
        while (!release) std::this_thread::sleep_for(milliseconds(5));
        return true;
      },
      milliseconds(100));
  auto begin = std::chrono::steady_clock::now();
  EXPECT_FALSE(check.Run());
  auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(took, milliseconds(100));
  EXPECT_LT(took, milliseconds(1000));
  // Still blocked: fails at once, without a second thread.
  begin = std::chrono::steady_clock::now();
  EXPECT_FALSE(check.Run());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, milliseconds(50));
  EXPECT_EQ(started.load(), 1);
  release = true;
  // Once the blocked run ended, the next one runs and passes.
  bool passed = false;
  for (int i = 0; i < 100 && !passed; ++i) {
    passed = check.Run();
    if (!passed) std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_TRUE(passed);
  EXPECT_EQ(started.load(), 2);
}

}  // namespace
}  // namespace cchc
