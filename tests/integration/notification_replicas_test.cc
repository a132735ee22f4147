// Two notification-service processes (replicas) on one PostgreSQL schema, one broker and one consumer group,
// as a deployment with two pods runs them. A subscriber with a daily digest (tổng hợp hằng ngày) by webhook
// gets the events of a day as one message — never two for the same day, even though both replicas ingest
// events and both run delivery workers — and that message holds every event once: nothing lost, nothing twice.
#include <signal.h>

#include <map>
#include <set>
#include <sstream>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

int64_t Count(const std::string& sql) {
  return std::stoll(NotificationTest::Sql(sql));
}

// A counter of one replica's /metrics (0 while it has no sample).
double Metric(int metrics_port, const std::string& series) {
  return std::max(0.0, MetricValue(HttpGet(metrics_port, "/metrics"), series));
}

const std::string kCreated = "cchc_notifications_created_total{type=\"cchc.document.v1.DocumentPublished\"}";
const std::string kDelivered = "cchc_deliveries_total{channel=\"webhook\",outcome=\"delivered\"}";

class NotificationReplicasTest : public NotificationTest {
 protected:
  static void SetUpTestSuite() {
    NotificationTest::SetUpTestSuite();
    second_address_ = "127.0.0.1:" + std::to_string(FreePort());
    second_metrics_ = FreePort();
    second_ = LaunchNotification(second_address_, second_metrics_, "notification-service-2.log");
    ASSERT_TRUE(WaitUntilReady(*second_, second_metrics_)) << second_->Log();
  }
  static void TearDownTestSuite() {
    if (second_) {
      second_->Signal(SIGTERM);
      second_->Wait(std::chrono::seconds(30));
      second_.reset();
    }
    NotificationTest::TearDownTestSuite();
  }
  static std::unique_ptr<Process> second_;
  static std::string second_address_;
  static int second_metrics_;
};
std::unique_ptr<Process> NotificationReplicasTest::second_;
std::string NotificationReplicasTest::second_address_;
int NotificationReplicasTest::second_metrics_ = 0;

TEST_F(NotificationReplicasTest, DailyDigestIsOneMessagePerDayWithEveryEventOnce) {
  CreateSubscriber("DIGEST2", "SGDĐT-TCCB", "/digest");
  ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest("DIGEST2", nv1::WEBHOOK, "23:59"));

  // Events with distinct keys land on every partition of the topic; keep producing until both replicas have
  // created notifications (the second joins the group after the first and gets partitions at the rebalance),
  // then one more batch. At most 310 events: a digest carries up to 500.
  std::set<std::string> produced;
  auto produce_batch = [&produced] {
    for (int i = 0; i < 10; ++i) {
      char id[64];
      std::snprintf(id, sizeof id, "d1d1d1d1-0000-4000-8000-%012zu", produced.size());
      ProduceDocumentPublished(id, std::to_string(5000 + produced.size()) + "/QĐ-SGDĐT");
      produced.insert(id);
    }
  };
  for (int batch = 0; batch < 30; ++batch) {
    produce_batch();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (Metric(metrics_port_, kCreated) > 0 && Metric(second_metrics_, kCreated) > 0) break;
  }
  produce_batch();
  const auto n = static_cast<int64_t>(produced.size());
  ASSERT_TRUE(WaitFor(
      [&] {
        return Count(
                   "SELECT count(*) FROM notification.notifications WHERE subscriber_id = "
                   "'DIGEST2'") == n;
      },
      std::chrono::seconds(60)))
      << Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'DIGEST2'") << " of " << n;
  double first = Metric(metrics_port_, kCreated), second = Metric(second_metrics_, kCreated);
  std::cout << "replica 1 created " << first << ", replica 2 created " << second << " of " << n << "\n";
  EXPECT_GT(first, 0) << "replica 1 handled no event";
  EXPECT_GT(second, 0) << "replica 2 handled no event";
  EXPECT_EQ(first + second, n) << "an event made a notification in both replicas";

  // One digest delivery per (subscriber, channel, local day), holding each notification once. (A run across
  // local midnight splits the events over two days: still one delivery per day.)
  std::map<std::string, int64_t> per_day;
  std::istringstream days(
      Sql("SELECT digest_day::text || ' ' || count(*) FROM notification.deliveries WHERE "
          "subscriber_id = 'DIGEST2' GROUP BY digest_day ORDER BY 1"));
  for (std::string day, count; days >> day >> count;) per_day[day] = std::stoll(count);
  ASSERT_FALSE(per_day.empty());
  EXPECT_LE(per_day.size(), 2u);
  for (const auto& [day, count] : per_day) EXPECT_EQ(count, 1) << "digests for " << day;
  EXPECT_EQ(Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'DIGEST2' AND digest_day IS "
                  "NULL"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM notification.digest_items i JOIN notification.deliveries d ON d.id = "
                  "i.delivery_id WHERE d.subscriber_id = 'DIGEST2'"),
            n);

  // Make the digests due now: both replicas' workers poll; one sends each.
  Sql("UPDATE notification.deliveries SET due_at = now() WHERE subscriber_id = 'DIGEST2'");
  ASSERT_TRUE(WaitFor([&] { return WebhookPosts("/digest").size() >= per_day.size(); }, std::chrono::seconds(30)));
  ASSERT_TRUE(WaitFor(
      [] {
        return Count(
                   "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = "
                   "'DIGEST2' AND state <> 2") == 0;
      },
      std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto posts = WebhookPosts("/digest");
  ASSERT_EQ(posts.size(), per_day.size());
  EXPECT_EQ(Metric(metrics_port_, kDelivered) + Metric(second_metrics_, kDelivered),
            static_cast<double>(per_day.size()));
  std::multiset<std::string> received;
  std::set<std::string> days_posted;
  for (const auto& p : posts) {
    EXPECT_EQ(p["signature"], "v1=" + WebhookHmacHex(Secret("DIGEST2"), p["timestamp"], p["body"]));
    auto body = nlohmann::json::parse(std::string(p["body"]));
    EXPECT_EQ(body["subscriber"], "subscribers/DIGEST2");
    EXPECT_TRUE(days_posted.insert(body["digest_day"].get<std::string>()).second)
        << "two posts for " << body["digest_day"];
    for (const auto& item : body["notifications"]) received.insert(item["event"]["id"].get<std::string>());
  }
  EXPECT_EQ(received.size(), produced.size()) << "an event is missing or repeated";
  for (const auto& id : produced) EXPECT_EQ(received.count(id), 1u) << id;
  EXPECT_EQ(Count("SELECT count(*) FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = "
                  "a.delivery_id WHERE d.subscriber_id = 'DIGEST2'"),
            static_cast<int64_t>(per_day.size()));
}

}  // namespace
}  // namespace cchc::testing
