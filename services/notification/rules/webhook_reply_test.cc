#include "rules/webhook_reply.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2026-12-07 13:00:00 UTC.
const auto kNow = std::chrono::system_clock::from_time_t(1796648400);

TEST(WebhookReply, DeliveryDirectiveIsCaseInsensitiveAndTrimmed) {
  EXPECT_EQ(ParseDeliveryDirective("disable"), DeliveryDirective::kDisable);
  EXPECT_EQ(ParseDeliveryDirective("  Disable\t"), DeliveryDirective::kDisable);
  EXPECT_EQ(ParseDeliveryDirective("abort-message"), DeliveryDirective::kAbortMessage);
  EXPECT_EQ(ParseDeliveryDirective("ABORT-MESSAGE"), DeliveryDirective::kAbortMessage);
  EXPECT_EQ(ParseDeliveryDirective(""), DeliveryDirective::kNone);
  EXPECT_EQ(ParseDeliveryDirective("abort"), DeliveryDirective::kNone);
  EXPECT_EQ(ParseDeliveryDirective("disabled"), DeliveryDirective::kNone);
}

TEST(WebhookReply, RetryAfterSecondsAndHttpDate) {
  EXPECT_EQ(ParseRetryAfter("120", kNow), seconds(120));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), seconds(0));
  EXPECT_EQ(ParseRetryAfter("Mon, 07 Dec 2026 13:01:30 GMT", kNow), seconds(90));
  EXPECT_EQ(ParseRetryAfter("Mon, 07 Dec 2026 12:00:00 GMT", kNow), seconds(0));  // past: at once
  EXPECT_EQ(ParseRetryAfter("99999999999999999999", kNow), seconds(999999999));   // huge: the caller bounds it
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-5", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("1.5", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("soon", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Mon, 07 Dec 2026 13:01:30 GMT trailing", kNow), std::nullopt);
}

TEST(WebhookReply, GoneAndDisableHeaderDisableTheEndpoint) {
  auto r = ReactTo(410, "", "", kNow, seconds(3600));
  EXPECT_TRUE(r.disable_endpoint);
  EXPECT_FALSE(r.slow_down);
  EXPECT_TRUE(ReactTo(500, "", "disable", kNow, seconds(3600)).disable_endpoint);
  // A success asking to be disabled: honoured (the message itself was taken).
  r = ReactTo(200, "", "disable", kNow, seconds(3600));
  EXPECT_TRUE(r.disable_endpoint);
  EXPECT_FALSE(r.abort_message);
  EXPECT_FALSE(ReactTo(404, "", "", kNow, seconds(3600)).disable_endpoint);
}

TEST(WebhookReply, AbortMessageOnlyOnAFailure) {
  EXPECT_TRUE(ReactTo(500, "", "abort-message", kNow, seconds(3600)).abort_message);
  EXPECT_TRUE(ReactTo(0, "", "abort-message", kNow, seconds(3600)).abort_message);
  EXPECT_FALSE(ReactTo(204, "", "abort-message", kNow, seconds(3600)).abort_message);
  EXPECT_FALSE(ReactTo(500, "", "abort-message", kNow, seconds(3600)).disable_endpoint);
}

TEST(WebhookReply, ThrottlingStatusesAndRetryAfterSlowTheEndpointBounded) {
  for (int status : {429, 502, 504}) {
    auto r = ReactTo(status, "", "", kNow, seconds(3600));
    EXPECT_TRUE(r.slow_down) << status;
    EXPECT_EQ(r.wait, milliseconds(0)) << status;
  }
  EXPECT_FALSE(ReactTo(500, "", "", kNow, seconds(3600)).slow_down);
  EXPECT_FALSE(ReactTo(503, "", "", kNow, seconds(3600)).slow_down);
  auto r = ReactTo(503, "30", "", kNow, seconds(3600));
  EXPECT_TRUE(r.slow_down);
  EXPECT_EQ(r.wait, seconds(30));
  EXPECT_EQ(ReactTo(429, "86400", "", kNow, seconds(3600)).wait, seconds(3600));
  EXPECT_EQ(ReactTo(429, "garbage", "", kNow, seconds(3600)).wait, milliseconds(0));
  // A success's Retry-After means nothing.
  r = ReactTo(200, "30", "", kNow, seconds(3600));
  EXPECT_FALSE(r.slow_down);
  EXPECT_EQ(r.wait, milliseconds(0));
}

}  // namespace
}  // namespace cchc::notification
