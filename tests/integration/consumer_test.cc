// The consumer helper: an event delivered twice has one effect; a poison message goes to the dead-letter
// topic without blocking the partition.
#include "platform/consumer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "consumer_suite.h"
#include "platform/trace_context.h"
#include "support/kafka_reader.h"

namespace cchc {
namespace {

class ConsumerTest : public testing::ConsumerSuite {
 protected:
  static void SetUpTestSuite() { StartStack("CREATE TABLE effects (event_id text, note text);"); }
  static void TearDownTestSuite() { StopStack(); }

  // PREFIX-1 ("first", then "again": the same event twice), PREFIX-2 ("other") and PREFIX-3, of a type no
  // handler knows.
  static void ProduceAnEventTwiceAnotherAndAnUnknownOne(const std::string& topic, const std::string& prefix) {
    const char* const published = "cchc.document.v1.DocumentPublished";
    testing::Produce(broker_->Bootstrap(), topic, "documents/x", "first", Headers(prefix + "-1", published));
    testing::Produce(broker_->Bootstrap(), topic, "documents/x", "again", Headers(prefix + "-1", published));
    testing::Produce(broker_->Bootstrap(), topic, "documents/y", "other", Headers(prefix + "-2", published));
    testing::Produce(broker_->Bootstrap(), topic, "documents/y", "?", Headers(prefix + "-3", "cchc.future.v9.Unknown"));
  }

  // "id:note,…" of the effects of the events whose ids start with PREFIX-, in id order.
  static std::string Effects(const std::string& prefix) {
    return pg_->Sql(
        "SELECT string_agg(event_id || ':' || note, ',' ORDER BY event_id) FROM notification.effects "
        "WHERE event_id LIKE '" +
        prefix + "-%'");
  }
  consumer::Options Options(const std::string& topic) { return ConsumerOptions(topic, 2); }
};

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
  ProduceAnEventTwiceAnotherAndAnUnknownOne(topic, "id");
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

// ce_traceparent is continued: the handler gets the consumer's span (the same trace, a new parent-id) as the
// event's traceparent and as the thread's trace; a missing or invalid header starts a new trace and the event
// is handled all the same.
TEST_F(ConsumerTest, TheProducersTraceIsContinuedAndAnInvalidOneReplacedNotRejected) {
  const std::string topic = "test.trace.v1";
  const std::string sent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const char* const published = "cchc.document.v1.DocumentPublished";
  auto with = [&](const std::string& id, const std::string& traceparent) {
    auto headers = Headers(id, published);
    headers["ce_traceparent"] = traceparent;
    return headers;
  };
  testing::Produce(broker_->Bootstrap(), topic, "documents/t", "valid", with("trace-1", sent));
  testing::Produce(broker_->Bootstrap(), topic, "documents/t", "invalid",
                   with("trace-2", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  testing::Produce(broker_->Bootstrap(), topic, "documents/t", "none", Headers("trace-3", published));
  std::map<std::string, std::string> seen, current;  // by value: the event's traceparent, the thread's
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  consumer::EventConsumer c(
      pool, Options(topic),
      [&](pqxx::work& tx, const events::CloudEvent& e) {
        seen[e.data] = e.traceparent;
        current[e.data] = trace::Current() ? trace::Current()->ToHeader() : "";
        return RecordEffect(tx, e);
      },
      registry);
  c.Subscribe();
  ASSERT_TRUE(HandleMessages(c, 3));
  c.Stop();
  EXPECT_EQ(Effects("trace"), "trace-1:valid,trace-2:invalid,trace-3:none\n");
  auto valid = trace::Parse(seen["valid"]);
  ASSERT_TRUE(valid) << seen["valid"];
  EXPECT_EQ(valid->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(valid->parent_id, "00f067aa0ba902b7");
  for (const char* value : {"invalid", "none"}) {
    auto fresh = trace::Parse(seen[value]);
    ASSERT_TRUE(fresh) << value << ": " << seen[value];
    EXPECT_NE(fresh->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736") << value;
  }
  for (const auto& [value, traceparent] : seen) EXPECT_EQ(current[value], traceparent) << value;
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

// A handler that writes a batch and its dedupe record in one statement (EventHandler::HandleAtOnce): the same
// effects as RecordEffect, in `effects`; a batch with a "needs-transaction" event goes the transaction path.
class AtOnceHandler : public consumer::EventHandler {
 public:
  int at_once = 0;                          // batches written at once
  std::vector<std::string> in_transaction;  // the ids of the events handled in a transaction
  int rolled_back = 0;
  consumer::Outcome Handle(pqxx::work& tx, const events::CloudEvent& e) override {
    in_transaction.push_back(e.id);
    return RecordEffect(tx, e);
  }
  void RolledBack() override { ++rolled_back; }
  std::optional<std::set<consumer::EventKey>> HandleAtOnce(
      pqxx::nontransaction& tx, const std::vector<const events::CloudEvent*>& events) override {
    std::vector<consumer::Outcome> outcomes;
    std::vector<std::string> ids, notes;
    for (const auto* e : events) {
      if (e->type == "needs-transaction") return std::nullopt;
      if (e->type == "poison") throw std::runtime_error("cannot handle this event");
      const bool handled = e->type == "cchc.document.v1.DocumentPublished";
      outcomes.push_back(handled ? consumer::Outcome::kProcessed : consumer::Outcome::kSkipped);
      if (handled) {
        ids.push_back(e->id);
        notes.push_back(e->data);
      }
    }
    ++at_once;
    auto record = consumer::RecordedParameters(events, outcomes);
    std::set<consumer::EventKey> recorded;
    for (const auto& row : tx.exec_params(
             "WITH " + consumer::RecordedCte(3, "true") +
                 ", effect AS (INSERT INTO effects (event_id, note) SELECT x.i, x.n FROM unnest($1::text[], "
                 "$2::text[]) AS x(i, n) JOIN recorded ON recorded.event_id = x.i) SELECT source, event_id FROM "
                 "recorded",
             db::TextArrayLiteral(ids), db::TextArrayLiteral(notes), record.sources, record.ids, record.types,
             record.outcomes))
      recorded.emplace(row[0].as<std::string>(), row[1].as<std::string>());
    return recorded;
  }
};

// Consumes `count` messages with `handler`, then leaves; false when they did not come within 30 s.
bool Consume(const std::string& url, const consumer::Options& options, consumer::EventHandler& handler, int count) {
  metrics::Registry registry;
  db::Pool pool(url, "notification", 2, consumer::Statements(), &registry);
  consumer::EventConsumer c(pool, options, handler, registry);
  c.Subscribe();
  bool handled = HandleMessages(c, count);
  c.Stop();
  return handled;
}

TEST_F(ConsumerTest, ABatchWrittenAtOnceHasEachEventsEffectOnceAndRecordsWhatWasSkipped) {
  const std::string topic = "test.at-once.v1";
  ProduceAnEventTwiceAnotherAndAnUnknownOne(topic, "a");
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  AtOnceHandler handler;
  consumer::EventConsumer c(pool, Options(topic), handler, registry);
  c.Subscribe();
  ASSERT_TRUE(HandleMessages(c, 4));
  // Delivered again in a later batch: recorded already, so no effect.
  testing::Produce(broker_->Bootstrap(), topic, "documents/x", "late copy",
                   Headers("a-1", "cchc.document.v1.DocumentPublished"));
  ASSERT_TRUE(HandleMessages(c, 1));
  c.Stop();
  EXPECT_GE(handler.at_once, 2);
  EXPECT_TRUE(handler.in_transaction.empty());
  EXPECT_EQ(handler.rolled_back, 0);
  EXPECT_EQ(Effects("a"), "a-1:first,a-2:other\n");
  EXPECT_EQ(Outcomes("a"), "a-1:processed,a-2:processed,a-3:skipped\n");
  auto& consumed = registry.AddCounter("cchc_events_consumed_total", "", {"topic", "type", "result"});
  EXPECT_EQ(consumed.WithLabels({topic, "cchc.document.v1.DocumentPublished", "duplicate"}).Value(), 2);
  EXPECT_EQ(consumed.WithLabels({topic, "cchc.document.v1.DocumentPublished", "processed"}).Value(), 2);
}

TEST_F(ConsumerTest, ABatchTheHandlerDoesNotWriteAtOnceGoesThroughATransaction) {
  const std::string topic = "test.at-once-declined.v1";
  testing::Produce(broker_->Bootstrap(), topic, "documents/x", "in a transaction",
                   Headers("t-1", "cchc.document.v1.DocumentPublished"));
  testing::Produce(broker_->Bootstrap(), topic, "documents/x", "?", Headers("t-2", "needs-transaction"));
  AtOnceHandler handler;
  ASSERT_TRUE(Consume(url_, Options(topic), handler, 2));
  // t-1 may have come in a batch of its own, written at once; t-2's batch went through a transaction.
  ASSERT_FALSE(handler.in_transaction.empty());
  EXPECT_EQ(handler.in_transaction.back(), "t-2");
  EXPECT_EQ(Effects("t"), "t-1:in a transaction\n");
  EXPECT_EQ(Outcomes("t"), "t-1:processed,t-2:skipped\n");
}

TEST_F(ConsumerTest, APoisonMessageThatFailsTheBatchAtOnceIsDeadLetteredAndTheRestProcessedOnce) {
  const std::string topic = "test.at-once-poison.v1";
  testing::Produce(broker_->Bootstrap(), topic, "k", "good", Headers("q-1", "cchc.document.v1.DocumentPublished"));
  testing::Produce(broker_->Bootstrap(), topic, "k", "bad", Headers("q-2", "poison"));
  testing::Produce(broker_->Bootstrap(), topic, "k", "good too", Headers("q-3", "cchc.document.v1.DocumentPublished"));
  AtOnceHandler handler;
  ASSERT_TRUE(Consume(url_, Options(topic), handler, 3));
  EXPECT_GE(handler.rolled_back, 1);  // the batch at once, then in a transaction
  EXPECT_EQ(Effects("q"), "q-1:good,q-3:good too\n");
  EXPECT_EQ(Outcomes("q"), "q-1:processed,q-2:dead_lettered,q-3:processed\n");
  auto dead = testing::ReadTopic(broker_->Bootstrap(), topic + ".dlq", 1);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].value, "bad");
}

// Two replicas can hold overlapping batches in different orders (after a rebalance, with an event the relay
// sent twice). Each batch records its events' ids in one order, whatever the batch's: otherwise each could
// hold an id the other waits for. Here "b" holds dl-1 and waits for dl-2, which "a" holds while it waits for
// dl-3, held by a third transaction: in batch order "b" would hold dl-2 and "a" would then wait for it.
TEST_F(ConsumerTest, TwoBatchesRecordingTheSameEventsInOppositeOrdersNeverDeadlock) {
  auto open = [&] {
    auto c = std::make_unique<pqxx::connection>(url_);
    pqxx::nontransaction(*c).exec("SET search_path TO notification");
    for (const auto& s : consumer::Statements()) c->prepare(s.name, s.sql);
    return c;
  };
  // Through consumer::Record, the statement both paths record with (RecordedCte).
  auto record = [](pqxx::work& tx, const std::vector<std::string>& ids) {
    std::vector<events::CloudEvent> events(ids.size());
    std::vector<const events::CloudEvent*> pointers;
    for (size_t i = 0; i < ids.size(); ++i) {
      events[i].source = "/cchc/document";
      events[i].id = ids[i];
      events[i].type = "t";
      pointers.push_back(&events[i]);
    }
    return consumer::Record(tx, pointers, std::vector(ids.size(), consumer::Outcome::kProcessed)).size();
  };
  auto holder = open(), a = open(), b = open(), watcher = open();
  auto blocked_by = [&](const pqxx::connection& waiting, const pqxx::connection& holding) {
    return testing::WaitFor(
        [&] {
          pqxx::nontransaction tx(*watcher);
          return tx.exec("SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(waiting.backendpid()) +
                         " AND " + std::to_string(holding.backendpid()) + " = ANY(pg_blocking_pids(pid))")[0][0]
                     .as<int>() == 1;
        },
        std::chrono::seconds(10));
  };
  pqxx::work held(*holder);
  ASSERT_EQ(record(held, {"dl-3"}), 1u);
  size_t a_recorded = 0, b_recorded = 99;
  std::string a_error, b_error;
  std::thread first([&] {
    try {
      pqxx::work tx(*a);
      a_recorded = record(tx, {"dl-1", "dl-3", "dl-2"});
      tx.commit();
    } catch (const std::exception& e) {
      a_error = e.what();
    }
  });
  ASSERT_TRUE(blocked_by(*a, *holder));
  std::thread second([&] {
    try {
      pqxx::work tx(*b);
      b_recorded = record(tx, {"dl-2", "dl-1"});
      tx.commit();
    } catch (const std::exception& e) {
      b_error = e.what();
    }
  });
  EXPECT_TRUE(blocked_by(*b, *a));
  held.abort();
  first.join();
  second.join();
  EXPECT_EQ(a_error, "");
  EXPECT_EQ(b_error, "");
  EXPECT_EQ(a_recorded, 3u);  // dl-3 too: the holder rolled back
  EXPECT_EQ(b_recorded, 0u);  // both already recorded by "a"
  EXPECT_EQ(pg_->Sql("SELECT string_agg(event_id, ',' ORDER BY event_id) FROM notification.processed_events "
                     "WHERE event_id LIKE 'dl-%'"),
            "dl-1,dl-2,dl-3\n");
}

}  // namespace
}  // namespace cchc
