#include "download_gate.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

using namespace std::chrono_literals;

// Deadlines far off for the watchdog: the tests drive CancelOverdue with their own clock.
DownloadLimits Limits(int concurrency) {
  DownloadLimits limits;
  limits.concurrency = concurrency;
  limits.idle = 2s;
  limits.overall = 10s;
  limits.check_interval = 1h;
  return limits;
}

TEST(DownloadGate, RefusesPastItsConcurrencyAndFreesAPlaceWhenOneEnds) {
  metrics::Registry registry;
  DownloadGate gate(Limits(2), &registry);
  auto a = gate.TryEnter([] {});
  auto b = gate.TryEnter([] {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(gate.TryEnter([] {}), nullptr);
  EXPECT_EQ(gate.Running(), 2);
  a.reset();
  EXPECT_NE(gate.TryEnter([] {}), nullptr);
  auto page = registry.Render();
  EXPECT_NE(page.find("cchc_downloads_refused_total 1"), std::string::npos) << page;
}

TEST(DownloadGate, CancelsAnIdleDownloadOnceAndLeavesABusyOne) {
  DownloadGate gate(Limits(4));
  int idle_cancels = 0, busy_cancels = 0;
  auto idle = gate.TryEnter([&] { ++idle_cancels; });
  auto busy = gate.TryEnter([&] { ++busy_cancels; });
  auto start = DownloadGate::Clock::now();
  EXPECT_EQ(gate.CancelOverdue(start + 1s), 0);
  busy->Progress(start + 1s);  // the client took a chunk
  EXPECT_EQ(gate.CancelOverdue(start + 2s + 100ms), 1);
  EXPECT_EQ(idle->Cancelled(), DownloadGate::Overdue::kIdle);
  EXPECT_EQ(busy->Cancelled(), DownloadGate::Overdue::kNo);
  EXPECT_EQ(gate.CancelOverdue(start + 2s + 200ms), 0);  // once only
  EXPECT_EQ(idle_cancels, 1);
  EXPECT_EQ(busy_cancels, 0);
}

TEST(DownloadGate, CancelsADownloadPastItsOverallDeadlineEvenWhileItProgresses) {
  DownloadGate gate(Limits(4));
  int cancels = 0;
  auto ticket = gate.TryEnter([&] { ++cancels; });
  auto start = DownloadGate::Clock::now();
  EXPECT_FALSE(ticket->PastOverall(start + 9s));
  EXPECT_TRUE(ticket->PastOverall(start + 11s));
  ticket->Progress(start + 11s);
  EXPECT_EQ(gate.CancelOverdue(start + 11s), 1);
  EXPECT_EQ(ticket->Cancelled(), DownloadGate::Overdue::kOverall);
  EXPECT_EQ(cancels, 1);
}

TEST(DownloadGate, TheWatchdogCancelsWithoutBeingAsked) {
  DownloadLimits limits;
  limits.concurrency = 1;
  limits.idle = 50ms;
  limits.check_interval = 10ms;
  DownloadGate gate(limits);
  std::atomic<bool> cancelled{false};
  auto ticket = gate.TryEnter([&] { cancelled = true; });
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!cancelled && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(ticket->Cancelled(), DownloadGate::Overdue::kIdle);
}

}  // namespace
}  // namespace cchc::document
