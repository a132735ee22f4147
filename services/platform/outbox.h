#pragma once
// Transactional outbox: a service writes its business row and its event in one transaction (Enqueue); the
// Relay publishes pending events to Kafka in order and marks each published only after the broker has
// acknowledged it. A crash anywhere loses nothing: the relay resumes from the first unmarked row. A crash
// between the acknowledgement and the mark publishes that event again with the same ce_id, which
// consumers dedupe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "db.h"
#include "kafka.h"
#include "metrics.h"

namespace cchc::outbox {

struct PendingEvent {
  std::string topic;           // e.g. "cchc.document.v1"
  std::string aggregate_type;  // e.g. "document"
  std::string aggregate_id;    // the Kafka key: one aggregate's events stay in one partition, in order
  std::string type;            // ce_type
  std::string subject;         // ce_subject
  std::string payload;         // serialised protobuf
};

// Inserts the event into the outbox inside `tx` and, when `tx` is the work of a db::Pool::Run, wakes this
// process's relay after it commits (db::AfterCommit). Returns the ce_id.
std::string Enqueue(pqxx::work& tx, const PendingEvent& event);

struct RelayOptions {
  std::string brokers;
  kafka::Properties kafka_properties;
  std::string source;  // ce_source, e.g. "/cchc/document"
  int batch_size = 500;
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

  // One pass: publish up to one batch and mark what the broker acknowledged. Returns how many were
  // published; throws on database errors. Exposed for tests.
  int PublishBatch();

  // True when the last broker operation succeeded (for readiness).
  bool BrokerHealthy() const { return broker_healthy_.load(); }
  rd_kafka_t* Producer() { return producer_.get(); }

 private:
  enum class Wake { kTimeout, kLocalCommit, kNotification };
  void Loop();
  void CleanupLoop();  // deletes published rows past the retention, once a minute
  // Sleeps until a commit in this process enqueued events, a NOTIFY reaches `listener`, Stop() or `timeout`.
  Wake WaitForWake(pqxx::connection& listener, std::chrono::milliseconds timeout);
  void UpdateBacklogMetrics(pqxx::connection& conn, bool always);
  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque);

  db::Pool& pool_;
  RelayOptions options_;
  kafka::Handle producer_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> broker_healthy_{true};
  std::chrono::steady_clock::time_point last_backlog_update_{};
  int wake_fd_ = -1;  // eventfd: commits in this process that enqueued events, and Stop()
  std::thread thread_;
  std::thread cleanup_thread_;
  std::mutex cleanup_mu_;
  std::condition_variable cleanup_cv_;

  metrics::Gauge& pending_;
  metrics::Gauge& oldest_age_;
  metrics::Counter& published_;
  metrics::Counter& errors_;
  metrics::Histogram& delay_;
  metrics::Gauge& leader_;
};

}  // namespace cchc::outbox
