#include "rules/retry.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

TEST(Retry, WebhookClassification) {
  EXPECT_EQ(Classify({200, ""}, false, 1, 5), Verdict::kDelivered);
  EXPECT_EQ(Classify({500, "HTTP 500"}, false, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({503, "HTTP 503"}, false, 4, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({503, "HTTP 503"}, false, 5, 5), Verdict::kDeadLetter);
  EXPECT_EQ(Classify({0, "Timeout was reached"}, false, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({408, "HTTP 408"}, false, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({429, "HTTP 429"}, false, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({400, "HTTP 400"}, false, 1, 5), Verdict::kDeadLetter);
  EXPECT_EQ(Classify({404, "HTTP 404"}, false, 1, 5), Verdict::kDeadLetter);
  // A redirect is a failure worth retrying (never followed).
  EXPECT_EQ(Classify({301, "HTTP 301"}, false, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({307, "HTTP 307"}, false, 5, 5), Verdict::kDeadLetter);
}

TEST(Retry, SmtpClassification) {
  EXPECT_EQ(Classify({250, ""}, true, 1, 5), Verdict::kDelivered);
  EXPECT_EQ(Classify({451, "SMTP"}, true, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({0, "Couldn't connect"}, true, 1, 5), Verdict::kRetry);
  EXPECT_EQ(Classify({550, "SMTP"}, true, 1, 5), Verdict::kDeadLetter);
  // A refused STARTTLS comes after a 250 to EHLO; a failed certificate check with no reply at all.
  EXPECT_EQ(Classify({250, "no STARTTLS", true}, true, 1, 5), Verdict::kDeadLetter);
  EXPECT_EQ(Classify({0, "certificate failed verification", true}, true, 1, 5), Verdict::kDeadLetter);
}

TEST(Retry, BackoffDoublesUpToTheCapWithFullJitter) {
  BackoffPolicy p{std::chrono::milliseconds(100), std::chrono::milliseconds(1000)};
  EXPECT_EQ(BackoffCeiling(p, 1).count(), 100);
  EXPECT_EQ(BackoffCeiling(p, 2).count(), 200);
  EXPECT_EQ(BackoffCeiling(p, 4).count(), 800);
  EXPECT_EQ(BackoffCeiling(p, 5).count(), 1000);
  EXPECT_EQ(BackoffCeiling(p, 60).count(), 1000);
  std::mt19937_64 rng(42);
  int64_t low = 1000, high = 0;
  for (int i = 0; i < 2000; ++i) {
    int64_t d = BackoffDelay(p, 3, rng).count();
    ASSERT_GE(d, 0);
    ASSERT_LE(d, 400);
    low = std::min(low, d), high = std::max(high, d);
  }
  EXPECT_LT(low, 40) << "full jitter reaches near zero";
  EXPECT_GT(high, 360) << "and near the ceiling";
}

}  // namespace
}  // namespace cchc::notification

namespace cchc::notification {
namespace {

TEST(Classify, PermanentFailureIsADeadLetterOnTheFirstAttempt) {
  AttemptResult refused{0, "refused by the SSRF policy: 10.0.0.5 is private (10.0.0.0/8)"};
  EXPECT_EQ(Classify(refused, false, 1, 8), Verdict::kRetry);  // without the flag: a network error
  refused.permanent = true;
  EXPECT_EQ(Classify(refused, false, 1, 8), Verdict::kDeadLetter);
  EXPECT_EQ(Classify(refused, true, 1, 8), Verdict::kDeadLetter);
}

}  // namespace
}  // namespace cchc::notification
