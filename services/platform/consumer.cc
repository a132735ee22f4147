#include "consumer.h"

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>

#include "consumer_failure.h"
#include "dates.h"
#include "log.h"
#include "thread_name.h"
#include "trace_context.h"

namespace cchc::consumer {
namespace {

metrics::Family<metrics::Counter>& BatchesFamily(metrics::Registry& registry) {
  return registry.AddCounter("cchc_consumer_batches_total",
                             "Consumer batches by how their effect was written: at_once (one statement), "
                             "transaction, or one_by_one (the batch failed)",
                             {"path"});
}

class FunctionHandler : public EventHandler {
 public:
  explicit FunctionHandler(HandlerFunction fn) : fn_(std::move(fn)) {}
  Outcome Handle(pqxx::work& tx, const events::CloudEvent& event) override { return fn_(tx, event); }

 private:
  HandlerFunction fn_;
};

// A transient failure's wait: `backoff` with equal jitter (between half and all of it), so that two
// transactions that deadlocked do not retry in step.
std::chrono::milliseconds Jittered(std::chrono::milliseconds backoff) {
  thread_local std::mt19937 random{std::random_device{}()};
  const auto half = backoff.count() / 2;
  return std::chrono::milliseconds(half + std::uniform_int_distribution<int64_t>(0, backoff.count() - half)(random));
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

kafka::Properties ConsumerProperties(const Options& options) {
  kafka::Properties properties = options.kafka_properties;
  properties.emplace("fetch.wait.max.ms", std::to_string(options.fetch_wait.count()));
  return properties;
}

EventConsumer::EventConsumer(db::Pool& pool, Options options, HandlerFunction handler, metrics::Registry& registry)
    : EventConsumer(pool, std::move(options), nullptr, std::make_unique<FunctionHandler>(std::move(handler)),
                    registry) {}

EventConsumer::EventConsumer(db::Pool& pool, Options options, EventHandler& handler, metrics::Registry& registry)
    : EventConsumer(pool, std::move(options), &handler, nullptr, registry) {}

EventConsumer::EventConsumer(db::Pool& pool, Options options, EventHandler* handler,
                             std::unique_ptr<EventHandler> owned, metrics::Registry& registry)
    : pool_(pool),
      options_(std::move(options)),
      owned_handler_(std::move(owned)),
      handler_(handler ? *handler : *owned_handler_),
      consumed_(registry.AddCounter("cchc_events_consumed_total", "Events consumed, by type and result",
                                    {"topic", "type", "result"})),
      processing_seconds_(registry.AddHistogram("cchc_event_processing_seconds",
                                                "Time from an event's batch starting to its effect committed",
                                                {"topic"}, metrics::LatencyBuckets())),
      delay_seconds_(registry.AddHistogram("cchc_event_delay_seconds",
                                           "From an event's time (ce_time) to its effect committed here", {"topic"},
                                           metrics::LatencyBuckets())),
      batch_size_(registry
                      .AddHistogram("cchc_consumer_batch_size", "Messages handled per consumer transaction", {},
                                    {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000})
                      .WithLabels({})),
      lag_(registry.AddGauge("cchc_consumer_lag", "Messages behind the partition's high watermark",
                             {"topic", "partition"})),
      batches_at_once_(BatchesFamily(registry).WithLabels({"at_once"})),
      batches_in_transaction_(BatchesFamily(registry).WithLabels({"transaction"})),
      batches_one_by_one_(BatchesFamily(registry).WithLabels({"one_by_one"})),
      failed_attempts_(registry.AddCounter("cchc_consumer_failed_attempts_total",
                                           "Failed tries at one event, by kind (conflict, connection, timeout, "
                                           "other) and whether they spent one of its attempts",
                                           {"kind", "spent"})),
      dead_letter_(options_.brokers, options_.dead_letter_topic, options_.kafka_properties, options_.retry_backoff,
                   options_.max_backoff, registry) {
  if (options_.max_batch < 1) throw std::invalid_argument("consumer: max_batch must be at least 1");
  consumer_ = kafka::MakeConsumer(options_.brokers, options_.group_id, ConsumerProperties(options_));
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
    NameThisThread("consumer");
    while (!stop_) {
      try {
        PollBatch(std::chrono::milliseconds(100));
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

int EventConsumer::PollBatch(std::chrono::milliseconds timeout) {
  std::vector<Message> messages;
  for (auto wait = static_cast<int>(timeout.count()); static_cast<int>(messages.size()) < options_.max_batch;
       wait = 0) {
    rd_kafka_message_t* msg = rd_kafka_consumer_poll(consumer_.get(), wait);
    if (!msg) break;
    if (msg->err) {
      if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
        log::Warn("consumer: broker error", {{"error", rd_kafka_message_errstr(msg)}});
      rd_kafka_message_destroy(msg);
      continue;
    }
    messages.emplace_back(msg, rd_kafka_message_destroy);
  }
  if (messages.empty()) return 0;
  // Messages without CloudEvents headers go to the dead-letter topic; in message order with the events that
  // end there too, so the dead-letter topic keeps each partition's order.
  std::vector<Received> batch;
  std::vector<rd_kafka_message_t*> malformed;
  for (const auto& m : messages) {
    if (auto event = events::FromMessage(m.get())) {
      // This consumer's span: continues the producer's trace, or starts one when the header is missing or
      // invalid (the event is handled all the same; an invalid header is not passed on).
      event->traceparent = trace::ContinueOrStart(event->traceparent).ToHeader();
      batch.push_back({m.get(), std::move(*event)});
    } else {
      malformed.push_back(m.get());
    }
  }
  auto dead_letter_malformed = [&](rd_kafka_message_t* msg) {
    consumed_.WithLabels({rd_kafka_topic_name(msg->rkt), "", "malformed"}).Increment();
    dead_letter_.Write(msg, "missing CloudEvents headers (ce_id, ce_source, ce_type)", stop_);
  };
  try {
    if (batch.empty() || HandleTogether(batch)) {
      for (auto* msg : malformed) dead_letter_malformed(msg);
    } else {
      auto next = batch.begin();
      for (const auto& m : messages) {
        if (next != batch.end() && next->msg == m.get())
          HandleAlone(*next++);
        else
          dead_letter_malformed(m.get());
      }
    }
  } catch (...) {
    // Not all handled: go back so these messages are consumed again rather than skipped.
    SeekBack(messages);
    throw;
  }
  StoreOffsets(messages);
  batch_size_.Observe(static_cast<double>(messages.size()));
  return static_cast<int>(messages.size());
}

void EventConsumer::HandleAlone(const Received& r) {
  const std::string topic = rd_kafka_topic_name(r.msg->rkt);
  const auto& event = r.event;
  // The event's trace (the consumer's span of it) for its logs and for the outbox rows its effect writes.
  trace::Scope trace_scope(trace::Parse(event.traceparent).value_or(trace::NewTrace()));
  auto started = std::chrono::steady_clock::now();
  std::string last_error;
  auto backoff = options_.retry_backoff;            // after an attempt spent
  auto transient_backoff = options_.retry_backoff;  // after a transient failure that spent none
  auto outage_backoff = options_.retry_backoff;
  // Since the event's first transient failure, less the database outages waited out meanwhile.
  std::optional<std::chrono::steady_clock::time_point> first_transient;
  std::chrono::steady_clock::duration outages{};
  for (int attempt = 0; attempt < options_.max_attempts;) {
    if (stop_) throw std::runtime_error("stopping with event " + event.id + " unprocessed");
    try {
      bool fresh = pool_.Run([&](pqxx::connection& c) {
        pqxx::work tx(c);
        std::vector<Received> one{r};
        auto recorded = RecordFresh(tx, one);
        if (recorded.empty()) return false;  // seen before: its effect is already committed
        if (handler_.Handle(tx, event) == Outcome::kSkipped) MarkSkipped(tx, recorded);
        handler_.BeforeCommit(tx);
        tx.commit();
        return true;
      });
      handler_.Committed();
      consumed_.WithLabels({topic, event.type, fresh ? "processed" : "duplicate"}).Increment();
      processing_seconds_.WithLabels({topic}).Observe(SecondsSince(started));
      ObserveDelay(topic, event);
      return;
    } catch (const std::exception& e) {
      handler_.RolledBack();
      // The database is down: not the message's fault, nor a try at it.
      if (WaitedForDatabase(e, outage_backoff, outages)) continue;
      const Failure failure = Classify(e);
      const auto now = std::chrono::steady_clock::now();
      if (IsTransient(failure) && !first_transient) first_transient = now;
      const auto transient_elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
          first_transient ? now - *first_transient - outages : std::chrono::steady_clock::duration{});
      const bool spent = SpendsAttempt(failure, transient_elapsed, options_.transient_retry);
      if (spent) ++attempt;
      failed_attempts_.WithLabels({Name(failure), spent ? "true" : "false"}).Increment();
      last_error = e.what();
      log::Warn("consumer: handler failed", {{"event_id", event.id},
                                             {"type", event.type},
                                             {"kind", Name(failure)},
                                             {"attempt", std::to_string(attempt)},
                                             {"attempt_spent", spent ? "true" : "false"},
                                             {"error", last_error}});
      if (attempt >= options_.max_attempts) break;
      auto& wait = spent ? backoff : transient_backoff;
      std::this_thread::sleep_for(spent ? wait : Jittered(wait));
      wait = std::min(wait * 2, options_.max_backoff);
    }
  }
  dead_letter_.Write(r.msg, last_error, stop_);
  consumed_.WithLabels({topic, event.type, "dead_lettered"}).Increment();
  RecordDeadLettered(event);
}

void EventConsumer::RecordDeadLettered(const events::CloudEvent& event) {
  auto outage_backoff = options_.retry_backoff;
  std::chrono::steady_clock::duration waited{};
  while (true) {
    try {
      pool_.Run([&](pqxx::connection& c) {
        pqxx::work tx(c);
        tx.exec_params(
            "INSERT INTO processed_events (source, event_id, event_type, outcome) VALUES ($1, $2, $3, "
            "'dead_lettered') ON CONFLICT DO NOTHING",
            event.source, event.id, event.type);
        tx.commit();
      });
      return;
    } catch (const std::exception& e) {
      if (stop_ || !WaitedForDatabase(e, outage_backoff, waited)) throw;
    }
  }
}

void EventConsumer::ObserveDelay(const std::string& topic, const events::CloudEvent& event) {
  auto at = dates::ParseRfc3339Micros(event.time);
  if (!at) return;
  const int64_t now = db::NowMicros();
  delay_seconds_.WithLabels({topic}).Observe(static_cast<double>(std::max<int64_t>(0, now - *at)) / 1e6);
}

bool EventConsumer::WaitedForDatabase(const std::exception& e, std::chrono::milliseconds& backoff,
                                      std::chrono::steady_clock::duration& waited) {
  if (Classify(e) != Failure::kConnection) return false;
  const auto started = std::chrono::steady_clock::now();
  if (pool_.Ping()) return false;  // reachable: the connection was lost on this work's account
  log::Warn("consumer: database unavailable, waiting", {{"error", e.what()}});
  std::this_thread::sleep_for(backoff);
  backoff = std::min(backoff * 2, options_.max_backoff);
  waited += std::chrono::steady_clock::now() - started;
  return true;
}

void EventConsumer::StoreOffsets(const std::vector<Message>& messages) {
  // The next offset to read, per partition: one past the last message handled.
  std::map<std::pair<std::string, int32_t>, int64_t> next;
  for (const auto& m : messages) {
    auto& offset = next[{rd_kafka_topic_name(m->rkt), m->partition}];
    offset = std::max(offset, m->offset + 1);
  }
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(next.size()));
  for (const auto& [tp, offset] : next)
    rd_kafka_topic_partition_list_add(list, tp.first.c_str(), tp.second)->offset = offset;
  rd_kafka_resp_err_t err = rd_kafka_offsets_store(consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err) log::Warn("consumer: offsets not stored", {{"error", rd_kafka_err2str(err)}});
  for (const auto& [tp, offset] : next) {
    int64_t low = 0, high = 0;
    if (rd_kafka_get_watermark_offsets(consumer_.get(), tp.first.c_str(), tp.second, &low, &high) ==
        RD_KAFKA_RESP_ERR_NO_ERROR)
      lag_.WithLabels({tp.first, std::to_string(tp.second)})
          .Set(static_cast<double>(std::max<int64_t>(0, high - offset)));
  }
}

void EventConsumer::SeekBack(const std::vector<Message>& messages) {
  std::map<rd_kafka_topic_t*, std::map<int32_t, int64_t>> first;
  for (const auto& m : messages) {
    auto [it, inserted] = first[m->rkt].emplace(m->partition, m->offset);
    if (!inserted) it->second = std::min(it->second, m->offset);
  }
  for (const auto& [rkt, partitions] : first)
    for (const auto& [partition, offset] : partitions) rd_kafka_seek(rkt, partition, offset, 5000);
}

}  // namespace cchc::consumer
