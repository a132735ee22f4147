#pragma once
// What the consumer suites (consumer_test, consumer_faults_test) share: a PostgreSQL cluster with the
// notification schema (the platform's migrations and the suite's own tables) and the embedded broker, the
// CloudEvents headers of a test event, the dedupe records read back, and the consumer's options on a topic.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

#include "platform/consumer.h"
#include "platform/migrations.h"
#include "support/stack.h"

namespace cchc::testing {

class ConsumerSuite : public ::testing::Test {
 protected:
  // From SetUpTestSuite: starts the cluster and the broker and applies the migrations, then `tables` (SQL).
  static void StartStack(const std::string& tables) {
    pg_ = new PostgresCluster();
    broker_ = new Broker();
    url_ = pg_->Provision("notification");
    pqxx::connection c(url_);
    auto migrations = db::PlatformMigrations();
    migrations.push_back({"test_001_effects", tables});
    db::ApplyMigrations(c, "notification", migrations);
  }
  static void StopStack() {
    delete broker_;
    delete pg_;
  }

  static std::map<std::string, std::string> Headers(const std::string& id, const std::string& type) {
    return {{"ce_id", id},     {"ce_source", "/cchc/document"},     {"ce_specversion", "1.0"},
            {"ce_type", type}, {"ce_time", "2018-06-07T01:00:00Z"}, {"content-type", "application/protobuf"}};
  }

  // "id:outcome,…" of the dedupe records of the events whose ids start with PREFIX-, in id order.
  static std::string Outcomes(const std::string& prefix) {
    return pg_->Sql(
        "SELECT string_agg(event_id || ':' || outcome, ',' ORDER BY event_id) FROM "
        "notification.processed_events WHERE event_id LIKE '" +
        prefix + "-%'");
  }

  // Group "test-TOPIC" on `topic`, dead letters to TOPIC.dlq, `max_attempts`, a 10 ms first retry backoff.
  static consumer::Options ConsumerOptions(const std::string& topic, int max_attempts) {
    consumer::Options o;
    o.brokers = broker_->Bootstrap();
    o.group_id = "test-" + topic;
    o.topics = {topic};
    o.dead_letter_topic = topic + ".dlq";
    o.max_attempts = max_attempts;
    o.retry_backoff = std::chrono::milliseconds(10);
    return o;
  }

  inline static PostgresCluster* pg_ = nullptr;
  inline static Broker* broker_ = nullptr;
  inline static std::string url_;
};

}  // namespace cchc::testing
