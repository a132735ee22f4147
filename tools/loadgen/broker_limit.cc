#include "broker_limit.h"

#include <atomic>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "platform/kafka.h"

namespace cchc::loadgen {

Stats RunBrokerLimit(const BrokerLimitOptions& o) {
  using Clock = std::chrono::steady_clock;
  std::string topic = "bench.raw." + o.run_id;
  auto producer = cchc::kafka::MakeProducer(o.brokers, {{"linger.ms", "0"}}, nullptr, nullptr);
  auto consumer = cchc::kafka::MakeConsumer(o.brokers, "bench-raw-" + o.run_id, {});
  // Create the topic (the mock cluster auto-creates on first produce) and subscribe before measuring.
  rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(const_cast<char*>("x"), 1),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  rd_kafka_flush(producer.get(), 5000);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  int count = std::max(1, static_cast<int>(o.rate * o.duration));
  auto epoch = Clock::now();
  std::vector<std::atomic<int64_t>> sent(static_cast<size_t>(count)), got(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) sent[i] = 0, got[i] = 0;
  std::atomic<int> received{0};
  std::atomic<bool> stop{false}, warm{false};
  std::thread reader([&] {
    while (!stop && received < count) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 100);
      if (!m) continue;
      if (!m->err && m->len == 1) warm = true;  // the topic-creating message: the fetch loop is running
      if (!m->err && m->len == sizeof(int)) {
        int i;
        std::memcpy(&i, m->payload, sizeof i);
        if (i >= 0 && i < count && got[i] == 0) {
          got[i] = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch).count();
          ++received;
        }
      }
      rd_kafka_message_destroy(m);
    }
  });
  // Measure only once the group has its assignment and fetches: until then messages wait for the join, not
  // for the broker.
  for (auto until = Clock::now() + std::chrono::seconds(30); !warm && Clock::now() < until;)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto begin = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(begin + std::chrono::microseconds(static_cast<int64_t>(i * 1e6 / o.rate)));
    sent[i] = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch).count();
    rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_VALUE(&i, sizeof i),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rd_kafka_poll(producer.get(), 0);
  }
  double seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  rd_kafka_flush(producer.get(), 10000);
  auto deadline = Clock::now() + std::chrono::seconds(20);
  while (received < count && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop = true;
  reader.join();
  rd_kafka_consumer_close(consumer.get());
  std::vector<uint32_t> latencies;
  std::map<std::string, int64_t> errors;
  for (int i = 0; i < count; ++i) {
    if (got[i] == 0)
      ++errors["not_consumed"];
    else
      latencies.push_back(static_cast<uint32_t>(std::max<int64_t>(0, got[i] - sent[i])));
  }
  return Summarize("broker produce→consume", latencies, errors, seconds);
}

}  // namespace cchc::loadgen
