#pragma once
// Transactional outbox: a service writes its business row and its event in one transaction (Enqueue); the
// Relay publishes pending events to Kafka in order and marks each published only after the broker has
// acknowledged it. A crash anywhere loses nothing: the relay resumes from the first unmarked row. A crash
// between the acknowledgement and the mark publishes that event again with the same ce_id, which
// consumers dedupe.
//
// The relay does not wait for one batch's acknowledgements before sending the next: new rows go out as soon
// as their transaction commits, and acknowledged rows are marked as the reports come back. An aggregate has at
// most one event unacknowledged at a time: its next event goes out once the broker took the one before, so a
// failed event (a time-out in a broker outage longer than message.timeout.ms) can never be overtaken by a
// later event of its aggregate that was already on its way. After a failure the relay sends nothing new until
// every report is in, then starts again from the first unmarked row.
//
// What the broker can never accept (ProduceFailure::kPermanent: too large, invalid) is parked: logged with its
// event id, counted (cchc_outbox_failed_total, cchc_outbox_parked) and left for an operator (outbox_parked.h).
// Every other aggregate's events keep flowing; the later events of the parked one's aggregate wait behind it,
// so that aggregate's order holds. A fatal producer error (kFatal) recreates the producer.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "db.h"
#include "kafka.h"
#include "metrics.h"
#include "produce_errors.h"

namespace cchc::outbox {

struct PendingEvent {
  std::string topic;           // e.g. "cchc.document.v1"
  std::string aggregate_type;  // e.g. "document"
  std::string aggregate_id;    // the Kafka key: one aggregate's events stay in one partition, in order
  std::string type;            // ce_type
  std::string subject;         // ce_subject
  std::string payload;         // serialised protobuf
};

// The statements Enqueue runs, to prepare on every connection it is given (ServiceRuntime adds them to the
// service's own).
std::vector<db::Statement> Statements();

// The largest event the write path accepts: payload, key and CloudEvents headers, as the broker counts them
// (EventBytes). Process-wide; ServiceRuntime sets it from --max-event-bytes. Keep it below the producer's and
// the topic's message.max.bytes, so that an event too large fails its business call instead of being parked.
inline constexpr size_t kDefaultMaxEventBytes = size_t{900} * 1000;
void SetMaxEventBytes(size_t bytes);
size_t EventBytes(const PendingEvent& event);
// Throws DomainError(kFailedPrecondition) naming the event, its size and the limit when it is over the limit.
void CheckEventSize(const PendingEvent& event);

// Checks the event's size (CheckEventSize), inserts it into the outbox inside `tx` with the thread's trace
// (TraceParentOfRow) and, when `tx` is the work of a db::Pool::Run, wakes this process's relay after it commits
// (db::AfterCommit). Returns the ce_id.
std::string Enqueue(pqxx::work& tx, const PendingEvent& event);

// For a statement that writes its own change and the event's outbox row together, in one round trip: the
// outbox's columns (the caller checks the event with CheckEventSize first), in the order of the values the statement
// binds for them (a new ce_id, then the event's topic, aggregate_type, aggregate_id, type, subject and payload as
// bytea, then TraceParentOfRow()).
extern const char* const kInsertColumns;  // "(event_id, topic, …, payload, traceparent)"
// The traceparent an outbox row written now stores: the thread's trace (trace::Current(): the call's or the
// event's being handled), or a new trace for a write that neither caused (e.g. a scheduled publication).
std::string TraceParentOfRow();
// After such a statement wrote the row: wakes this process's relay once the enclosing db::Pool::Run's work
// returns (db::AfterCommit), as Enqueue does.
void WakeRelayAfterCommit();

struct RelayOptions {
  std::string brokers;
  kafka::Properties kafka_properties;
  std::string source;                           // ce_source, e.g. "/cchc/document"
  int batch_size = 500;                         // rows read per query
  int max_in_flight = 5000;                     // rows sent and not yet acknowledged
  std::chrono::milliseconds idle_wait{1000};    // longest sleep without a wake-up
  std::chrono::milliseconds max_backoff{5000};  // after repeated broker failures
  std::chrono::hours retention{24 * 7};         // published rows older than this are deleted
};

class Relay {
 public:
  // Registers the outbox metrics in `registry`. Does not start a thread.
  Relay(db::Pool& pool, RelayOptions options, metrics::Registry& registry);
  ~Relay();

  // Runs the relay loop on a background thread until Stop(). Only one relay per schema publishes at a
  // time (a PostgreSQL advisory lock); the others wait to take over, and meanwhile wake the publisher with a
  // NOTIFY (from their own session, outside any business transaction) when their process enqueued events.
  void Start();
  void Stop();

  // Sends what is pending, an aggregate's events one after another, waits for the acknowledgements and marks
  // them. Returns how many were published; throws on database errors and when the broker did not
  // acknowledge. For tests, on a relay not started.
  int PublishBatch();

  // True when the last broker operation succeeded.
  bool BrokerHealthy() const { return broker_healthy_.load(); }
  // True when a metadata request to the cluster succeeds within `timeout_ms` (for readiness). Any thread.
  bool BrokerReachable(int timeout_ms);
  // The current producer, for tests (a fatal error replaces it).
  rd_kafka_t* Producer();

 private:
  enum class Wake { kTimeout, kLocalCommit, kNotification };
  // A row handed to the producer (the message's opaque is its seq).
  struct Delivery {
    std::string event_id, topic, key, type;  // for the log line when it is parked
    size_t bytes = 0;
    int64_t created_micros = 0;   // when the event was written
    int64_t produced_micros = 0;  // when it was handed to the producer
    bool done = false;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  };
  void Loop();
  // Sends the pending rows not yet in flight, oldest first, up to a batch. Returns how many it sent; sets
  // more_pending_ when it may have left some.
  int SendPending(pqxx::connection& session);
  // Marks the acknowledged rows published: `now`, or once kMarkDelay has passed since the last marks. After a
  // failure it throws once every report is in (the next SendPending starts again from the first unmarked
  // row). Returns how many it marked.
  int SettleReports(pqxx::connection& session, bool now);
  static constexpr std::chrono::milliseconds kMarkDelay{50};
  // Parks the row `seq` for good (log line, metrics). The caller has taken it out of in_flight_.
  void Park(pqxx::connection& session, int64_t seq, const Delivery& d, rd_kafka_resp_err_t err);
  // Replaces a producer that raised a fatal error: marks what it acknowledged, purges the rest (it goes out
  // again, first, from the new producer) and makes a new one.
  void RecreateProducer(pqxx::connection& session);
  kafka::Handle NewProducer();
  void CleanupLoop();  // deletes published rows past the retention, once a minute
  // The relay's own session (opened on first use): it listens, holds the publisher lock and reads and marks
  // the outbox. Its commits need no WAL flush (synchronous_commit off).
  pqxx::connection& Session();
  // Sleeps until a commit in this process enqueued events, a NOTIFY reaches the session, Stop() or `timeout`.
  // Not for a delivery report: reports are taken before each read of the outbox and when the marks are due
  // (kMarkDelay), which is soon enough for both, and waking for each one cost a thread switch per event.
  Wake WaitForWake(std::chrono::milliseconds timeout);
  void UpdateBacklogMetrics(pqxx::connection& conn);  // at most once a second
  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque);
  static void OnError(rd_kafka_t*, int err, const char* reason, void* opaque);

  db::Pool& pool_;
  RelayOptions options_;
  // Replaced only by the relay's thread, under producer_mu_; readers on other threads take a reference.
  std::shared_ptr<rd_kafka_t> producer_;
  std::mutex producer_mu_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> broker_healthy_{true};
  std::chrono::steady_clock::time_point last_backlog_update_{};
  int wake_fd_ = -1;          // eventfd: commits in this process that enqueued events, and Stop()
  bool more_pending_ = true;  // the last read may have left rows (or failed)
  std::chrono::steady_clock::time_point last_query_{};
  std::unique_ptr<pqxx::connection> session_;  // see Session(); only the relay's thread uses it
  std::map<int64_t, Delivery> in_flight_;      // by outbox seq; only the relay's thread uses it
  std::string failure_;                        // the first error of the reports since the last restart
  std::chrono::steady_clock::time_point mark_due_{};
  std::thread thread_;
  std::thread cleanup_thread_;
  std::mutex cleanup_mu_;
  std::condition_variable cleanup_cv_;

  metrics::Gauge& pending_;
  metrics::Gauge& oldest_age_;
  metrics::Counter& published_;
  metrics::Counter& errors_;
  metrics::Counter& failed_;
  metrics::Counter& producer_restarts_;
  metrics::Gauge& parked_;
  metrics::Gauge& held_;
  metrics::Histogram& delay_;
  metrics::Gauge& leader_;
};

}  // namespace cchc::outbox
