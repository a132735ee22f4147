// The consumer helper: an event delivered twice has one effect; a poison message goes to the dead-letter
// topic without blocking the partition.
#include "platform/consumer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "platform/migrations.h"
#include "support/kafka_reader.h"
#include "support/stack.h"

namespace cchc {
namespace {

class ConsumerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg_ = new testing::PostgresCluster();
    broker_ = new testing::Broker();
    url_ = pg_->Provision("notification");
    pqxx::connection c(url_);
    auto migrations = db::PlatformMigrations();
    migrations.push_back({"test_001_effects", "CREATE TABLE effects (event_id text, note text);"});
    db::ApplyMigrations(c, "notification", migrations);
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete pg_;
  }

  static std::map<std::string, std::string> Headers(const std::string& id, const std::string& type) {
    return {{"ce_id", id},     {"ce_source", "/cchc/document"},     {"ce_specversion", "1.0"},
            {"ce_type", type}, {"ce_time", "2018-06-07T01:00:00Z"}, {"content-type", "application/protobuf"}};
  }

  consumer::Options Options(const std::string& topic) {
    consumer::Options o;
    o.brokers = broker_->Bootstrap();
    o.group_id = "test-" + topic;
    o.topics = {topic};
    o.dead_letter_topic = topic + ".dlq";
    o.max_attempts = 2;
    o.retry_backoff = std::chrono::milliseconds(10);
    return o;
  }

  static testing::PostgresCluster* pg_;
  static testing::Broker* broker_;
  static std::string url_;
};
testing::PostgresCluster* ConsumerTest::pg_ = nullptr;
testing::Broker* ConsumerTest::broker_ = nullptr;
std::string ConsumerTest::url_;

// Polls `c` until it has handled `count` messages; false after 30 s.
bool HandleMessages(consumer::EventConsumer& c, int count) {
  int handled = 0;
  return testing::WaitFor(
      [&] {
        handled += c.PollBatch(std::chrono::milliseconds(100));
        return handled >= count;
      },
      std::chrono::seconds(30));
}

consumer::Outcome RecordEffect(pqxx::work& tx, const events::CloudEvent& e) {
  if (e.type == "poison") throw std::runtime_error("cannot handle this event");
  if (e.type != "cchc.document.v1.DocumentPublished") return consumer::Outcome::kSkipped;
  tx.exec_params("INSERT INTO effects (event_id, note) VALUES ($1, $2)", e.id, e.data);
  return consumer::Outcome::kProcessed;
}

TEST_F(ConsumerTest, TheSameEventDeliveredTwiceHasOneEffect) {
  const std::string topic = "test.dedupe.v1";
  testing::Produce(broker_->Bootstrap(), topic, "documents/x", "first",
                   Headers("id-1", "cchc.document.v1.DocumentPublished"));
  testing::Produce(broker_->Bootstrap(), topic, "documents/x", "again",
                   Headers("id-1", "cchc.document.v1.DocumentPublished"));
  testing::Produce(broker_->Bootstrap(), topic, "documents/y", "other",
                   Headers("id-2", "cchc.document.v1.DocumentPublished"));
  testing::Produce(broker_->Bootstrap(), topic, "documents/y", "?", Headers("id-3", "cchc.future.v9.Unknown"));
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  consumer::EventConsumer c(pool, Options(topic), RecordEffect, registry);
  c.Subscribe();
  ASSERT_TRUE(HandleMessages(c, 4));
  c.Stop();
  EXPECT_EQ(pg_->Sql("SELECT string_agg(event_id || ':' || note, ',' ORDER BY event_id) FROM notification.effects"),
            "id-1:first,id-2:other\n");
  EXPECT_EQ(pg_->Sql("SELECT outcome FROM notification.processed_events WHERE event_id = 'id-3'"), "skipped\n");
  auto& consumed = registry.AddCounter("cchc_events_consumed_total", "", {"topic", "type", "result"});
  EXPECT_EQ(consumed.WithLabels({topic, "cchc.document.v1.DocumentPublished", "duplicate"}).Value(), 1);
  EXPECT_EQ(consumed.WithLabels({topic, "cchc.document.v1.DocumentPublished", "processed"}).Value(), 2);
}

TEST_F(ConsumerTest, APoisonMessageIsDeadLetteredAndTheNextOneStillProcessed) {
  const std::string topic = "test.poison.v1";
  testing::Produce(broker_->Bootstrap(), topic, "k", "bad", Headers("p-1", "poison"));
  testing::Produce(broker_->Bootstrap(), topic, "k", "good", Headers("p-2", "cchc.document.v1.DocumentPublished"));
  testing::Produce(broker_->Bootstrap(), topic, "k", "no headers", {});
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  consumer::EventConsumer c(pool, Options(topic), RecordEffect, registry);
  c.Subscribe();
  ASSERT_TRUE(HandleMessages(c, 3));
  c.Stop();
  EXPECT_EQ(pg_->Sql("SELECT count(*) FROM notification.effects WHERE event_id = 'p-2'"), "1\n");
  EXPECT_EQ(pg_->Sql("SELECT outcome FROM notification.processed_events WHERE event_id = 'p-1'"), "dead_lettered\n");
  auto dead = testing::ReadTopic(broker_->Bootstrap(), topic + ".dlq", 2);
  ASSERT_EQ(dead.size(), 2u);
  EXPECT_EQ(dead[0].value, "bad");
  EXPECT_NE(dead[0].headers.at("cchc_dlq_error").find("cannot handle"), std::string::npos);
  EXPECT_EQ(dead[1].value, "no headers");
}

TEST_F(ConsumerTest, ADatabaseOutageDelaysEventsButNeverDeadLettersThem) {
  const std::string topic = "test.pg-outage.v1";
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  auto options = Options(topic);
  consumer::EventConsumer c(pool, options, RecordEffect, registry);
  c.Subscribe();
  pg_->Stop();
  testing::Produce(broker_->Bootstrap(), topic, "documents/z", "during outage",
                   Headers("o-1", "cchc.document.v1.DocumentPublished"));
  std::atomic<bool> handled{false};
  std::thread poller([&] {
    while (!handled) handled = c.PollBatch(std::chrono::milliseconds(100)) > 0;
  });
  std::this_thread::sleep_for(std::chrono::seconds(3));  // many more than max_attempts retries' worth
  EXPECT_FALSE(handled.load());
  pg_->Start();
  poller.join();
  c.Stop();
  EXPECT_EQ(pg_->Sql("SELECT note FROM notification.effects WHERE event_id = 'o-1'"), "during outage\n");
  EXPECT_EQ(pg_->Sql("SELECT outcome FROM notification.processed_events WHERE event_id = 'o-1'"), "processed\n");
  EXPECT_EQ(registry.AddCounter("cchc_events_dead_lettered_total", "").WithLabels({}).Value(), 0);
}

}  // namespace
}  // namespace cchc
