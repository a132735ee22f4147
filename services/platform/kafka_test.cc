#include "kafka.h"

#include <gtest/gtest.h>

#include <string>

#include "consumer.h"

namespace cchc {
namespace {

// A setting as the handle librdkafka made holds it. No broker is needed: the handle only tries to connect.
std::string Setting(rd_kafka_t* rk, const char* name) {
  char value[256];
  size_t size = sizeof value;
  if (rd_kafka_conf_get(rd_kafka_conf(rk), name, value, &size) != RD_KAFKA_CONF_OK) return "<unknown>";
  return value;
}

constexpr const char* kNowhere = "127.0.0.1:1";

TEST(Kafka, AConsumersFetchWaitIsTheProjectsDefaultUnlessItIsGiven) {
  auto plain = kafka::MakeConsumer(kNowhere, "g", {});
  EXPECT_EQ(Setting(plain.get(), "fetch.wait.max.ms"), std::to_string(kafka::kDefaultFetchWaitMs));
  auto given = kafka::MakeConsumer(kNowhere, "g", {{"fetch.wait.max.ms", "500"}});
  EXPECT_EQ(Setting(given.get(), "fetch.wait.max.ms"), "500");
  EXPECT_EQ(Setting(given.get(), "enable.auto.offset.store"), "false");
}

TEST(Kafka, TheEventConsumersFetchWaitComesFromItsOptionUnlessAPropertySetsIt) {
  consumer::Options options;
  EXPECT_EQ(consumer::ConsumerProperties(options).at("fetch.wait.max.ms"), std::to_string(kafka::kDefaultFetchWaitMs));
  options.fetch_wait = std::chrono::milliseconds(500);
  options.kafka_properties = {{"client.id", "replica-a"}};
  auto properties = consumer::ConsumerProperties(options);
  EXPECT_EQ(properties.at("fetch.wait.max.ms"), "500");
  EXPECT_EQ(properties.at("client.id"), "replica-a");
  options.kafka_properties["fetch.wait.max.ms"] = "40";
  EXPECT_EQ(consumer::ConsumerProperties(options).at("fetch.wait.max.ms"), "40");
}

}  // namespace
}  // namespace cchc
