// Two notification-service processes (replicas) on one PostgreSQL schema, one broker and one consumer group,
// as a deployment with two pods runs them. A subscriber with a daily digest (tổng hợp hằng ngày) by webhook
// gets the events of a day as one message — never two for the same day, even though both replicas ingest
// events and both run delivery workers — and that message holds every event once: nothing lost, nothing twice.
// The same holds, with no transaction lost to a deadlock, when both replicas' consumers attach items to the
// digests of the same subscribers while their workers send and settle those digests. A Watch stream on one
// replica gets the rows the others write as they commit (the replicas tell each other), not at its idle
// re-check.
#include <signal.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

// The event ids a digest's body data lists: its items' ids, or, for a digest too large for full items (over
// 20 KB), its "event_ids".
std::vector<std::string> DigestEventIds(const nlohmann::json& data) {
  std::vector<std::string> ids;
  EXPECT_FALSE(data.contains("items_omitted")) << "a digest of at most 500 items lists every event id";
  for (const auto& item : data.value("items", nlohmann::json::array())) ids.push_back(item["id"].get<std::string>());
  for (const auto& id : data.value("event_ids", nlohmann::json::array())) ids.push_back(id.get<std::string>());
  return ids;
}

// A counter of one replica's /metrics (0 while it has no sample).
double Metric(int metrics_port, const std::string& series) {
  return std::max(0.0, MetricValue(HttpGet(metrics_port, "/metrics"), series));
}

const std::string kCreated = "cchc_notifications_created_total{type=\"cchc.document.v1.DocumentPublished\"}";
const std::string kDelivered = "cchc_deliveries_total{channel=\"webhook\",outcome=\"delivered\"}";
const std::string kMoved = "cchc_digest_items_moved_total";

// The lines of a replica's log that contain one of `words`.
std::vector<std::string> LogLines(const Process& replica, const std::vector<std::string>& words) {
  std::vector<std::string> out;
  std::istringstream log(replica.Log());
  for (std::string line; std::getline(log, line);)
    for (const auto& w : words)
      if (line.find(w) != std::string::npos) {
        out.push_back(line);
        break;
      }
  return out;
}

// Deadlocks PostgreSQL has detected in the service's database so far (every replica's transactions).
int64_t Deadlocks() {
  return NotificationTest::Count("SELECT deadlocks FROM pg_stat_database WHERE datname = 'cchc'");
}

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
        return NotificationTest::Count(
                   "SELECT count(*) FROM notification.notifications WHERE subscriber_id = "
                   "'DIGEST2'") == n;
      },
      std::chrono::seconds(60)))
      << NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'DIGEST2'")
      << " of " << n;
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
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'DIGEST2' AND digest_day IS "
                "NULL"),
            0);
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.digest_items i JOIN notification.deliveries d ON d.id = "
                "i.delivery_id WHERE d.subscriber_id = 'DIGEST2'"),
            n);

  // Make the digests due now: both replicas' workers poll; one sends each.
  Sql("UPDATE notification.deliveries SET due_at = now() WHERE subscriber_id = 'DIGEST2'");
  ASSERT_TRUE(WaitFor([&] { return WebhookPosts("/digest").size() >= per_day.size(); }, std::chrono::seconds(30)));
  ASSERT_TRUE(WaitFor(
      [] {
        return NotificationTest::Count(
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
    EXPECT_EQ(p["signature"], StandardSignature(Secret("DIGEST2"), p));
    auto data = nlohmann::json::parse(std::string(p["body"]))["data"];
    EXPECT_EQ(data["subscriber"], "subscribers/DIGEST2");
    EXPECT_TRUE(days_posted.insert(data["digest_day"].get<std::string>()).second)
        << "two posts for " << data["digest_day"];
    for (const auto& id : DigestEventIds(data)) received.insert(id);
  }
  EXPECT_EQ(received.size(), produced.size()) << "an event is missing or repeated";
  for (const auto& id : produced) EXPECT_EQ(received.count(id), 1u) << id;
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = "
                "a.delivery_id WHERE d.subscriber_id = 'DIGEST2'"),
            static_cast<int64_t>(per_day.size()));
}

// Lock contention on digests between the replicas: six subscribers with a webhook digest each, events on
// every partition (each reaches all six, so both replicas' consumers attach items — FOR KEY SHARE — to the same
// digests), while four digests are being sent and held open by the receiver, then released with events still
// arriving, then sent again day after day while they arrive: the workers' settle (FOR UPDATE, moving items that
// came during the send to the next day's digest) runs against the attaching all along. No transaction of
// either replica may die of a deadlock (no rolled-back batch, no worker error, no deadlock in PostgreSQL's
// count), and each subscriber still has every event once in its inbox and once in one sent digest, with at
// most one digest a day.
TEST_F(NotificationReplicasTest, DigestAttachAndSendOnBothReplicasNeverDeadlockNorLoseOrRepeat) {
  const std::vector<std::string> subscribers = {"CONTEND1", "CONTEND2", "CONTEND3", "CONTEND4", "CONTEND5", "CONTEND6"};
  const auto fanout = static_cast<int64_t>(subscribers.size());
  const std::string field = "Kiểm soát thủ tục hành chính";  // only this test's subscriptions hear it
  const std::string ours = "subscriber_id LIKE 'CONTEND%'";
  const std::string hold = "/hold/contend";
  const std::string at = DigestTimeFarFromNow();
  for (const auto& id : subscribers) {
    CreateSubscriber(id, "SGDĐT-TCCB", hold);
    ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest(id, nv1::WEBHOOK, at, field));
  }
  const std::vector<std::string> failures = {"deadlock",       "40P01",        "a batch failed",
                                             "handler failed", "worker error", "no pending digest"};
  const size_t failed_before = LogLines(*service_, failures).size() + LogLines(*second_, failures).size();
  const int64_t deadlocks_before = Deadlocks();
  const double created_before[] = {Metric(metrics_port_, kCreated), Metric(second_metrics_, kCreated)};
  const double moved_before = Metric(metrics_port_, kMoved) + Metric(second_metrics_, kMoved);

  std::vector<std::string> produced;  // by one thread at a time: this one, or `producer` while it runs
  auto produce = [&produced, &field](int count) {
    for (int i = 0; i < count; ++i) {
      char id[64];
      std::snprintf(id, sizeof id, "c0c0c0c0-0000-4000-8000-%012zu", produced.size());
      ProduceDocumentPublished(id, std::to_string(7000 + produced.size()) + "/QĐ-SGDĐT", field);
      produced.push_back(id);
    }
  };
  auto notifications = [&ours] {
    return NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE " + ours);
  };
  // Until both replicas ingest (each has partitions of the topic), then a batch more: each subscriber's
  // digest of the day holds items attached by both.
  for (int batch = 0; batch < 20; ++batch) {
    produce(10);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (Metric(metrics_port_, kCreated) > created_before[0] && Metric(second_metrics_, kCreated) > created_before[1])
      break;
  }
  produce(10);
  const auto before_send = static_cast<int64_t>(produced.size());
  ASSERT_TRUE(WaitFor([&] { return notifications() == fanout * before_send; }, std::chrono::seconds(60)))
      << notifications() << " of " << fanout * before_send;

  // The day's digests due now: the four workers (two a replica) claim four and the receiver holds their posts.
  Sql("UPDATE notification.deliveries SET due_at = now() WHERE " + ours + " AND state = 1");
  ASSERT_TRUE(WaitFor([&] { return WebhookPosts(hold).size() >= 4; }, std::chrono::seconds(15)))
      << WebhookPosts(hold).size() << " digest posts held";
  const auto held_at = std::chrono::steady_clock::now();

  // More events on every partition meanwhile: attached to the digests being sent (still pending). Released
  // once some have been, well within the webhook timeout (20 s: a post that outlived it would be retried),
  // while the rest keep coming; then the pending digests are made due again every 1.5 s while they come.
  std::atomic<bool> producing{true};
  std::string produce_error;
  std::jthread producer([&] {  // joined on the way out too (a failed assertion returns early)
    try {
      produce(150);
    } catch (const std::exception& e) {
      produce_error = e.what();
    }
    producing = false;
  });
  WaitFor([&] { return notifications() >= fanout * (before_send + 20); }, std::chrono::seconds(8));
  const int64_t attached_while_held = notifications() / fanout - before_send;
  HttpGet(webhook_port_, "/release/contend");
  const auto held_for = std::chrono::steady_clock::now() - held_at;
  for (int round = 0; round < 4 && producing; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    Sql("UPDATE notification.deliveries SET due_at = now() WHERE " + ours + " AND state = 1");
  }
  producer.join();
  ASSERT_EQ(produce_error, "");
  const auto n = static_cast<int64_t>(produced.size());
  ASSERT_TRUE(WaitFor([&] { return notifications() == fanout * n; }, std::chrono::seconds(90)))
      << notifications() << " of " << fanout * n;
  // Everything ingested: what is still pending goes out now.
  for (int round = 0; round < 3; ++round) {
    Sql("UPDATE notification.deliveries SET due_at = now() WHERE " + ours + " AND state = 1");
    if (WaitFor(
            [&] {
              return NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE " + ours +
                                             " AND state <> 2") == 0;
            },
            std::chrono::seconds(30)))
      break;
  }
  ASSERT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE " + ours + " AND state <> 2"),
            0)
      << "digests not delivered";
  std::this_thread::sleep_for(std::chrono::seconds(2));  // late posts; PostgreSQL's statistics flushed

  // No deadlock, nothing rolled back or retried because of one, in either replica or in PostgreSQL.
  auto failed = LogLines(*service_, failures);
  for (auto& line : LogLines(*second_, failures)) failed.push_back(line);
  std::string lines;
  for (const auto& line : failed) lines += line + "\n";
  EXPECT_EQ(failed.size(), failed_before) << lines;
  for (const auto& line : failed) {
    EXPECT_EQ(line.find("deadlock"), std::string::npos) << line;
    EXPECT_EQ(line.find("40P01"), std::string::npos) << line;
  }
  EXPECT_EQ(Deadlocks(), deadlocks_before) << "PostgreSQL detected a deadlock";

  // Both replicas ingested; the sends overlapped attaching: items attached during a send were moved on.
  const double created[] = {Metric(metrics_port_, kCreated) - created_before[0],
                            Metric(second_metrics_, kCreated) - created_before[1]};
  const double moved = Metric(metrics_port_, kMoved) + Metric(second_metrics_, kMoved) - moved_before;
  auto posts = WebhookPosts(hold);
  std::cout << n << " events to " << fanout << " subscribers; replica 1 created " << created[0] << ", replica 2 "
            << created[1] << "; " << attached_while_held << " events attached while "
            << std::chrono::duration_cast<std::chrono::milliseconds>(held_for).count() << " ms held; " << posts.size()
            << " digests posted; " << moved << " digest items moved to a next day's digest\n";
  EXPECT_GT(created[0], 0) << "replica 1 handled no event";
  EXPECT_GT(created[1], 0) << "replica 2 handled no event";
  EXPECT_GT(attached_while_held, 0) << "no event arrived while the digests were held";
  EXPECT_GT(moved, 0) << "no item attached during a send was moved to the next day's digest";

  // Each subscriber: every event once in the inbox and once across its sent digests, one digest a day, each
  // sent once (one attempt, one post).
  std::map<std::string, std::multiset<std::string>> received;
  std::map<std::string, std::set<std::string>> days;
  for (const auto& p : posts) {
    auto body = nlohmann::json::parse(std::string(p["body"]))["data"];
    const std::string id = body["subscriber"].get<std::string>().substr(std::string("subscribers/").size());
    EXPECT_EQ(p["signature"], StandardSignature(Secret(id), p));
    const std::string day = body["digest_day"].get<std::string>();
    EXPECT_TRUE(days[id].insert(day).second) << "two digests for " << id << " on " << day;
    for (const auto& event_id : DigestEventIds(body)) received[id].insert(event_id);
  }
  for (const auto& id : subscribers) {
    int missing = 0, repeated = 0;
    for (const auto& e : produced) {
      auto c = received[id].count(e);
      missing += c == 0;
      repeated += c > 1;
    }
    EXPECT_EQ(missing, 0) << id << ": events in no digest";
    EXPECT_EQ(repeated, 0) << id << ": events in two digests";
    EXPECT_EQ(static_cast<int64_t>(received[id].size()), n) << id;
    EXPECT_EQ(NotificationTest::Count(
                  "SELECT count(DISTINCT event_id) FROM notification.notifications WHERE subscriber_id = '" + id + "'"),
              n)
        << id << "'s inbox";
    EXPECT_EQ(
        NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = '" + id + "'"),
        static_cast<int64_t>(days[id].size()))
        << id << ": a digest without its post";
  }
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.notifications n WHERE n." + ours +
                " AND (SELECT count(*) FROM notification.digest_items i JOIN notification.deliveries d ON d.id = "
                "i.delivery_id WHERE i.notification = n.cursor AND d.state = 2) <> 1"),
            0)
      << "notifications not in exactly one sent digest";
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = "
                "a.delivery_id WHERE d." +
                ours),
            static_cast<int64_t>(posts.size()));
}

// A third replica whose idle Watch streams would look again only after a minute: the notifications another
// replica writes reach its stream anyway, told by that replica's NOTIFY.
TEST_F(NotificationReplicasTest, AWatchOnOneReplicaGetsWhatTheOthersWriteWithoutWaitingForItsIdleCheck) {
  const std::string address = "127.0.0.1:" + std::to_string(FreePort());
  const int metrics = FreePort();
  auto third = LaunchNotification(address, metrics, "notification-service-3.log", {"--watch-idle-check-ms", "60000"});
  ASSERT_TRUE(WaitUntilReady(*third, metrics)) << third->Log();
  CreateSubscriber("TOLD", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("TOLD", {nv1::INBOX}, "Thi đua khen thưởng");

  auto stub = nv1::NotificationService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", std::string("Bearer ") + kTccb);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(90));
  nv1::WatchNotificationsRequest req;
  req.set_parent("subscribers/TOLD");
  auto reader = stub->WatchNotifications(&ctx, req);
  std::mutex mu;
  std::set<std::string> arrived;
  std::thread watcher([&] {
    nv1::Notification n;
    while (reader->Read(&n)) {
      std::lock_guard lock(mu);
      arrived.insert(n.event_id());
    }
  });
  auto arrived_count = [&] {
    std::lock_guard lock(mu);
    return arrived.size();
  };
  int produced = 0;
  auto produce = [&] {
    char id[64];
    std::snprintf(id, sizeof id, "70707070-0000-4000-8000-%012d", produced);
    ProduceDocumentPublished(id, std::to_string(7000 + produced) + "/QĐ-SGDĐT", "Thi đua khen thưởng");
    ++produced;
  };
  // Probes until one comes through: the stream is open and past its first query, and the group has settled
  // with the third replica in it.
  ASSERT_TRUE(WaitFor(
      [&] {
        produce();
        return WaitFor([&] { return arrived_count() > 0; }, std::chrono::seconds(3));
      },
      std::chrono::seconds(60)));
  const double created_before = Metric(metrics, kCreated);
  const int probes = produced;
  for (int i = 0; i < 30; ++i) produce();
  // Well within the minute the stream's own re-check would take.
  bool all = WaitFor([&] { return arrived_count() == static_cast<size_t>(produced); }, std::chrono::seconds(30));
  const double created_here = Metric(metrics, kCreated) - created_before;
  ctx.TryCancel();
  watcher.join();
  reader->Finish();
  third->Signal(SIGTERM);
  third->Wait(std::chrono::seconds(30));
  EXPECT_TRUE(all) << arrived.size() << " of " << produced << " arrived";
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'TOLD'"),
            produced);
  // Not vacuous: some of the 30 were written by the other replicas.
  EXPECT_LT(created_here, 30.0) << "the third replica consumed every event itself; " << probes << " probes";
}

}  // namespace
}  // namespace cchc::testing
