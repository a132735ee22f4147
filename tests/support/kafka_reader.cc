#include "kafka_reader.h"

#include <librdkafka/rdkafka.h>

#include <stdexcept>

#include "platform/cloudevents.h"
#include "platform/kafka.h"

namespace cchc::testing {

std::vector<ConsumedMessage> ReadTopic(const std::string& bootstrap, const std::string& topic, size_t min_count,
                                       std::chrono::milliseconds timeout, std::chrono::milliseconds quiet) {
  auto consumer = kafka::MakeConsumer(bootstrap, "test-reader-" + events::NewUuid(), {});
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<ConsumedMessage> out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto last = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    if (out.size() >= min_count && std::chrono::steady_clock::now() - last > quiet) break;
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 100);
    if (!m) continue;
    if (!m->err) {
      ConsumedMessage c;
      if (m->key) c.key.assign(static_cast<const char*>(m->key), m->key_len);
      if (m->payload) c.value.assign(static_cast<const char*>(m->payload), m->len);
      c.partition = m->partition;
      c.offset = m->offset;
      rd_kafka_headers_t* h = nullptr;
      if (rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR && h) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
          c.headers[name] = std::string(static_cast<const char*>(value), size);
      }
      out.push_back(std::move(c));
      last = std::chrono::steady_clock::now();
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(consumer.get());
  return out;
}

void Produce(const std::string& bootstrap, const std::string& topic, const std::string& key, const std::string& value,
             const std::map<std::string, std::string>& headers) {
  auto producer = kafka::MakeProducer(bootstrap, {}, nullptr, nullptr);
  rd_kafka_headers_t* h = rd_kafka_headers_new(headers.size());
  for (const auto& [k, v] : headers) rd_kafka_header_add(h, k.c_str(), -1, v.data(), static_cast<ssize_t>(v.size()));
  auto err = rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                               RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                               RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
  if (err) throw std::runtime_error(rd_kafka_err2str(err));
  if (rd_kafka_flush(producer.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("produce not acknowledged");
}

}  // namespace cchc::testing
