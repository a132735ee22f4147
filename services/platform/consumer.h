#pragma once
// Kafka consumer with exactly-once effect: each event's (ce_source, ce_id) is recorded in processed_events
// in the same transaction as the handler's writes, so an event the broker delivers twice changes nothing
// the second time. Offsets are stored only after that transaction commits (at-least-once delivery).
//
// Events are handled in batches: what the broker has ready (up to max_batch) goes through one transaction,
// one commit — a commit's WAL flush per event capped a consumer at a few hundred events a second. When any
// event of a batch fails, the batch rolls back and its events are handled one by one, each in its own
// transaction: a handler that keeps failing is retried a bounded number of times, then the message goes to
// the dead-letter topic and the partition moves on. What failed decides whether a failure spends an attempt
// (consumer_failure.h): a conflict with another transaction or a lost connection does not, for at most
// Options::transient_retry per event; a statement time-out always does. An unreachable database is not a
// failure of the message at all: the consumer waits for it (with backoff), spending neither attempts nor that
// time. A dead-lettered message's offset is stored only once the dead-letter topic acknowledged it
// (dead_letter.h); until then the partition waits.
//
// A handler may also write a whole batch and its dedupe record in one statement, outside a transaction block
// (EventHandler::HandleAtOnce): one round trip to the database instead of BEGIN, the dedupe insert, the
// handler's writes and COMMIT, each of which wakes the server and the consumer's thread.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cloudevents.h"
#include "db.h"
#include "dead_letter.h"
#include "kafka.h"
#include "metrics.h"

namespace cchc::consumer {

// The statements the consumer runs on every batch, to prepare on the connections of the pool it is given.
std::vector<db::Statement> Statements();

// What the handler did with an event; recorded in processed_events.outcome.
enum class Outcome { kProcessed, kSkipped };

// An event's (CloudEvents source, id): what the consumer dedupes on.
using EventKey = std::pair<std::string, std::string>;

// The dedupe record of a one-statement write (EventHandler::HandleAtOnce), as a data-modifying CTE named
// `recorded`: inserts into processed_events the events given as four text arrays, parameters $first to
// $first+3 (sources, ids, types, outcomes: RecordedParameters), provided `condition` (an SQL expression the
// statement decides, e.g. that what the handler read is still current) holds; returns (source, event_id) of
// each row it inserted, that is of each event not seen before. In (source, id) order, as the transaction
// path's insert (see Statements()).
std::string RecordedCte(int first, const std::string& condition);
// RecordedCte's four parameters, in order: PostgreSQL text-array literals, one element per event.
struct DedupeRecord {
  std::string sources, ids, types, outcomes;
};
// The dedupe record of `events` (each once) with their outcomes (same length).
DedupeRecord RecordedParameters(const std::vector<const events::CloudEvent*>& events,
                                const std::vector<Outcome>& outcomes);
// The dedupe record alone in one statement ("consumer_record", of Statements()): the keys of the events it
// recorded now. The transaction path's first statement, and all a HandleAtOnce with nothing else to write
// needs.
std::set<EventKey> Record(pqxx::transaction_base& tx, const std::vector<const events::CloudEvent*>& events,
                          const std::vector<Outcome>& outcomes);

// What a service does with the events it consumes.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  // Runs inside the dedupe transaction, once per event not seen before; several events may share one
  // transaction. Throwing rolls the transaction back and counts as a failed attempt.
  virtual Outcome Handle(pqxx::work& tx, const events::CloudEvent& event) = 0;
  // Last in the transaction, before it commits: writes what the Handle calls gathered (one statement for
  // many events). Throwing rolls the transaction back, as from Handle.
  virtual void BeforeCommit(pqxx::work& /*tx*/) {}
  // After the transaction of the Handle calls since the last Committed/RolledBack committed (e.g. to wake
  // readers of what it wrote).
  virtual void Committed() {}
  // After it rolled back: forget what those Handle calls prepared.
  virtual void RolledBack() {}
  // Optional, tried first for each batch: writes the effect of `events` (the batch, each event once) for
  // those not seen before, and the dedupe record of all (RecordedCte), in one statement on `tx`, outside a
  // transaction block, so that the statement commits as a whole or not at all. Returns the keys of the events
  // it recorded now: those it wrote the effect of. nullopt: not for this batch (e.g. the effect takes more
  // than one statement), and nothing written; the consumer then takes the transaction path (Handle,
  // BeforeCommit) with the same events. Committed, or RolledBack, follows as after a transaction. Throwing
  // counts as the batch failing in a transaction would.
  virtual std::optional<std::set<EventKey>> HandleAtOnce(pqxx::nontransaction& /*tx*/,
                                                         const std::vector<const events::CloudEvent*>& /*events*/) {
    return std::nullopt;
  }
};

// A handler without commit callbacks.
using HandlerFunction = std::function<Outcome(pqxx::work& tx, const events::CloudEvent& event)>;

struct Options {
  std::string brokers;
  std::string group_id;
  std::vector<std::string> topics;
  std::string dead_letter_topic;  // where poison messages go
  int max_attempts = 5;
  int max_batch = 200;                           // events per transaction at most
  std::chrono::milliseconds retry_backoff{200};  // doubled per retry (with jitter for transient failures)
  std::chrono::milliseconds max_backoff{5000};   // the longest wait between two tries
  // How long one event's transient failures (conflicts, lost connections) are retried without spending an
  // attempt, from its first such failure; after that each spends one.
  std::chrono::milliseconds transient_retry{std::chrono::seconds(300)};
  // fetch.wait.max.ms of the consumer alone (see kafka::kDefaultFetchWaitMs); a fetch.wait.max.ms in
  // kafka_properties wins over it.
  std::chrono::milliseconds fetch_wait{kafka::kDefaultFetchWaitMs};
  kafka::Properties kafka_properties;  // the consumer's and the dead-letter producer's
};

// What the consumer gives librdkafka beyond kafka::MakeConsumer's own: `kafka_properties`, and fetch.wait.max.ms
// from `fetch_wait` unless kafka_properties sets it.
kafka::Properties ConsumerProperties(const Options& options);

class EventConsumer {
 public:
  // `handler` must outlive the consumer.
  EventConsumer(db::Pool& pool, Options options, EventHandler& handler, metrics::Registry& registry);
  EventConsumer(db::Pool& pool, Options options, HandlerFunction handler, metrics::Registry& registry);
  ~EventConsumer();

  void Start();  // subscribes and consumes on a background thread
  void Stop();   // finishes the batch in hand, commits stored offsets, leaves the group

  // Consumes what the broker has ready (waiting up to `timeout` for the first message, at most max_batch)
  // and returns how many messages were handled. Exposed for tests; Start() calls it in a loop. Requires
  // Subscribe() first.
  int PollBatch(std::chrono::milliseconds timeout);
  void Subscribe();

  // True while a dead-letter write fails and is retried: a partition waits (readiness). Any thread.
  bool DeadLetterBlocked() const { return dead_letter_.Blocked(); }

 private:
  EventConsumer(db::Pool& pool, Options options, EventHandler* handler, std::unique_ptr<EventHandler> owned,
                metrics::Registry& registry);
  using Message = std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)>;
  struct Received {
    rd_kafka_message_t* msg;
    events::CloudEvent event;
  };
  // Handles the batch at once, or else in one transaction; false when some event failed (nothing of the
  // batch committed).
  bool HandleTogether(const std::vector<Received>& batch);
  // The events of `batch` seen for the first time, when their effect committed; nullopt when it did not.
  std::optional<std::set<const Received*>> HandleAtOnce(const std::vector<Received>& batch);
  std::optional<std::set<const Received*>> HandleInTransaction(const std::vector<Received>& batch);
  // Runs `write` until the database answers it; false (after RolledBack) when it failed otherwise.
  bool WriteBatch(const std::function<void()>& write, size_t events, const char* path);
  // The fallback: one transaction per event, bounded retries, then the dead-letter topic.
  void HandleAlone(const Received& r);
  // The first copy of each event of a batch (the broker may hand over the same event twice in one batch: only
  // its first copy counts), by key and in batch order.
  struct FirstCopies {
    std::map<EventKey, const Received*> by_key;
    std::vector<const events::CloudEvent*> events;
    std::set<const Received*> Of(const std::set<EventKey>& keys) const;  // the copies of those keys
  };
  static FirstCopies FirstCopiesOf(const std::vector<Received>& batch);
  // The events of `batch` not seen before, recorded as processed in `tx`.
  std::vector<const Received*> RecordFresh(pqxx::work& tx, const std::vector<Received>& batch);
  void MarkSkipped(pqxx::work& tx, const std::vector<const Received*>& skipped);
  void StoreOffsets(const std::vector<Message>& messages);
  void SeekBack(const std::vector<Message>& messages);
  void ObserveDelay(const std::string& topic, const events::CloudEvent& event);
  // True, after waiting `backoff` (then doubled), when `e` was a lost connection and the database cannot be
  // reached at all; adds the wait to `waited`.
  bool WaitedForDatabase(const std::exception& e, std::chrono::milliseconds& backoff,
                         std::chrono::steady_clock::duration& waited);
  // The dedupe record of a dead-lettered event, so that a redelivery does not go to the dead-letter topic
  // twice; waits out a database outage.
  void RecordDeadLettered(const events::CloudEvent& event);

  db::Pool& pool_;
  Options options_;
  std::unique_ptr<EventHandler> owned_handler_;  // wraps a HandlerFunction
  EventHandler& handler_;                        // owned_handler_ or the caller's
  kafka::Handle consumer_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  metrics::Family<metrics::Counter>& consumed_;
  metrics::Family<metrics::Histogram>& processing_seconds_;
  metrics::Family<metrics::Histogram>& delay_seconds_;
  metrics::Histogram& batch_size_;  // unlabelled: its one child, looked up once
  metrics::Family<metrics::Gauge>& lag_;
  // cchc_consumer_batches_total by path: its three children, looked up once (they show as 0 from the start).
  metrics::Counter& batches_at_once_;
  metrics::Counter& batches_in_transaction_;
  metrics::Counter& batches_one_by_one_;
  metrics::Family<metrics::Counter>& failed_attempts_;
  DeadLetterWriter dead_letter_;
};

}  // namespace cchc::consumer
