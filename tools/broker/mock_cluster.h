#pragma once
// The project's embedded Kafka broker: librdkafka's mock cluster (real Kafka protocol on loopback, log in
// memory) behind a bootstrap port of our choosing, with controls to take brokers down and up and to inject
// request errors — the way librdkafka's own tests simulate outages.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <functional>
#include <string>
#include <vector>

namespace cchc::broker {

class MockCluster {
 public:
  // Starts `broker_count` mock brokers on ephemeral loopback ports. Throws std::runtime_error on failure.
  explicit MockCluster(int broker_count);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // "127.0.0.1:p1,127.0.0.1:p2,…" as the mock listens.
  std::string Bootstraps() const;
  int BrokerCount() const { return broker_count_; }
  void CreateTopic(const std::string& topic, int partitions);

  // Executes one control command and returns the reply line:
  //   down <id|all> | up <id|all> | errors <api-key> <error-code> <count> | clear-errors <api-key> |
  //   rtt <id|all> <ms> | status
  std::string Control(const std::string& command);

 private:
  void ForBrokers(const std::string& which, const std::function<void(int32_t)>& fn);
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  int broker_count_;
  std::vector<bool> up_;
};

}  // namespace cchc::broker
