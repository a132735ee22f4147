// How the consumer writes a batch: all of it in one statement (HandleAtOnce) or one transaction (Handle, then
// BeforeCommit), recording each event's dedupe row with its effect; its events one at a time (HandleAlone,
// consumer.cc) when the batch fails.
#include <chrono>
#include <set>

#include "consumer.h"
#include "consumer_failure.h"
#include "log.h"
#include "trace_context.h"

namespace cchc::consumer {

bool EventConsumer::HandleTogether(const std::vector<Received>& batch) {
  auto started = std::chrono::steady_clock::now();
  auto fresh = HandleAtOnce(batch);
  metrics::Counter* path = &batches_at_once_;
  if (!fresh) {
    fresh = HandleInTransaction(batch);
    path = &batches_in_transaction_;
  }
  if (!fresh) {
    batches_one_by_one_.Increment();
    return false;
  }
  path->Increment();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
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
          for (const auto* r : fresh) {
            trace::Scope trace_scope(trace::Parse(r->event.traceparent).value_or(trace::NewTrace()));
            if (handler_.Handle(tx, r->event) == Outcome::kSkipped) skipped.push_back(r);
          }
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

}  // namespace cchc::consumer
