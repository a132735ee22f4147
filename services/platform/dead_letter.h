#pragma once
// The consumer's dead-letter topic, written with confirmation: Write returns only once the broker acknowledged
// the copy (a delivery report without error), so the caller stores the source offset after a write that
// really landed and never after one that failed. A failed write is retried with backoff for as long as it
// takes — counted (cchc_consumer_dead_letter_failures_total), logged, and Blocked() meanwhile — since the
// partition must not move past an event that is neither handled nor dead-lettered. A fatal producer error
// (the idempotent producer's state lost) makes a new producer for the next try.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <string>

#include "kafka.h"
#include "metrics.h"

namespace cchc::consumer {

class DeadLetterWriter {
 public:
  // An idempotent producer (kafka::MakeProducer, with `properties`) for `topic`; retries back off from
  // `backoff`, doubled per failure up to `max_backoff`. Throws std::runtime_error naming a rejected property.
  DeadLetterWriter(const std::string& brokers, std::string topic, const kafka::Properties& properties,
                   std::chrono::milliseconds backoff, std::chrono::milliseconds max_backoff,
                   metrics::Registry& registry);

  // Copies `msg` (key, value, headers) to the topic with two headers more: cchc_dlq_error = `error` and
  // cchc_dlq_topic = the topic it came from. Returns once the broker acknowledged it. Throws
  // std::runtime_error, with nothing acknowledged, only when `stop` is set while a failed write waits for its
  // retry. One thread at a time.
  void Write(const rd_kafka_message_t* msg, const std::string& error, const std::atomic<bool>& stop);

  // True from a failed write until the retry that succeeds. Any thread (the readiness check).
  bool Blocked() const { return blocked_; }

 private:
  // One try: the delivery report's error, or the error that kept the message from being queued.
  rd_kafka_resp_err_t WriteOnce(const rd_kafka_message_t* msg, const std::string& error, const std::atomic<bool>& stop);

  // A new producer when librdkafka reports a fatal error on the one in use.
  void RecreateIfFatal();

  std::string brokers_, topic_;
  kafka::Properties properties_;
  std::chrono::milliseconds backoff_, max_backoff_;
  kafka::Handle producer_;
  std::atomic<bool> blocked_{false};
  metrics::Counter& written_;
  metrics::Counter& failures_;
  metrics::Gauge& blocked_gauge_;
};

}  // namespace cchc::consumer
