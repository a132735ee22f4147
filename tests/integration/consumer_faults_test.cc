// The consumer under faults, against real PostgreSQL and the embedded broker: a dead-letter write the broker
// refuses (injected through its control port), a real deadlock with a concurrent writer, a connection the
// server ends, a lock that stays taken, a statement time-out. Each checks that nothing is lost and nothing happens
// twice: every event's effect and its dedupe record, counted, and what reached the dead-letter topic.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "consumer_suite.h"
#include "support/kafka_reader.h"

namespace cchc {
namespace {

constexpr const char* kPublished = "cchc.document.v1.DocumentPublished";

class ConsumerFaultsTest : public testing::ConsumerSuite {
 protected:
  static void SetUpTestSuite() {
    StartStack(
        "CREATE TABLE effects (event_id text, note text);"
        "CREATE TABLE counters (k text PRIMARY KEY, n int NOT NULL);"
        "INSERT INTO counters VALUES ('a', 0), ('b', 0), ('c', 0);");
  }
  static void TearDownTestSuite() { StopStack(); }
  // A test that failed half-way leaves no injected errors behind for the next.
  void TearDown() override { broker_->Control("clear-errors 0"); }

  // One event on `topic`, all under one key (one partition, in order).
  static void Produce(const std::string& topic, const std::string& id, const std::string& type,
                      const std::string& value) {
    testing::Produce(broker_->Bootstrap(), topic, "documents/1", value, Headers(id, type));
  }

  // "id×count,…": how many effects each event of PREFIX- has, in id order.
  static std::string Effects(const std::string& prefix) {
    return pg_->Sql(
        "SELECT string_agg(event_id || '×' || n, ',' ORDER BY event_id) FROM (SELECT event_id, count(*) "
        "AS n FROM notification.effects WHERE event_id LIKE '" +
        prefix + "-%' GROUP BY event_id) e");
  }
  // The ce_id of each message on the dead-letter topic, in order. Called after the consumer stopped: every
  // copy it wrote was acknowledged by then, so a short quiet period finds them all.
  static std::vector<std::string> DeadLettered(const std::string& topic, size_t expected) {
    std::vector<std::string> ids;
    for (const auto& m : testing::ReadTopic(broker_->Bootstrap(), topic, expected, std::chrono::seconds(30),
                                            std::chrono::milliseconds(500)))
      ids.push_back(m.headers.at("ce_id"));
    return ids;
  }

  consumer::Options Options(const std::string& topic) {
    auto o = ConsumerOptions(topic, 1);
    o.max_backoff = std::chrono::milliseconds(200);
    return o;
  }
};

// Polls `c` on a thread of its own until it has handled `count` messages (PollBatch blocks while it retries).
class Poller {
 public:
  Poller(consumer::EventConsumer& c, int count)
      : thread_([this, &c, count] {
          auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
          while (handled_ < count && std::chrono::steady_clock::now() < deadline)
            handled_ += c.PollBatch(std::chrono::milliseconds(100));
        }) {}
  ~Poller() { Join(); }
  int Join() {
    if (thread_.joinable()) thread_.join();
    return handled_;
  }
  int Handled() const { return handled_; }

 private:
  std::atomic<int> handled_{0};
  std::thread thread_;
};

double CounterValue(metrics::Registry& registry, const std::string& name, const std::vector<std::string>& labels = {},
                    const std::vector<std::string>& values = {}) {
  return registry.AddCounter(name, "", labels).WithLabels(values).Value();
}

// The group's committed offsets on `topic`, summed over its partitions (one without a commit counts 0).
int64_t Committed(const std::string& bootstrap, const std::string& group, const std::string& topic) {
  auto rk = kafka::MakeConsumer(bootstrap, group, {});
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr);
  if (rd_kafka_metadata(rk.get(), 0, rkt, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_topic_destroy(rkt);
    throw std::runtime_error("no metadata of " + topic);
  }
  auto* list = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
  for (int p = 0; p < md->topics[0].partition_cnt; ++p) rd_kafka_topic_partition_list_add(list, topic.c_str(), p);
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(rkt);
  int64_t total = 0;
  if (rd_kafka_committed(rk.get(), list, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR)
    for (int i = 0; i < list->cnt; ++i) total += std::max<int64_t>(0, list->elems[i].offset);
  rd_kafka_topic_partition_list_destroy(list);
  return total;
}

consumer::Outcome RecordEveryEffect(pqxx::work& tx, const events::CloudEvent& e) {
  if (e.type == "poison") throw std::runtime_error("cannot handle this event");
  tx.exec_params("INSERT INTO effects (event_id, note) VALUES ($1, $2)", e.id, e.data);
  return consumer::Outcome::kProcessed;
}

// Kafka's TOPIC_AUTHORIZATION_FAILED: the broker refuses the dead-letter write for good (a permanent error,
// not retried by librdkafka), as a topic whose ACL was changed would.
constexpr int kProduceApi = 0;
constexpr int kTopicAuthorizationFailed = 29;

TEST_F(ConsumerFaultsTest, ARefusedDeadLetterWriteIsRetriedAndTheOffsetWaitsUntilItLands) {
  const std::string topic = "test.dlq-refused.v1";
  Produce(topic, "r-1", "poison", "không xử lý được");
  Produce(topic, "r-2", kPublished, "Hội nghị triển khai công tác cải cách hành chính năm 2016");
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  auto options = Options(topic);
  consumer::EventConsumer c(pool, options, RecordEveryEffect, registry);
  c.Subscribe();
  // Every produce request fails until the errors are cleared; only the dead-letter writer produces now.
  ASSERT_EQ(broker_->Control("errors " + std::to_string(kProduceApi) + " " + std::to_string(kTopicAuthorizationFailed) +
                             " 100000"),
            "ok");
  Poller poller(c, 2);
  ASSERT_TRUE(testing::WaitFor([&] { return CounterValue(registry, "cchc_consumer_dead_letter_failures_total") >= 3; },
                               std::chrono::seconds(20)));
  EXPECT_TRUE(c.DeadLetterBlocked());
  EXPECT_EQ(registry.AddGauge("cchc_consumer_dead_letter_blocked", "").WithLabels({}).Value(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));             // past auto.commit.interval.ms
  EXPECT_EQ(Committed(broker_->Bootstrap(), options.group_id, topic), 0);  // r-1's offset did not move
  EXPECT_EQ(poller.Handled(), 0);
  EXPECT_EQ(Outcomes("r"), "\n");  // r-1 not recorded as dead-lettered, r-2 not behind it

  ASSERT_EQ(broker_->Control("clear-errors " + std::to_string(kProduceApi)), "ok");
  EXPECT_EQ(poller.Join(), 2);
  c.Stop();
  EXPECT_FALSE(c.DeadLetterBlocked());
  EXPECT_EQ(registry.AddGauge("cchc_consumer_dead_letter_blocked", "").WithLabels({}).Value(), 0);
  EXPECT_EQ(Committed(broker_->Bootstrap(), options.group_id, topic), 2);
  EXPECT_EQ(DeadLettered(topic + ".dlq", 1), std::vector<std::string>{"r-1"});  // once, not once per try
  EXPECT_EQ(CounterValue(registry, "cchc_events_dead_lettered_total"), 1);
  EXPECT_EQ(Outcomes("r"), "r-1:dead_lettered,r-2:processed\n");
  EXPECT_EQ(Effects("r"), "r-2×1\n");
}

// A handler that deadlocks with a writer the test runs, for the first `rounds` tries at each event of type
// "deadlock-prone": it updates counter a, then b; the writer, in between, updates b, then a. The handler's
// backend waits first, so PostgreSQL's deadlock check (deadlock_timeout later) cancels it: 40P01.
class OppositeLockOrder {
 public:
  explicit OppositeLockOrder(std::string url, int rounds) : url_(std::move(url)), rounds_(rounds) {}

  consumer::Outcome Handle(pqxx::work& tx, const events::CloudEvent& e) {
    if (e.type == "deadlock-prone" && tries_[e.id]++ < rounds_) {
      tx.exec("UPDATE counters SET n = n + 1 WHERE k = 'a'");
      {
        std::unique_lock lock(mu_);
        handler_pid_ = tx.conn().backendpid();
        cv_.notify_all();
        cv_.wait_for(lock, std::chrono::seconds(10), [&] { return writer_holds_b_; });
        writer_holds_b_ = false;
      }
      tx.exec("UPDATE counters SET n = n + 1 WHERE k = 'b'");
    }
    return RecordEveryEffect(tx, e);
  }

  // The writer: `rounds` transactions, each updating b then a while the handler holds a. Returns the errors
  // it met ("" when it committed them all).
  std::string RunWriter() {
    std::string errors;
    pqxx::connection writer(url_), watcher(url_);
    for (int round = 0; round < rounds_; ++round) {
      int handler_pid = 0;
      {
        std::unique_lock lock(mu_);
        if (!cv_.wait_for(lock, std::chrono::seconds(20), [&] { return handler_pid_ != 0; }))
          return errors + "round " + std::to_string(round) + ": the handler never came;";
        handler_pid = handler_pid_;
        handler_pid_ = 0;
      }
      try {
        pqxx::work tx(writer);
        tx.exec("UPDATE notification.counters SET n = n + 1 WHERE k = 'b'");
        {
          std::lock_guard lock(mu_);
          writer_holds_b_ = true;
          cv_.notify_all();
        }
        testing::WaitFor(
            [&] {
              pqxx::nontransaction q(watcher);
              return q.exec("SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(handler_pid) +
                            " AND " + std::to_string(writer.backendpid()) + " = ANY(pg_blocking_pids(pid))")[0][0]
                         .as<int>() == 1;
            },
            std::chrono::seconds(10));
        // The handler has waited 500 ms longer: its deadlock check (deadlock_timeout, 1 s) comes first, even on a
        // busy machine.
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        tx.exec("UPDATE notification.counters SET n = n + 1 WHERE k = 'a'");
        tx.commit();
      } catch (const std::exception& e) {
        errors += e.what();
      }
    }
    return errors;
  }

 private:
  std::string url_;
  int rounds_;
  std::map<std::string, int> tries_;
  std::mutex mu_;
  std::condition_variable cv_;
  int handler_pid_ = 0;
  bool writer_holds_b_ = false;
};

TEST_F(ConsumerFaultsTest, ADeadlockProneBatchIsRetriedWithoutSpendingAttemptsAndHandledOnce) {
  const std::string topic = "test.deadlock.v1";
  pg_->Sql("UPDATE notification.counters SET n = 0");
  Produce(topic, "d-1", kPublished, "Quyết định 998/QĐ-SGDĐT");
  Produce(topic, "d-2", "deadlock-prone", "Kế hoạch cải cách hành chính");
  Produce(topic, "d-3", kPublished, "Công văn 334/SGDĐT-TCCB");
  const int rounds = 3;  // the batch's try, then two of d-2 alone: with one attempt, the old consumer gave up
  OppositeLockOrder locks(url_, rounds);
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  consumer::EventConsumer c(
      pool, Options(topic), [&](pqxx::work& tx, const events::CloudEvent& e) { return locks.Handle(tx, e); }, registry);
  c.Subscribe();
  std::string writer_errors;
  std::thread writer([&] { writer_errors = locks.RunWriter(); });
  Poller poller(c, 3);
  EXPECT_EQ(poller.Join(), 3);
  writer.join();
  c.Stop();
  EXPECT_EQ(writer_errors, "");
  // Every round's writer committed; every deadlocked try of the handler rolled back.
  EXPECT_EQ(pg_->Sql("SELECT string_agg(k || '=' || n, ',' ORDER BY k) FROM notification.counters WHERE k <> 'c'"),
            "a=3,b=3\n");
  EXPECT_EQ(Effects("d"), "d-1×1,d-2×1,d-3×1\n");
  EXPECT_EQ(Outcomes("d"), "d-1:processed,d-2:processed,d-3:processed\n");
  const std::vector<std::string> kind_spent{"kind", "spent"};
  EXPECT_GE(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"conflict", "false"}),
            rounds - 1);
  EXPECT_EQ(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"conflict", "true"}), 0);
  EXPECT_EQ(CounterValue(registry, "cchc_events_dead_lettered_total"), 0);
}

TEST_F(ConsumerFaultsTest, AConnectionLostWhileTheDatabaseAnswersSpendsNoAttempt) {
  const std::string topic = "test.connection-lost.v1";
  Produce(topic, "c-1", "connection-killer", "Thông báo kết quả chỉ số CCHC");
  Produce(topic, "c-2", kPublished, "Kế hoạch 2016");
  std::map<std::string, int> tries;
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  consumer::EventConsumer c(
      pool, Options(topic),
      [&](pqxx::work& tx, const events::CloudEvent& e) {
        // The server ends this backend (57P01, the connection lost) on the first three tries.
        if (e.type == "connection-killer" && tries[e.id]++ < 3)
          tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
        return RecordEveryEffect(tx, e);
      },
      registry);
  c.Subscribe();
  Poller poller(c, 2);
  EXPECT_EQ(poller.Join(), 2);
  c.Stop();
  const std::vector<std::string> kind_spent{"kind", "spent"};
  EXPECT_GE(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"connection", "false"}), 2);
  EXPECT_EQ(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"connection", "true"}), 0);
  EXPECT_EQ(Outcomes("c"), "c-1:processed,c-2:processed\n");
  EXPECT_EQ(Effects("c"), "c-1×1,c-2×1\n");
  EXPECT_EQ(CounterValue(registry, "cchc_events_dead_lettered_total"), 0);
}

TEST_F(ConsumerFaultsTest, ALockThatStaysTakenSpendsAttemptsOnceTheTransientBudgetIsUsed) {
  const std::string topic = "test.lock-held.v1";
  Produce(topic, "l-1", "locked", "Báo cáo chỉ số CCHC");
  Produce(topic, "l-2", kPublished, "Thông tư 01/2011/TT-BNV");
  pqxx::connection holder(url_);
  pqxx::work held(holder);
  held.exec("SELECT n FROM notification.counters WHERE k = 'c' FOR UPDATE");
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  auto options = Options(topic);
  options.max_attempts = 2;
  options.transient_retry = std::chrono::milliseconds(1000);
  consumer::EventConsumer c(
      pool, options,
      [](pqxx::work& tx, const events::CloudEvent& e) {
        if (e.type == "locked") tx.exec("SELECT n FROM counters WHERE k = 'c' FOR UPDATE NOWAIT");  // 55P03
        return RecordEveryEffect(tx, e);
      },
      registry);
  c.Subscribe();
  auto started = std::chrono::steady_clock::now();
  Poller poller(c, 2);
  EXPECT_EQ(poller.Join(), 2);
  const auto took = std::chrono::steady_clock::now() - started;
  c.Stop();
  held.abort();
  EXPECT_GE(took, options.transient_retry);
  const std::vector<std::string> kind_spent{"kind", "spent"};
  EXPECT_GE(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"conflict", "false"}), 1);
  EXPECT_EQ(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"conflict", "true"}), 2);
  EXPECT_EQ(Outcomes("l"), "l-1:dead_lettered,l-2:processed\n");
  EXPECT_EQ(Effects("l"), "l-2×1\n");
  EXPECT_EQ(DeadLettered(topic + ".dlq", 1), std::vector<std::string>{"l-1"});
}

TEST_F(ConsumerFaultsTest, AStatementTimeOutAlwaysSpendsAnAttempt) {
  const std::string topic = "test.statement-timeout.v1";
  Produce(topic, "s-1", "slow", "Tổng hợp kết quả chỉ số PAR INDEX");
  Produce(topic, "s-2", kPublished, "Quyết định công bố chỉ số CCHC năm 2015");
  metrics::Registry registry;
  db::Pool pool(url_, "notification", 2, consumer::Statements(), &registry);
  auto options = Options(topic);
  options.max_attempts = 2;  // and the default transient budget, 300 s: a time-out is not transient
  consumer::EventConsumer c(
      pool, options,
      [](pqxx::work& tx, const events::CloudEvent& e) {
        if (e.type == "slow") {
          tx.exec("SET LOCAL statement_timeout = '100ms'");
          tx.exec("SELECT pg_sleep(5)");  // 57014
        }
        return RecordEveryEffect(tx, e);
      },
      registry);
  c.Subscribe();
  auto started = std::chrono::steady_clock::now();
  Poller poller(c, 2);
  EXPECT_EQ(poller.Join(), 2);
  c.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  const std::vector<std::string> kind_spent{"kind", "spent"};
  EXPECT_EQ(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"timeout", "true"}), 2);
  EXPECT_EQ(CounterValue(registry, "cchc_consumer_failed_attempts_total", kind_spent, {"timeout", "false"}), 0);
  EXPECT_EQ(Outcomes("s"), "s-1:dead_lettered,s-2:processed\n");
  EXPECT_EQ(Effects("s"), "s-2×1\n");
  EXPECT_EQ(DeadLettered(topic + ".dlq", 1), std::vector<std::string>{"s-1"});
}

}  // namespace
}  // namespace cchc
