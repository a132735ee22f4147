// Delivery leases on a live notification service over real PostgreSQL and the embedded broker: a webhook
// attempt at an endpoint that never answers holds no database transaction (nothing of the service is idle in
// transaction, and a healthy subscriber is served meanwhile); a service SIGKILLed while an attempt is in
// flight loses nothing: once the lease passes, the restarted service attempts the delivery again and records
// it, the receiver having seen one repeat with the same delivery id.
#include <signal.h>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

const char* const kLeaseField = "Kế hoạch - Tài chính";  // only this file's subscriptions hear it

std::string PostedDelivery(const nlohmann::json& post) {
  return nlohmann::json::parse(std::string(post["body"]))["data"]["delivery"].get<std::string>();
}

// Connections to the service's database that have sat idle inside a transaction for 300 ms or more: a
// transaction held across a network attempt would (the black hole holds it for seconds); a transaction caught
// between two of its statements, a client round trip, would not.
int64_t IdleInTransaction() {
  return NotificationTest::Count(
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in "
      "transaction%' AND clock_timestamp() - state_change > interval '300 milliseconds'");
}

class NotificationLeaseTest : public NotificationTest {
 protected:
  static void Restart(const std::vector<std::string>& extra = {}) {
    StopNotification(SIGTERM);
    StartNotification(extra);
  }
};

TEST_F(NotificationLeaseTest, BlackHoledWebhookHoldsNoTransactionAndStallsNoOtherSubscriber) {
  CreateSubscriber("LEASEHOLE", "SGDĐT-TCCB", "/hold/leasehole");
  SubscribeToCchcDocuments("LEASEHOLE", {nv1::WEBHOOK}, kLeaseField);
  CreateSubscriber("LEASEOK", "SGDĐT-TCCB", "/leaseok");
  SubscribeToCchcDocuments("LEASEOK", {nv1::WEBHOOK}, kLeaseField);
  ProduceDocumentPublished("77777777-0000-4000-8000-000000000001", "71/KH-SGDĐT", kLeaseField);
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/hold/leasehole").size() == 1; }, std::chrono::seconds(20)));
  // The other worker serves the healthy endpoint while the first one waits for the black hole.
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/leaseok").size() == 1; }, std::chrono::seconds(10)));
  // The attempt in flight is a lease, committed: no connection waits inside a transaction meanwhile.
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'LEASEHOLE' AND state = 1 AND "
                "attempt_count = 0 AND lease_until > now() AND claim_token IS NOT NULL"),
            1);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(IdleInTransaction(), 0) << "sample " << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  HttpGet(webhook_port_, "/release/leasehole");
  const std::string name = PostedDelivery(WebhookPosts("/hold/leasehole")[0]);
  ASSERT_TRUE(
      WaitFor([&] { return NotificationTest::Delivery(name).state() == nv1::DELIVERED; }, std::chrono::seconds(20)));
  auto d = NotificationTest::Delivery(name);
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).outcome(), "delivered");
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'LEASEHOLE' AND lease_until IS "
                "NULL AND claim_token IS NULL"),
            1)
      << "the recorded outcome clears the lease";
}

TEST_F(NotificationLeaseTest, SigkillMidAttemptIsRetriedOnceTheLeasePassesAndLosesNothing) {
  const std::vector<std::string> short_lease = {"--webhook-timeout-ms", "4000", "--smtp-timeout-ms", "4000",
                                                "--delivery-lease-ms",  "6000"};
  Restart(short_lease);
  CreateSubscriber("LEASEKILL", "SGDĐT-TCCB", "/hold/leasekill");
  SubscribeToCchcDocuments("LEASEKILL", {nv1::WEBHOOK}, kLeaseField);
  ProduceDocumentPublished("77777777-0000-4000-8000-000000000002", "72/KH-SGDĐT", kLeaseField);
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/hold/leasekill").size() == 1; }, std::chrono::seconds(20)));
  const auto claimed = std::chrono::steady_clock::now();
  StopNotification(SIGKILL);                     // mid-attempt: the receiver holds the post
  HttpGet(webhook_port_, "/release/leasekill");  // later posts to the path are answered at once
  StartNotification(short_lease);

  const std::string name = PostedDelivery(WebhookPosts("/hold/leasekill")[0]);
  ASSERT_TRUE(
      WaitFor([&] { return NotificationTest::Delivery(name).state() == nv1::DELIVERED; }, std::chrono::seconds(30)))
      << service_->Log();
  EXPECT_GE(std::chrono::steady_clock::now() - claimed, std::chrono::seconds(5))
      << "attempted again before the lease passed";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // no further attempt comes
  auto posts = WebhookPosts("/hold/leasekill");
  ASSERT_EQ(posts.size(), 2u) << "one repeat, no more";
  EXPECT_EQ(PostedDelivery(posts[1]), name) << "the repeat carries the same delivery id";
  EXPECT_EQ(posts[0]["body"], posts[1]["body"]);
  // The killed attempt left no record; the one after the lease is the delivery's only attempt.
  auto d = NotificationTest::Delivery(name);
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).outcome(), "delivered");
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'LEASEKILL'"),
            1);
  Restart();
}

}  // namespace
}  // namespace cchc::testing
