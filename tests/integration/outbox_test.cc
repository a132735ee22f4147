// The outbox relay against a real PostgreSQL and the embedded broker: CloudEvents headers, ordering keys,
// and a broker outage that loses nothing and duplicates nothing.
#include "platform/outbox.h"

#include <gtest/gtest.h>

#include <set>

#include "platform/migrations.h"
#include "support/kafka_reader.h"
#include "support/stack.h"

namespace cchc {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new testing::PostgresCluster();
    broker_ = new testing::Broker();
    url_ = pg_->Provision("document");
    pqxx::connection c(url_);
    db::ApplyMigrations(c, "document", db::PlatformMigrations());
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete pg_;
  }
  void SetUp() override { pool_ = std::make_unique<db::Pool>(url_, "document", 4, outbox::Statements(), &registry_); }

  outbox::RelayOptions Options() {
    outbox::RelayOptions o;
    o.brokers = broker_->Bootstrap();
    o.source = "/cchc/test";
    o.kafka_properties = {{"message.timeout.ms", "2000"}};
    o.idle_wait = std::chrono::milliseconds(200);
    o.max_backoff = std::chrono::milliseconds(500);
    return o;
  }

  void Enqueue(const std::string& topic, const std::string& key, const std::string& type, const std::string& data) {
    pool_->Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      outbox::Enqueue(tx, {topic, "document", key, type, key, data});
      tx.commit();
    });
  }

  std::string Pending() { return pg_->Sql("SELECT count(*) FROM document.outbox WHERE published_at IS NULL"); }

  // Reads `expected` messages of `topic` and counts each value; every value is expected exactly once.
  std::map<std::string, int> ExpectEachValueOnce(const std::string& topic, size_t expected) {
    auto messages = testing::ReadTopic(broker_->Bootstrap(), topic, expected);
    std::map<std::string, int> seen;
    for (const auto& m : messages) seen[m.value]++;
    EXPECT_EQ(seen.size(), expected);
    for (const auto& [value, count] : seen) EXPECT_EQ(count, 1) << value;
    std::printf("%s: %zu distinct values in %zu messages\n", topic.c_str(), seen.size(), messages.size());
    return seen;
  }

  static testing::PostgresCluster* pg_;
  static testing::Broker* broker_;
  static std::string url_;
  metrics::Registry registry_;
  std::unique_ptr<db::Pool> pool_;
};
testing::PostgresCluster* OutboxTest::pg_ = nullptr;
testing::Broker* OutboxTest::broker_ = nullptr;
std::string OutboxTest::url_;

TEST_F(OutboxTest, PublishesWithCloudEventsHeadersAndMarksRowsOnlyAfterAcknowledgement) {
  const std::string topic = "test.headers.v1";
  Enqueue(topic, "documents/a", "cchc.document.v1.DocumentPublished", "payload-1");
  Enqueue(topic, "documents/a", "cchc.document.v1.DocumentUpdated", "payload-2");
  Enqueue(topic, "documents/b", "cchc.document.v1.DocumentPublished", "payload-3");
  outbox::Relay relay(*pool_, Options(), registry_);
  EXPECT_EQ(relay.PublishBatch(), 3);
  EXPECT_EQ(Pending(), "0\n");
  auto messages = testing::ReadTopic(broker_->Bootstrap(), topic, 3);
  ASSERT_EQ(messages.size(), 3u);
  std::map<std::string, std::vector<std::string>> by_key;
  for (const auto& m : messages) {
    EXPECT_EQ(m.headers.at("ce_specversion"), "1.0");
    EXPECT_EQ(m.headers.at("ce_source"), "/cchc/test");
    EXPECT_EQ(m.headers.at("ce_subject"), m.key);
    EXPECT_EQ(m.headers.at("content-type"), "application/protobuf");
    EXPECT_EQ(m.headers.at("ce_id").size(), 36u);
    EXPECT_EQ(m.headers.at("ce_time").back(), 'Z');
    by_key[m.key].push_back(m.headers.at("ce_type") + "=" + m.value);
  }
  // One aggregate's events stay in one partition, in the order they were written.
  ASSERT_EQ(by_key["documents/a"].size(), 2u);
  EXPECT_EQ(by_key["documents/a"][0], "cchc.document.v1.DocumentPublished=payload-1");
  EXPECT_EQ(by_key["documents/a"][1], "cchc.document.v1.DocumentUpdated=payload-2");
}

TEST_F(OutboxTest, BrokerDownThenUpDeliversEveryEventExactlyOnce) {
  const std::string topic = "test.outage.v1";
  outbox::Relay relay(*pool_, Options(), registry_);
  relay.Start();
  ASSERT_EQ(broker_->Control("down all"), "ok");
  for (int i = 0; i < 30; ++i) Enqueue(topic, "documents/" + std::to_string(i % 5), "t", "event-" + std::to_string(i));
  // While the brokers are down nothing is marked published and the relay keeps retrying.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(Pending(), "30\n");
  EXPECT_GT(registry_.AddCounter("cchc_outbox_publish_errors_total", "").WithLabels({}).Value(), 0);
  ASSERT_EQ(broker_->Control("up all"), "ok");
  ASSERT_TRUE(testing::WaitFor([&] { return Pending() == "0\n"; }, std::chrono::seconds(60))) << Pending();
  relay.Stop();
  ExpectEachValueOnce(topic, 30);
}

TEST_F(OutboxTest, OnlyOneRelayPublishesAtATime) {
  outbox::Relay a(*pool_, Options(), registry_);
  metrics::Registry other;
  outbox::Relay b(*pool_, Options(), other);
  a.Start();
  b.Start();
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        return registry_.AddGauge("cchc_outbox_relay_leader", "").WithLabels({}).Value() +
                   other.AddGauge("cchc_outbox_relay_leader", "").WithLabels({}).Value() ==
               1;
      },
      std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(registry_.AddGauge("cchc_outbox_relay_leader", "").WithLabels({}).Value() +
                other.AddGauge("cchc_outbox_relay_leader", "").WithLabels({}).Value(),
            1);
  a.Stop();
  b.Stop();
}

TEST_F(OutboxTest, ARowThatCommitsAfterLaterRowsWereSentStillGoesOutOnce) {
  // Sequence numbers are taken at insert and rows commit in any order: the relay must not read on from the
  // last seq it sent, or this row would wait for the next restart.
  const std::string topic = "test.late.v1";
  outbox::Relay relay(*pool_, Options(), registry_);
  relay.Start();
  pqxx::connection late_conn(url_);
  for (const auto& s : outbox::Statements()) late_conn.prepare(s.name, s.sql);
  pqxx::work late(late_conn);
  late.exec("SET search_path TO document, public");
  outbox::Enqueue(late, {topic, "document", "documents/late", "t", "documents/late", "late"});  // lower seq
  for (int i = 0; i < 5; ++i) Enqueue(topic, "documents/early-" + std::to_string(i), "t", "early-" + std::to_string(i));
  ASSERT_TRUE(testing::WaitFor([&] { return Pending() == "0\n"; }, std::chrono::seconds(20))) << Pending();
  late.commit();  // outside Pool::Run: no local wake-up, the relay finds it by its idle wait
  ASSERT_TRUE(testing::WaitFor([&] { return Pending() == "0\n"; }, std::chrono::seconds(20))) << Pending();
  relay.Stop();
  EXPECT_EQ(ExpectEachValueOnce(topic, 6)["late"], 1);
}

}  // namespace
}  // namespace cchc
