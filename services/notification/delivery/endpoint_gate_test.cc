// The per-endpoint gate's rules on an injected clock: in-flight limit, rate, breaker closed → open → half-open →
// closed, deferrals, and that waiting spends nothing.
#include "endpoint_gate.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cchc::notification {
namespace {

using namespace std::chrono_literals;
using Refusal = EndpointGate::Refusal;
const EndpointGate::Clock::time_point kT0 = EndpointGate::Clock::time_point{} + 1000h;
const std::string kA = WebhookEndpoint("https://a.example/hook");
const std::string kB = WebhookEndpoint("https://b.example/hook");

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(EndpointGate, AtMostMaxInFlightPerEndpointOthersUnaffected) {
  EndpointGate gate({.max_in_flight = 2, .rate_per_second = 100});
  EXPECT_EQ(gate.TryAcquire(kA, kT0), Refusal::kNone);
  EXPECT_EQ(gate.TryAcquire(kA, kT0), Refusal::kNone);
  EXPECT_EQ(gate.TryAcquire(kA, kT0), Refusal::kBusy);
  EXPECT_EQ(gate.TryAcquire(kB, kT0), Refusal::kNone);
  auto blocked = gate.Blocked(kT0);
  EXPECT_TRUE(Contains(blocked, kA));
  EXPECT_FALSE(Contains(blocked, kB));
  gate.Release(kA, true, kT0 + 1ms);
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 1ms), Refusal::kNone);
}

TEST(EndpointGate, RateIsTokensPerSecondWithOneSecondOfBurst) {
  EndpointGate gate({.max_in_flight = 100, .rate_per_second = 10});
  int admitted = 0;
  for (int i = 0; i < 30; ++i) admitted += gate.TryAcquire(kA, kT0) == Refusal::kNone;
  EXPECT_EQ(admitted, 10);
  EXPECT_EQ(gate.TryAcquire(kA, kT0), Refusal::kRateLimited);
  EXPECT_TRUE(Contains(gate.Blocked(kT0), kA));
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 99ms), Refusal::kRateLimited);
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 100ms), Refusal::kNone);  // one token a tenth of a second
  EXPECT_EQ(gate.TryAcquire(kB, kT0), Refusal::kNone);
  // Out of tokens, its deliveries wait for the next one.
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 100ms), Refusal::kRateLimited);
  auto deferrals = gate.Deferrals(kT0 + 150ms);
  ASSERT_EQ(deferrals.size(), 1u);
  EXPECT_EQ(deferrals[0].endpoint, kA);
  EXPECT_NEAR(std::chrono::duration<double>(deferrals[0].until - kT0).count(), 0.2, 1e-6);
  // Over 10 s, 10 a second and no more (plus the bucket, full at the start).
  admitted = 0;
  for (int ms = 0; ms < 10000; ms += 10)
    admitted += gate.TryAcquire(kB, kT0 + 1s + std::chrono::milliseconds(ms)) == Refusal::kNone;
  EXPECT_GE(admitted, 99);  // 100, less one to rounding in the tenths of tokens
  EXPECT_LE(admitted, 110);
}

TEST(EndpointGate, FiveFailuresInARowOpenThenHalfOpenTrialClosesOnSuccess) {
  EndpointGate gate({.max_in_flight = 1, .rate_per_second = 1000, .open_for = 30s});
  auto t = kT0;
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(gate.TryAcquire(kA, t), Refusal::kNone);
    EXPECT_EQ(gate.Release(kA, false, t += 1s), BreakerState::kClosed);
  }
  ASSERT_EQ(gate.TryAcquire(kA, t), Refusal::kNone);
  bool changed = false;
  EXPECT_EQ(gate.Release(kA, false, t += 1s, 1s, &changed), BreakerState::kOpen);
  EXPECT_TRUE(changed);
  auto opened = t;
  // Open: nothing admitted, the endpoint blocked, its deliveries deferred to the half-open time.
  EXPECT_EQ(gate.TryAcquire(kA, opened + 29s), Refusal::kOpen);
  EXPECT_TRUE(Contains(gate.Blocked(opened + 29s), kA));
  auto deferrals = gate.Deferrals(opened + 1s);
  ASSERT_EQ(deferrals.size(), 1u);
  EXPECT_EQ(deferrals[0].endpoint, kA);
  EXPECT_EQ(deferrals[0].until, opened + 30s);
  EXPECT_EQ(gate.OpenCount(opened + 1s), 1);
  EXPECT_EQ(gate.TryAcquire(kB, opened + 1s), Refusal::kNone);  // others flow
  // Half-open after 30 s: one trial, and no second while it runs.
  EXPECT_EQ(gate.State(kA, opened + 30s), BreakerState::kHalfOpen);
  EXPECT_EQ(gate.TryAcquire(kA, opened + 30s), Refusal::kNone);
  EXPECT_EQ(gate.TryAcquire(kA, opened + 30s), Refusal::kOpen);
  EXPECT_TRUE(Contains(gate.Blocked(opened + 31s), kA));
  EXPECT_EQ(gate.Release(kA, true, opened + 31s, 1s, &changed), BreakerState::kClosed);
  EXPECT_TRUE(changed);
  EXPECT_EQ(gate.TryAcquire(kA, opened + 31s), Refusal::kNone);
  EXPECT_EQ(gate.OpenCount(opened + 31s), 0);
}

TEST(EndpointGate, FailedTrialOpensAgainForAnotherPeriod) {
  EndpointGate gate({.max_in_flight = 5, .rate_per_second = 1000, .consecutive_failures = 2, .open_for = 10s});
  gate.TryAcquire(kA, kT0);
  gate.TryAcquire(kA, kT0);
  gate.Release(kA, false, kT0);
  EXPECT_EQ(gate.Release(kA, false, kT0), BreakerState::kOpen);
  ASSERT_EQ(gate.TryAcquire(kA, kT0 + 10s), Refusal::kNone);
  EXPECT_EQ(gate.Release(kA, false, kT0 + 12s), BreakerState::kOpen);
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 21s), Refusal::kOpen);
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 22s), Refusal::kNone);
}

TEST(EndpointGate, HalfOfTheLastTwentyFailingOpensWithoutFiveInARow) {
  EndpointGate gate({.max_in_flight = 1, .rate_per_second = 1000});
  auto t = kT0;
  // Alternating success and failure: never two failures in a row, but 50 % of the last 20.
  for (int i = 0; i < 19; ++i) {
    ASSERT_EQ(gate.TryAcquire(kA, t), Refusal::kNone) << i;
    EXPECT_EQ(gate.Release(kA, i % 2 == 0, t += 10ms), BreakerState::kClosed) << i;
  }
  ASSERT_EQ(gate.TryAcquire(kA, t), Refusal::kNone);
  EXPECT_EQ(gate.Release(kA, false, t += 10ms), BreakerState::kOpen);
  // Fewer than 20 attempts never open by ratio: 2 of 3 failed is not enough.
  EndpointGate other({.max_in_flight = 1, .rate_per_second = 1000});
  for (bool ok : {false, true, false}) {
    other.TryAcquire(kB, kT0);
    EXPECT_EQ(other.Release(kB, ok, kT0), BreakerState::kClosed);
  }
}

TEST(EndpointGate, AbandonedAttemptFreesItsSlotAndAnUnmadeTrialLetsAnotherThrough) {
  EndpointGate gate({.max_in_flight = 1, .rate_per_second = 1000, .consecutive_failures = 1, .open_for = 1s});
  gate.TryAcquire(kA, kT0);
  gate.Abandon(kA);
  EXPECT_EQ(gate.TryAcquire(kA, kT0), Refusal::kNone);
  EXPECT_EQ(gate.Release(kA, false, kT0), BreakerState::kOpen);
  ASSERT_EQ(gate.TryAcquire(kA, kT0 + 1s), Refusal::kNone);  // the trial
  gate.Abandon(kA);
  EXPECT_EQ(gate.State(kA, kT0 + 1s), BreakerState::kHalfOpen);
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 1s), Refusal::kNone);
}

TEST(EndpointGate, SlowEndpointAtItsLimitIsPacedABusyQuickOneIsNot) {
  EndpointGate gate({.max_in_flight = 2, .rate_per_second = 1000, .slow_after = 2s});
  // A quick endpoint at its limit with a backlog is not put off: its slots free within milliseconds.
  auto t = kT0;
  for (int i = 0; i < 20; ++i) {
    gate.TryAcquire(kB, t);
    gate.Release(kB, true, t += 5ms, 5ms);
  }
  gate.TryAcquire(kB, t);
  gate.TryAcquire(kB, t);
  EXPECT_TRUE(gate.Deferrals(t).empty());
  // One whose attempts take 4 s: at its limit, its deliveries are due one every 2 s (two at a time).
  for (int i = 0; i < 20; ++i) {
    gate.TryAcquire(kA, t);
    gate.Release(kA, true, t += 4s, 4s);
  }
  gate.TryAcquire(kA, t);
  EXPECT_TRUE(gate.Deferrals(t).empty()) << "below its limit";
  gate.TryAcquire(kA, t);
  std::vector<EndpointGate::Deferral> slow;
  for (const auto& d : gate.Deferrals(t))
    if (d.endpoint == kA) slow.push_back(d);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_NEAR(std::chrono::duration<double>(slow[0].until - t).count(), 2.0, 0.05);
  EXPECT_NEAR(std::chrono::duration<double>(slow[0].spacing).count(), 2.0, 0.05);
}

TEST(EndpointGate, IdleEndpointsAreForgottenOpenOnesKept) {
  EndpointGate gate({.max_in_flight = 1, .rate_per_second = 1000, .consecutive_failures = 1, .open_for = 1h});
  gate.TryAcquire(kA, kT0);
  gate.Release(kA, true, kT0);
  gate.TryAcquire(kB, kT0);
  gate.Release(kB, false, kT0);  // open for an hour
  EXPECT_EQ(gate.Tracked(), 2u);
  gate.Blocked(kT0 + 11min);
  EXPECT_EQ(gate.Tracked(), 1u);
  EXPECT_EQ(gate.State(kB, kT0 + 11min), BreakerState::kOpen);
}

TEST(EndpointGate, EndpointNamesSeparateChannelsAndFoldAddressCase) {
  EXPECT_EQ(EmailEndpoint("VanThu@SGDDT.edu.vn"), "email vanthu@sgddt.edu.vn");
  EXPECT_NE(WebhookEndpoint("x"), EmailEndpoint("x"));
}

TEST(EndpointGate, SlowDownHalvesTheRateAndHoldsTheEndpointUntilItsTime) {
  EndpointGate gate({.max_in_flight = 100, .rate_per_second = 8});
  gate.SlowDown(kA, kT0 + 30s, kT0);
  EXPECT_DOUBLE_EQ(gate.RateOf(kA, kT0), 4);
  EXPECT_EQ(gate.TryAcquire(kA, kT0 + 29s), Refusal::kRateLimited);
  EXPECT_TRUE(Contains(gate.Blocked(kT0 + 29s), kA));
  EXPECT_EQ(gate.TryAcquire(kB, kT0), Refusal::kNone);  // others unaffected
  auto deferrals = gate.Deferrals(kT0 + 1s);
  auto a = std::find_if(deferrals.begin(), deferrals.end(), [](const auto& d) { return d.endpoint == kA; });
  ASSERT_NE(a, deferrals.end());
  EXPECT_EQ(a->until, kT0 + 30s);
  EXPECT_EQ(a->spacing, std::chrono::duration_cast<EndpointGate::Clock::duration>(250ms));
  // At its time: at most four a second (a bucket of four).
  int admitted = 0;
  for (int i = 0; i < 10; ++i) admitted += gate.TryAcquire(kA, kT0 + 30s) == Refusal::kNone;
  EXPECT_EQ(admitted, 4);
  // Halving again, down to a floor; successes double it back.
  for (int i = 0; i < 10; ++i) gate.SlowDown(kA, kT0, kT0 + 31s);
  EXPECT_DOUBLE_EQ(gate.RateOf(kA, kT0 + 31s), 8.0 / 64);
  gate.Release(kA, true, kT0 + 32s);
  EXPECT_DOUBLE_EQ(gate.RateOf(kA, kT0 + 32s), 8.0 / 32);
  for (int i = 0; i < 3; ++i) gate.Release(kA, true, kT0 + 32s);
  EXPECT_DOUBLE_EQ(gate.RateOf(kA, kT0 + 32s), 2);
  gate.Release(kA, false, kT0 + 32s);
  EXPECT_DOUBLE_EQ(gate.RateOf(kA, kT0 + 32s), 2);  // a plain failure changes no rate
}

}  // namespace
}  // namespace cchc::notification
