// Delivery isolation on a live notification service over real PostgreSQL and the embedded broker: endpoints
// that never answer, or answer slowly, hold at most their share of attempts (two at once each) while healthy
// subscribers get every delivery promptly; an endpoint that keeps failing opens its circuit breaker, its
// deliveries wait without spending attempts, one trial goes through after the open period and its success
// closes the breaker; a per-endpoint rate spaces one endpoint's deliveries. Each case checks that every delivery
// arrives and that none is attempted more than its outcome needs.
#include <signal.h>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

int MaxConcurrent(const std::vector<nlohmann::json>& posts) {
  int most = 0;
  for (const auto& p : posts) most = std::max(most, p["concurrent"].get<int>());
  return most;
}

class NotificationIsolationTest : public NotificationTest {
 protected:
  static void Restart(const std::vector<std::string>& extra = {}) {
    StopNotification(SIGTERM);
    StartNotification(extra);
  }
  static double Metric(const std::string& series) {
    return std::max(0.0, MetricValue(HttpGet(metrics_port_, "/metrics"), series));
  }
  static int64_t Attempts(const std::string& subscriber) {
    return Count("SELECT COALESCE(sum(attempt_count), 0) FROM notification.deliveries WHERE subscriber_id = '" +
                 subscriber + "'");
  }
  static int64_t Delivered(const std::string& subscriber) {
    return Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = '" + subscriber +
                 "' AND state = 2");
  }
};

TEST_F(NotificationIsolationTest, BlackHoledAndSlowEndpointsHoldTwoAttemptsEachAndDelayNoHealthyOne) {
  const std::string field = "Thi đua - Khen thưởng";
  for (int i = 1; i <= 3; ++i) {
    std::string id = "ISODEAD" + std::to_string(i);
    CreateSubscriber(id, "SGDĐT-TCCB", "/hold/isodead" + std::to_string(i));
    SubscribeToCchcDocuments(id, {nv1::WEBHOOK}, field);
  }
  CreateSubscriber("ISOSLOW", "SGDĐT-TCCB", "/slow/1500/isoslow");
  SubscribeToCchcDocuments("ISOSLOW", {nv1::WEBHOOK}, field);
  for (const char* id : {"ISOOK1", "ISOOK2"}) {
    CreateSubscriber(id, "SGDĐT-TCCB", std::string("/") + id);
    SubscribeToCchcDocuments(id, {nv1::WEBHOOK}, field);
  }
  const int kEvents = 6;
  const auto produced = std::chrono::steady_clock::now();
  for (int i = 0; i < kEvents; ++i)
    ProduceDocumentPublished("88888888-0000-4000-8000-00000000000" + std::to_string(i),
                             std::to_string(80 + i) + "/KH-SGDĐT", field);
  // Twelve deliveries to the healthy endpoints while three never answer and one takes 1.5 s: all arrive within
  // a few seconds (one at a time behind the black holes, they would wait 5 s each).
  ASSERT_TRUE(
      WaitFor([&] { return WebhookPosts("/ISOOK1").size() == kEvents && WebhookPosts("/ISOOK2").size() == kEvents; },
              std::chrono::seconds(8)))
      << "healthy endpoints got " << WebhookPosts("/ISOOK1").size() << " and " << WebhookPosts("/ISOOK2").size();
  const auto healthy_done = std::chrono::steady_clock::now() - produced;
  EXPECT_LT(healthy_done, std::chrono::seconds(5));
  // Each black hole holds exactly two attempts: the others of its six wait, unattempted.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  for (int i = 1; i <= 3; ++i) {
    auto posts = WebhookPosts("/hold/isodead" + std::to_string(i));
    EXPECT_EQ(posts.size(), 2u) << "black hole " << i;
    EXPECT_LE(MaxConcurrent(posts), 2);
  }
  // The slow endpoint gets all six, never more than two at once.
  ASSERT_TRUE(WaitFor([] { return Delivered("ISOSLOW") == kEvents; }, std::chrono::seconds(15)));
  EXPECT_EQ(MaxConcurrent(WebhookPosts("/slow/1500/isoslow")), 2);
  EXPECT_EQ(WebhookPosts("/slow/1500/isoslow").size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(Attempts("ISOSLOW"), kEvents);
  // Nothing twice to the healthy ones, each delivered at its first attempt.
  for (const char* id : {"ISOOK1", "ISOOK2"}) {
    EXPECT_EQ(Delivered(id), kEvents) << id;
    EXPECT_EQ(Attempts(id), kEvents) << id;
  }
  for (int i = 1; i <= 3; ++i) HttpGet(webhook_port_, "/release/isodead" + std::to_string(i));
}

TEST_F(NotificationIsolationTest, BreakerOpensHoldsDeliveriesUnspentThenOneTrialClosesIt) {
  Restart({"--delivery-breaker-failures", "2", "--delivery-breaker-open-seconds", "3", "--backoff-base-ms", "100",
           "--backoff-cap-ms", "200", "--webhook-retry-schedule", "100ms,200ms"});
  const std::string field = "Cơ sở vật chất";
  CreateSubscriber("ISOBREAK", "SGDĐT-TCCB", "/down/isobreak");
  SubscribeToCchcDocuments("ISOBREAK", {nv1::WEBHOOK}, field);
  for (int i = 0; i < 3; ++i)
    ProduceDocumentPublished("99999999-0000-4000-8000-00000000000" + std::to_string(i),
                             std::to_string(90 + i) + "/KH-SGDĐT", field);
  ASSERT_TRUE(WaitFor(
      [] {
        return Count(
                   "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = "
                   "'ISOBREAK'") == 3;
      },
      std::chrono::seconds(15)));
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/down/isobreak").size() >= 2; }, std::chrono::seconds(10)));
  // Two failures opened the breaker: for its three seconds nothing is attempted and nothing spent. The third
  // delivery may have been claimed between the first failure and the second (the breaker was still closed
  // then), so two or three attempts came before it opened — never more, and none while it is open.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const size_t failed = WebhookPosts("/down/isobreak").size();
  ASSERT_TRUE(failed == 2u || failed == 3u) << failed;
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  EXPECT_EQ(WebhookPosts("/down/isobreak").size(), failed);
  EXPECT_EQ(Attempts("ISOBREAK"), static_cast<int>(failed));
  EXPECT_EQ(Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'ISOBREAK' AND state = 1"), 3);
  EXPECT_EQ(Metric("cchc_delivery_endpoints_open"), 1);
  EXPECT_EQ(Metric("cchc_delivery_breaker_changes_total{to=\"open\"}"), 1);
  HttpGet(webhook_port_, "/up/isobreak");
  ASSERT_TRUE(WaitFor([] { return Delivered("ISOBREAK") == 3; }, std::chrono::seconds(15)));
  auto posts = WebhookPosts("/down/isobreak");
  ASSERT_EQ(posts.size(), failed + 3) << "the failures, then one post per delivery";
  // The trial came once the open period (from the second failure) had passed, alone: the next post only after
  // it closed the breaker.
  EXPECT_GE(posts[failed]["received_at"].get<double>() - posts[1]["received_at"].get<double>(), 2.8);
  EXPECT_EQ(posts[failed]["concurrent"].get<int>(), 1);
  EXPECT_EQ(Attempts("ISOBREAK"), static_cast<int>(failed) + 3);
  EXPECT_EQ(Metric("cchc_delivery_breaker_changes_total{to=\"closed\"}"), 1);
  EXPECT_TRUE(WaitFor([] { return Metric("cchc_delivery_endpoints_open") == 0; }, std::chrono::seconds(3)))
      << "the gauge, updated once a second";
  EXPECT_GE(Metric("cchc_delivery_deferred_total"), 1) << "the waiting deliveries were put off to the trial";
  Restart();
}

TEST_F(NotificationIsolationTest, RateSpacesOneEndpointsDeliveriesWithoutSpendingAttempts) {
  Restart({"--delivery-endpoint-rate", "2", "--delivery-endpoint-concurrency", "8"});
  const std::string field = "Pháp chế";
  CreateSubscriber("ISORATE", "SGDĐT-TCCB", "/isorate");
  SubscribeToCchcDocuments("ISORATE", {nv1::WEBHOOK}, field);
  const int kEvents = 8;
  for (int i = 0; i < kEvents; ++i)
    ProduceDocumentPublished("aaaaaaaa-0000-4000-8000-00000000000" + std::to_string(i),
                             std::to_string(60 + i) + "/KH-SGDĐT", field);
  // (The consumer may first wait for its group to settle after the restarts.)
  ASSERT_TRUE(WaitFor(
      [] { return Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'ISORATE'") == kEvents; },
      std::chrono::seconds(60)));
  ASSERT_TRUE(WaitFor([] { return Delivered("ISORATE") == kEvents; }, std::chrono::seconds(20)))
      << Sql("SELECT string_agg(state || ' ' || attempt_count || ' ' || due_at || ' ' || COALESCE(lease_until::text, "
             "'-'), E'\\n') FROM notification.deliveries WHERE subscriber_id = 'ISORATE'")
      << "\nposts " << WebhookPosts("/isorate").size() << "\n"
      << service_->Log();
  auto posts = WebhookPosts("/isorate");
  ASSERT_EQ(posts.size(), static_cast<size_t>(kEvents));
  // Two a second, after a first second's burst of two: eight take three seconds at least.
  EXPECT_GE(posts.back()["received_at"].get<double>() - posts.front()["received_at"].get<double>(), 2.5);
  // In any stretch of t seconds, at most 2 + 2t posts (the bucket, then the rate).
  for (size_t i = 0; i < posts.size(); ++i)
    for (size_t j = i + 1; j < posts.size(); ++j) {
      double t = posts[j]["received_at"].get<double>() - posts[i]["received_at"].get<double>();
      EXPECT_LE(static_cast<double>(j - i + 1), 2 + 2 * t + 0.5) << "posts " << i << " to " << j;
    }
  EXPECT_EQ(Attempts("ISORATE"), kEvents) << "waiting for the rate spends no attempt";
  Restart();
}

}  // namespace
}  // namespace cchc::testing
