#include "dead_letter.h"

#include <stdexcept>
#include <thread>

#include "log.h"

namespace cchc::consumer {
namespace {

// A message's delivery report, filled in by OnDelivery on the thread that polls the producer.
struct Report {
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* m, void* /*opaque*/) {
  auto* report = static_cast<Report*>(m->_private);
  report->err = m->err;
  report->done = true;
}

}  // namespace

DeadLetterWriter::DeadLetterWriter(const std::string& brokers, std::string topic, const kafka::Properties& properties,
                                   std::chrono::milliseconds backoff, std::chrono::milliseconds max_backoff,
                                   metrics::Registry& registry)
    : brokers_(brokers),
      topic_(std::move(topic)),
      properties_(properties),
      backoff_(backoff),
      max_backoff_(max_backoff),
      producer_(kafka::MakeProducer(brokers_, properties_, OnDelivery, nullptr)),
      written_(registry.AddCounter("cchc_events_dead_lettered_total", "Events sent to the dead-letter topic")
                   .WithLabels({})),
      failures_(registry
                    .AddCounter("cchc_consumer_dead_letter_failures_total",
                                "Dead-letter writes the broker did not acknowledge (retried; the source offset waits)")
                    .WithLabels({})),
      blocked_gauge_(registry
                         .AddGauge("cchc_consumer_dead_letter_blocked",
                                   "1 while a failed dead-letter write is being retried and its partition waits")
                         .WithLabels({})) {}

void DeadLetterWriter::Write(const rd_kafka_message_t* msg, const std::string& error, const std::atomic<bool>& stop) {
  auto backoff = backoff_;
  for (int failures = 0;; ++failures) {
    rd_kafka_resp_err_t err = WriteOnce(msg, error, stop);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    failures_.Increment();
    if (!blocked_.exchange(true)) blocked_gauge_.Set(1);
    log::Error("consumer: dead-letter write failed, retrying",
               {{"topic", topic_}, {"failures", std::to_string(failures + 1)}, {"error", rd_kafka_err2str(err)}});
    if (stop)
      throw std::runtime_error(std::string("stopping with a dead-letter write failed: ") + rd_kafka_err2str(err));
    RecreateIfFatal();
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, max_backoff_);
  }
  if (blocked_.exchange(false)) blocked_gauge_.Set(0);
  written_.Increment();
  log::Error("consumer: message dead-lettered",
             {{"topic", rd_kafka_topic_name(msg->rkt)}, {"offset", std::to_string(msg->offset)}, {"error", error}});
}

void DeadLetterWriter::RecreateIfFatal() {
  char reason[512];
  rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(producer_.get(), reason, sizeof reason);
  if (fatal == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  log::Error("consumer: dead-letter producer failed for good, making a new one",
             {{"error", rd_kafka_err2str(fatal)}, {"reason", reason}});
  producer_.reset();  // nothing of it is waited for: every message of it has had its report
  producer_ = kafka::MakeProducer(brokers_, properties_, OnDelivery, nullptr);
}

rd_kafka_resp_err_t DeadLetterWriter::WriteOnce(const rd_kafka_message_t* msg, const std::string& error,
                                                const std::atomic<bool>& stop) {
  rd_kafka_headers_t* headers = nullptr;
  rd_kafka_headers_t* original = nullptr;
  if (rd_kafka_message_headers(msg, &original) == RD_KAFKA_RESP_ERR_NO_ERROR && original)
    headers = rd_kafka_headers_copy(original);
  else
    headers = rd_kafka_headers_new(2);
  const std::string source = rd_kafka_topic_name(msg->rkt);
  rd_kafka_header_add(headers, "cchc_dlq_error", -1, error.data(), static_cast<ssize_t>(error.size()));
  rd_kafka_header_add(headers, "cchc_dlq_topic", -1, source.data(), static_cast<ssize_t>(source.size()));
  Report report;
  rd_kafka_resp_err_t err =
      rd_kafka_producev(producer_.get(), RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_KEY(msg->key, msg->key_len),
                        RD_KAFKA_V_VALUE(msg->payload, msg->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(&report), RD_KAFKA_V_END);
  if (err) {
    rd_kafka_headers_destroy(headers);
    return err;
  }
  // The report always comes: librdkafka fails a message at message.timeout.ms at the latest. When stopping,
  // a message not yet sent is purged (reported as such) rather than waited for.
  bool purged = false;
  while (!report.done) {
    rd_kafka_poll(producer_.get(), 100);
    if (stop && !purged && !report.done) {
      rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_NON_BLOCKING);
      purged = true;
    }
  }
  return report.err;
}

}  // namespace cchc::consumer
