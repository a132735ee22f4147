#include "consumer.h"

#include <chrono>

#include "log.h"

namespace cchc::consumer {

EventConsumer::EventConsumer(db::Pool& pool, Options options, Handler handler, metrics::Registry& registry)
    : pool_(pool),
      options_(std::move(options)),
      handler_(std::move(handler)),
      consumed_(registry.AddCounter("cchc_events_consumed_total", "Events consumed, by type and result",
                                    {"topic", "type", "result"})),
      processing_seconds_(registry.AddHistogram("cchc_event_processing_seconds", "Time to process one event", {"topic"},
                                                metrics::LatencyBuckets())),
      lag_(registry.AddGauge("cchc_consumer_lag", "Messages behind the partition's high watermark",
                             {"topic", "partition"})),
      dead_letters_(registry.AddCounter("cchc_events_dead_lettered_total", "Events sent to the dead-letter topic")
                        .WithLabels({})) {
  consumer_ = kafka::MakeConsumer(options_.brokers, options_.group_id, options_.kafka_properties);
  dlq_producer_ = kafka::MakeProducer(options_.brokers, options_.kafka_properties, nullptr, nullptr);
}

EventConsumer::~EventConsumer() {
  Stop();
}

void EventConsumer::Subscribe() {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(options_.topics.size()));
  for (const auto& t : options_.topics) rd_kafka_topic_partition_list_add(list, t.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err) throw std::runtime_error(std::string("kafka subscribe: ") + rd_kafka_err2str(err));
}

void EventConsumer::Start() {
  Subscribe();
  stop_ = false;
  thread_ = std::thread([this] {
    while (!stop_) {
      try {
        PollOnce(std::chrono::milliseconds(100));
      } catch (const std::exception& e) {
        log::Error("consumer: unexpected error", {{"error", e.what()}});
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    }
  });
}

void EventConsumer::Stop() {
  if (stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (consumer_) {
    rd_kafka_commit(consumer_.get(), nullptr, 0);
    rd_kafka_consumer_close(consumer_.get());
  }
}

bool EventConsumer::PollOnce(std::chrono::milliseconds timeout) {
  rd_kafka_message_t* msg = rd_kafka_consumer_poll(consumer_.get(), static_cast<int>(timeout.count()));
  if (!msg) return false;
  if (msg->err) {
    if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
      log::Warn("consumer: broker error", {{"error", rd_kafka_message_errstr(msg)}});
    rd_kafka_message_destroy(msg);
    return false;
  }
  std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(msg, rd_kafka_message_destroy);
  try {
    Handle(msg);
  } catch (...) {
    // Not processed: go back so this message is consumed again rather than skipped.
    rd_kafka_seek(msg->rkt, msg->partition, msg->offset, 5000);
    throw;
  }
  rd_kafka_offset_store(msg->rkt, msg->partition, msg->offset);
  int64_t low = 0, high = 0;
  if (rd_kafka_get_watermark_offsets(consumer_.get(), rd_kafka_topic_name(msg->rkt), msg->partition, &low, &high) ==
      RD_KAFKA_RESP_ERR_NO_ERROR)
    lag_.WithLabels({rd_kafka_topic_name(msg->rkt), std::to_string(msg->partition)})
        .Set(static_cast<double>(std::max<int64_t>(0, high - msg->offset - 1)));
  return true;
}

void EventConsumer::Handle(rd_kafka_message_t* msg) {
  const std::string topic = rd_kafka_topic_name(msg->rkt);
  auto event = events::FromMessage(msg);
  if (!event) {
    consumed_.WithLabels({topic, "", "malformed"}).Increment();
    DeadLetter(msg, "missing CloudEvents headers (ce_id, ce_source, ce_type)");
    return;
  }
  auto started = std::chrono::steady_clock::now();
  std::string last_error;
  auto backoff = options_.retry_backoff;
  auto outage_backoff = options_.retry_backoff;
  for (int attempt = 1; attempt <= options_.max_attempts && !stop_; ++attempt) {
    try {
      bool fresh = Record(*event, topic);
      consumed_.WithLabels({topic, event->type, fresh ? "processed" : "duplicate"}).Increment();
      processing_seconds_.WithLabels({topic}).Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      return;
    } catch (const db::Unavailable& e) {
      // The database is down: not the message's fault. Wait for it without spending an attempt, so an outage
      // never sends good events to the dead-letter topic.
      log::Warn("consumer: database unavailable, waiting", {{"event_id", event->id}, {"error", e.what()}});
      std::this_thread::sleep_for(outage_backoff);
      outage_backoff = std::min(outage_backoff * 2, std::chrono::milliseconds(5000));
      --attempt;
    } catch (const pqxx::broken_connection& e) {
      log::Warn("consumer: database connection lost, waiting", {{"event_id", event->id}, {"error", e.what()}});
      std::this_thread::sleep_for(outage_backoff);
      outage_backoff = std::min(outage_backoff * 2, std::chrono::milliseconds(5000));
      --attempt;
    } catch (const std::exception& e) {
      last_error = e.what();
      log::Warn("consumer: handler failed", {{"event_id", event->id},
                                             {"type", event->type},
                                             {"attempt", std::to_string(attempt)},
                                             {"error", last_error}});
      if (attempt < options_.max_attempts) {
        std::this_thread::sleep_for(backoff);
        backoff *= 2;
      }
    }
  }
  if (stop_) throw std::runtime_error("stopping with event " + event->id + " unprocessed");
  consumed_.WithLabels({topic, event->type, "dead_lettered"}).Increment();
  DeadLetter(msg, last_error);
  // Remember it so a redelivery does not go to the dead-letter topic twice.
  pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO processed_events (source, event_id, event_type, outcome) VALUES ($1, $2, $3, 'dead_lettered') "
        "ON CONFLICT DO NOTHING",
        event->source, event->id, event->type);
    tx.commit();
  });
}

bool EventConsumer::Record(const events::CloudEvent& e, const std::string&) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_params(
        "INSERT INTO processed_events (source, event_id, event_type, outcome) VALUES ($1, $2, $3, 'processed') "
        "ON CONFLICT DO NOTHING RETURNING 1",
        e.source, e.id, e.type);
    if (r.empty()) return false;  // seen before: its effect is already committed
    Outcome outcome = handler_(tx, e);
    if (outcome == Outcome::kSkipped)
      tx.exec_params("UPDATE processed_events SET outcome = 'skipped' WHERE source = $1 AND event_id = $2", e.source,
                     e.id);
    tx.commit();
    return true;
  });
}

void EventConsumer::DeadLetter(rd_kafka_message_t* msg, const std::string& error) {
  rd_kafka_headers_t* headers = nullptr;
  rd_kafka_headers_t* original = nullptr;
  if (rd_kafka_message_headers(msg, &original) == RD_KAFKA_RESP_ERR_NO_ERROR && original)
    headers = rd_kafka_headers_copy(original);
  else
    headers = rd_kafka_headers_new(2);
  std::string topic = rd_kafka_topic_name(msg->rkt);
  rd_kafka_header_add(headers, "cchc_dlq_error", -1, error.data(), static_cast<ssize_t>(error.size()));
  rd_kafka_header_add(headers, "cchc_dlq_topic", -1, topic.data(), static_cast<ssize_t>(topic.size()));
  rd_kafka_resp_err_t err =
      rd_kafka_producev(dlq_producer_.get(), RD_KAFKA_V_TOPIC(options_.dead_letter_topic.c_str()),
                        RD_KAFKA_V_KEY(msg->key, msg->key_len), RD_KAFKA_V_VALUE(msg->payload, msg->len),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
  if (err) {
    rd_kafka_headers_destroy(headers);
    throw std::runtime_error(std::string("dead-letter produce: ") + rd_kafka_err2str(err));
  }
  if (rd_kafka_flush(dlq_producer_.get(), 10000) != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw std::runtime_error("dead-letter topic did not acknowledge in time");
  dead_letters_.Increment();
  log::Error("consumer: message dead-lettered", {{"topic", topic}, {"error", error}});
}

}  // namespace cchc::consumer
