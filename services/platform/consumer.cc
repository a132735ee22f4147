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

namespace cchc::consumer {
namespace {

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

std::string Param(int n) {
  return "$" + std::to_string(n);
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
      batch_size_(registry.AddHistogram("cchc_consumer_batch_size", "Messages handled per consumer transaction", {},
                                        {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000})),
      lag_(registry.AddGauge("cchc_consumer_lag", "Messages behind the partition's high watermark",
                             {"topic", "partition"})),
      batches_(registry.AddCounter("cchc_consumer_batches_total",
                                   "Consumer batches by how their effect was written: at_once (one statement), "
                                   "transaction, or one_by_one (the batch failed)",
                                   {"path"})),
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
    if (auto event = events::FromMessage(m.get()))
      batch.push_back({m.get(), std::move(*event)});
    else
      malformed.push_back(m.get());
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
  batch_size_.WithLabels({}).Observe(static_cast<double>(messages.size()));
  return static_cast<int>(messages.size());
}

std::vector<db::Statement> Statements() {
  return {{"consumer_record", "WITH " + RecordedCte(1, "true") + " SELECT source, event_id FROM recorded"}};
}

std::string RecordedCte(int first, const std::string& condition) {
  // In (source, id) order, whatever the batch's: two replicas with overlapping batches (after a rebalance,
  // with an event the relay sent twice) then take the ids' index entries in the same order, so neither can
  // hold one the other waits for while it waits for one the other holds.
  return "recorded AS (INSERT INTO processed_events (source, event_id, event_type, outcome) SELECT s, i, t, o FROM "
         "unnest(" +
         Param(first) + "::text[], " + Param(first + 1) + "::text[], " + Param(first + 2) + "::text[], " +
         Param(first + 3) + "::text[]) AS e(s, i, t, o) WHERE " + condition +
         " ORDER BY s, i ON CONFLICT DO NOTHING RETURNING source, event_id)";
}

DedupeRecord RecordedParameters(const std::vector<const events::CloudEvent*>& events,
                                const std::vector<Outcome>& outcomes) {
  if (events.size() != outcomes.size()) throw std::invalid_argument("RecordedParameters: one outcome per event");
  std::vector<std::string> sources, ids, types, names;
  for (size_t i = 0; i < events.size(); ++i) {
    sources.push_back(events[i]->source);
    ids.push_back(events[i]->id);
    types.push_back(events[i]->type);
    names.emplace_back(outcomes[i] == Outcome::kSkipped ? "skipped" : "processed");
  }
  return {db::TextArrayLiteral(sources), db::TextArrayLiteral(ids), db::TextArrayLiteral(types),
          db::TextArrayLiteral(names)};
}

std::set<EventKey> Record(pqxx::transaction_base& tx, const std::vector<const events::CloudEvent*>& events,
                          const std::vector<Outcome>& outcomes) {
  const DedupeRecord r = RecordedParameters(events, outcomes);
  std::set<EventKey> recorded;
  for (const auto& row : tx.exec_prepared("consumer_record", r.sources, r.ids, r.types, r.outcomes))
    recorded.emplace(row[0].as<std::string>(), row[1].as<std::string>());
  return recorded;
}

bool EventConsumer::HandleTogether(const std::vector<Received>& batch) {
  auto started = std::chrono::steady_clock::now();
  auto fresh = HandleAtOnce(batch);
  const char* path = "at_once";
  if (!fresh) {
    fresh = HandleInTransaction(batch);
    path = "transaction";
  }
  if (!fresh) {
    batches_.WithLabels({"one_by_one"}).Increment();
    return false;
  }
  batches_.WithLabels({path}).Increment();
  double seconds = SecondsSince(started);
  for (const auto& r : batch) {
    std::string topic = rd_kafka_topic_name(r.msg->rkt);
    consumed_.WithLabels({topic, r.event.type, fresh->count(&r) ? "processed" : "duplicate"}).Increment();
    processing_seconds_.WithLabels({topic}).Observe(seconds);
    ObserveDelay(topic, r.event);
  }
  return true;
}

bool EventConsumer::WriteBatch(const std::function<void()>& write, size_t events, const char* path) {
  auto outage_backoff = options_.retry_backoff;
  while (true) {
    try {
      write();
      return true;
    } catch (const std::exception& e) {
      handler_.RolledBack();
      if (stop_) throw std::runtime_error("stopping with a batch of " + std::to_string(events) + " unprocessed");
      std::chrono::steady_clock::duration waited{};
      if (WaitedForDatabase(e, outage_backoff, waited)) continue;
      // Anything else, a conflict included, is for the events one by one: each then has its own budget.
      log::Warn(std::string("consumer: a batch failed ") + path,
                {{"events", std::to_string(events)}, {"kind", Name(Classify(e))}, {"error", e.what()}});
      return false;
    }
  }
}

std::optional<std::set<const EventConsumer::Received*>> EventConsumer::HandleAtOnce(
    const std::vector<Received>& batch) {
  const FirstCopies copies = FirstCopiesOf(batch);
  std::optional<std::set<EventKey>> recorded;
  bool answered = WriteBatch(
      [&] {
        pool_.Run([&](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          recorded = handler_.HandleAtOnce(tx, copies.events);
        });
      },
      batch.size(), "at once; trying it in a transaction");
  if (!answered) return std::nullopt;
  if (!recorded) {
    handler_.RolledBack();
    return std::nullopt;
  }
  handler_.Committed();
  return copies.Of(*recorded);
}

std::optional<std::set<const EventConsumer::Received*>> EventConsumer::HandleInTransaction(
    const std::vector<Received>& batch) {
  std::vector<const Received*> fresh;
  bool committed = WriteBatch(
      [&] {
        pool_.Run([&](pqxx::connection& c) {
          pqxx::work tx(c);
          fresh = RecordFresh(tx, batch);
          std::vector<const Received*> skipped;
          for (const auto* r : fresh)
            if (handler_.Handle(tx, r->event) == Outcome::kSkipped) skipped.push_back(r);
          MarkSkipped(tx, skipped);
          handler_.BeforeCommit(tx);
          tx.commit();
        });
      },
      batch.size(), "in a transaction; handling its events one by one");
  if (!committed) return std::nullopt;
  handler_.Committed();
  return std::set<const Received*>(fresh.begin(), fresh.end());
}

EventConsumer::FirstCopies EventConsumer::FirstCopiesOf(const std::vector<Received>& batch) {
  FirstCopies copies;
  for (const auto& r : batch)
    if (copies.by_key.emplace(EventKey(r.event.source, r.event.id), &r).second) copies.events.push_back(&r.event);
  return copies;
}

std::set<const EventConsumer::Received*> EventConsumer::FirstCopies::Of(const std::set<EventKey>& keys) const {
  std::set<const Received*> out;
  for (const auto& key : keys)
    if (auto it = by_key.find(key); it != by_key.end()) out.insert(it->second);
  return out;
}

std::vector<const EventConsumer::Received*> EventConsumer::RecordFresh(pqxx::work& tx,
                                                                       const std::vector<Received>& batch) {
  const FirstCopies copies = FirstCopiesOf(batch);
  auto inserted = copies.Of(Record(tx, copies.events, std::vector(copies.events.size(), Outcome::kProcessed)));
  // In the order they came: a handler sees one aggregate's events in order.
  std::vector<const Received*> fresh;
  for (const auto& r : batch)
    if (inserted.count(&r)) fresh.push_back(&r);
  return fresh;
}

void EventConsumer::MarkSkipped(pqxx::work& tx, const std::vector<const Received*>& skipped) {
  if (skipped.empty()) return;
  std::vector<std::string> sources, ids;
  for (const auto* r : skipped) {
    sources.push_back(r->event.source);
    ids.push_back(r->event.id);
  }
  tx.exec_params(
      "UPDATE processed_events p SET outcome = 'skipped' FROM unnest($1::text[], $2::text[]) AS e(s, i) "
      "WHERE p.source = e.s AND p.event_id = e.i",
      db::TextArrayLiteral(sources), db::TextArrayLiteral(ids));
}

void EventConsumer::HandleAlone(const Received& r) {
  const std::string topic = rd_kafka_topic_name(r.msg->rkt);
  const auto& event = r.event;
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
