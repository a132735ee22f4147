// The outbox relay against a real PostgreSQL and the embedded broker: CloudEvents headers, ordering keys,
// a broker outage that loses nothing and duplicates nothing, events the broker refuses for good (parked, and
// the others flow), and a fatal producer error (a new producer, nothing lost).
#include "platform/outbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "platform/migrations.h"
#include "platform/outbox_parked.h"
#include "platform/trace_context.h"
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
  // What a test left unsent (parked, held, discarded) does not reach the next one.
  void TearDown() override { pg_->Sql("DELETE FROM document.outbox WHERE published_at IS NULL"); }

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
  // Rows of `topic` not yet published and not given up.
  std::string PendingOf(const std::string& topic) {
    return pg_->Sql(
        "SELECT count(*) FROM document.outbox WHERE published_at IS NULL AND discarded_at IS NULL AND "
        "topic = '" +
        topic + "'");
  }
  // "parked|held|published" for the row whose payload is `data`.
  std::string StateOf(const std::string& data) {
    return pg_->Sql(
        "SELECT CASE WHEN published_at IS NOT NULL THEN 'published' WHEN discarded_at IS NOT NULL THEN 'discarded' "
        "WHEN parked_at IS NOT NULL THEN 'parked' ELSE 'pending' END FROM document.outbox WHERE payload = '" +
        data + "'::bytea");
  }
  std::string ErrorOf(const std::string& data) {
    return pg_->Sql("SELECT last_error FROM document.outbox WHERE payload = '" + data + "'::bytea");
  }
  std::string EventIdOf(const std::string& data) {
    std::string id = pg_->Sql("SELECT event_id FROM document.outbox WHERE payload = '" + data + "'::bytea");
    return id.substr(0, id.find('\n'));
  }
  double MetricValue(const std::string& name) { return registry_.AddGauge(name, "").WithLabels({}).Value(); }
  double CounterValue(const std::string& name) { return registry_.AddCounter(name, "").WithLabels({}).Value(); }

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

// The row keeps the writer's trace (the call's, or a new one outside any); the relay sends a child of it as
// ce_traceparent (CloudEvents distributed tracing): the same trace-id, the relay's own parent-id.
TEST_F(OutboxTest, TheWritersTraceIsStoredAndSentAsAChildInCeTraceparent) {
  const std::string topic = "test.trace.v1";
  const std::string call = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  {
    trace::Scope scope(*trace::Parse(call));
    Enqueue(topic, "documents/traced", "t", "traced");
  }
  Enqueue(topic, "documents/untraced", "t", "untraced");
  EXPECT_EQ(pg_->Sql("SELECT traceparent FROM document.outbox WHERE payload = 'traced'::bytea"), call + "\n");
  auto stored = trace::Parse(pg_->Sql("SELECT traceparent FROM document.outbox WHERE payload = 'untraced'::bytea")
                                 .substr(0, trace::kHeaderLength));
  ASSERT_TRUE(stored);
  EXPECT_NE(stored->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  outbox::Relay relay(*pool_, Options(), registry_);
  EXPECT_EQ(relay.PublishBatch(), 2);
  std::map<std::string, std::string> sent;
  for (const auto& m : testing::ReadTopic(broker_->Bootstrap(), topic, 2))
    sent[m.value] = m.headers.at("ce_traceparent");
  auto traced = trace::Parse(sent["traced"]), untraced = trace::Parse(sent["untraced"]);
  ASSERT_TRUE(traced) << sent["traced"];
  EXPECT_EQ(traced->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(traced->parent_id, "00f067aa0ba902b7");
  ASSERT_TRUE(untraced) << sent["untraced"];
  EXPECT_EQ(untraced->trace_id, stored->trace_id);
  EXPECT_NE(untraced->parent_id, stored->parent_id);
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

TEST_F(OutboxTest, AnAggregatesEventsKeepTheirOrderThroughAnOutageLongerThanTheMessageTimeOut) {
  // Rounds of events written 0.7 s apart while every broker is down for 3 s, longer than message.timeout.ms
  // (2 s): the first rounds time out and go again, and a later round must not reach the topic before them.
  const std::string topic = "test.order.v1";
  outbox::Relay relay(*pool_, Options(), registry_);
  relay.Start();
  ASSERT_EQ(broker_->Control("down all"), "ok");
  for (int round = 1; round <= 3; ++round) {
    for (int k = 0; k < 4; ++k)
      Enqueue(topic, "documents/k" + std::to_string(k), "t", "k" + std::to_string(k) + "-e" + std::to_string(round));
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  ASSERT_EQ(broker_->Control("up all"), "ok");
  ASSERT_TRUE(testing::WaitFor([&] { return PendingOf(topic) == "0\n"; }, std::chrono::seconds(60)))
      << PendingOf(topic);
  relay.Stop();
  std::map<std::string, std::vector<std::string>> first_seen;  // by key, each value at its first copy
  for (const auto& m : testing::ReadTopic(broker_->Bootstrap(), topic, 12)) {
    auto& values = first_seen[m.key];
    if (std::find(values.begin(), values.end(), m.value) == values.end()) values.push_back(m.value);
  }
  ASSERT_EQ(first_seen.size(), 4u);
  for (const auto& [key, values] : first_seen) {
    std::string k = key.substr(std::string("documents/").size());
    EXPECT_EQ(values, (std::vector<std::string>{k + "-e1", k + "-e2", k + "-e3"})) << key;
  }
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

TEST_F(OutboxTest, AnEventTheProducerRefusesForGoodIsParkedItsAggregateWaitsAndTheOthersFlow) {
  const std::string topic = "test.parked.v1";
  std::string big(6000, 'B');
  Enqueue(topic, "documents/a", "t", "a-1");
  Enqueue(topic, "documents/b", "t", big);  // over the producer's message.max.bytes: refused at produce
  Enqueue(topic, "documents/b", "t", "b-2");
  Enqueue(topic, "documents/c", "t", "c-1");
  auto options = Options();
  options.kafka_properties["message.max.bytes"] = "4000";
  {
    outbox::Relay relay(*pool_, options, registry_);
    EXPECT_EQ(relay.PublishBatch(), 2);
    EXPECT_EQ(relay.PublishBatch(), 0);                            // b-2 waits behind the parked event of documents/b
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the backlog gauges' pace
    EXPECT_EQ(relay.PublishBatch(), 0);
  }
  EXPECT_EQ(StateOf(big), "parked\n");
  EXPECT_NE(ErrorOf(big).find("MSG_SIZE_TOO_LARGE"), std::string::npos) << ErrorOf(big);
  EXPECT_EQ(StateOf("b-2"), "pending\n");
  EXPECT_EQ(CounterValue("cchc_outbox_failed_total"), 1);
  EXPECT_EQ(CounterValue("cchc_outbox_publish_errors_total"), 1);
  EXPECT_EQ(MetricValue("cchc_outbox_parked"), 1);
  EXPECT_EQ(MetricValue("cchc_outbox_held"), 1);
  EXPECT_EQ(MetricValue("cchc_outbox_pending"), 0);

  outbox::ParkedEvents parked(*pool_);
  auto page = parked.List(0, 10);
  ASSERT_EQ(page.events.size(), 1u);
  const auto& e = page.events[0];
  EXPECT_EQ(e.event_id(), EventIdOf(big));
  EXPECT_EQ(e.aggregate_id(), "documents/b");
  EXPECT_EQ(e.payload_bytes(), 6000);
  EXPECT_EQ(e.held_events(), 1);
  EXPECT_EQ(e.state(), platform::v1::ParkedEvent::PARKED);
  EXPECT_FALSE(page.last_seq);

  // Sent again with the producer's limit raised: it goes out, then the event held behind it.
  EXPECT_FALSE(parked.Retry("00000000-0000-0000-0000-000000000000"));
  EXPECT_FALSE(parked.Retry("not a uuid"));
  auto retried = parked.Retry(e.event_id());
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->state(), platform::v1::ParkedEvent::PENDING);
  {
    outbox::Relay relay(*pool_, Options(), registry_);
    EXPECT_EQ(relay.PublishBatch(), 2);
  }
  EXPECT_EQ(StateOf(big), "published\n");
  EXPECT_EQ(StateOf("b-2"), "published\n");
  auto messages = testing::ReadTopic(broker_->Bootstrap(), topic, 4);
  std::vector<std::string> of_b;
  for (const auto& m : messages)
    if (m.key == "documents/b") of_b.push_back(m.value == big ? "big" : m.value);
  EXPECT_EQ(of_b, (std::vector<std::string>{"big", "b-2"}));  // the aggregate's order held
  ExpectEachValueOnce(topic, 4);
}

TEST_F(OutboxTest, ADiscardedEventIsNeverSentAndReleasesTheEventsBehindIt) {
  const std::string topic = "test.discarded.v1";
  std::string big(6000, 'D');
  Enqueue(topic, "documents/d", "t", big);
  Enqueue(topic, "documents/d", "t", "d-2");
  auto options = Options();
  options.kafka_properties["message.max.bytes"] = "4000";
  outbox::Relay relay(*pool_, options, registry_);
  EXPECT_EQ(relay.PublishBatch(), 0);
  EXPECT_EQ(StateOf(big), "parked\n");
  outbox::ParkedEvents parked(*pool_);
  auto discarded = parked.Discard(EventIdOf(big));
  ASSERT_TRUE(discarded);
  EXPECT_EQ(discarded->state(), platform::v1::ParkedEvent::DISCARDED);
  EXPECT_FALSE(parked.Discard(EventIdOf(big)));  // no longer parked
  EXPECT_FALSE(parked.Retry(EventIdOf(big)));
  EXPECT_EQ(relay.PublishBatch(), 1);
  EXPECT_EQ(StateOf("d-2"), "published\n");
  EXPECT_EQ(StateOf(big), "discarded\n");
  auto messages = ExpectEachValueOnce(topic, 1);
  EXPECT_EQ(messages.count("d-2"), 1u);
}

TEST_F(OutboxTest, APermanentErrorInADeliveryReportParksThatRowAndTheNextEventsFlow) {
  const std::string topic = "test.refused.v1";
  // Make the topic first, so that the injected error meets the produce request of the refused event.
  Enqueue(topic, "documents/r0", "t", "r-0");
  outbox::Relay relay(*pool_, Options(), registry_);
  EXPECT_EQ(relay.PublishBatch(), 1);
  ASSERT_EQ(broker_->Control("errors 0 10 1"), "ok");  // Produce → MSG_SIZE_TOO_LARGE, once
  Enqueue(topic, "documents/r1", "t", "r-1");
  EXPECT_EQ(relay.PublishBatch(), 0);
  EXPECT_EQ(StateOf("r-1"), "parked\n");
  EXPECT_NE(ErrorOf("r-1").find("MSG_SIZE_TOO_LARGE"), std::string::npos) << ErrorOf("r-1");
  Enqueue(topic, "documents/r2", "t", "r-2");
  Enqueue(topic, "documents/r1", "t", "r-1b");  // behind the parked one
  EXPECT_EQ(relay.PublishBatch(), 1);
  EXPECT_EQ(StateOf("r-2"), "published\n");
  EXPECT_EQ(StateOf("r-1b"), "pending\n");
  EXPECT_TRUE(relay.BrokerHealthy());  // a refused event says nothing about the broker
  auto seen = ExpectEachValueOnce(topic, 2);
  EXPECT_EQ(seen.count("r-1"), 0u);
}

TEST_F(OutboxTest, AFatalProducerErrorReplacesTheProducerAndLosesNothing) {
  const std::string topic = "test.fatal.v1";
  outbox::Relay relay(*pool_, Options(), registry_);
  relay.Start();
  Enqueue(topic, "documents/f", "t", "f-1");
  ASSERT_TRUE(testing::WaitFor([&] { return StateOf("f-1") == "published\n"; }, std::chrono::seconds(20)));
  rd_kafka_t* first = relay.Producer();
  ASSERT_EQ(rd_kafka_test_fatal_error(first, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "injected by the test"),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  for (int i = 2; i <= 6; ++i) Enqueue(topic, "documents/f", "t", "f-" + std::to_string(i));
  ASSERT_TRUE(testing::WaitFor([&] { return PendingOf(topic) == "0\n"; }, std::chrono::seconds(30)))
      << PendingOf(topic);
  EXPECT_NE(relay.Producer(), first);
  EXPECT_EQ(CounterValue("cchc_outbox_producer_restarts_total"), 1);
  relay.Stop();
  auto messages = testing::ReadTopic(broker_->Bootstrap(), topic, 6);
  std::vector<std::string> order;
  for (const auto& m : messages)
    if (order.empty() || order.back() != m.value) order.push_back(m.value);
  // Each once, in order (a copy the old producer had sent would show up as a repeat with the same ce_id).
  EXPECT_EQ(order, (std::vector<std::string>{"f-1", "f-2", "f-3", "f-4", "f-5", "f-6"}));
  ExpectEachValueOnce(topic, 6);
}

}  // namespace
}  // namespace cchc
