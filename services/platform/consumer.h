#pragma once
// Kafka consumer with exactly-once effect: each event's (ce_source, ce_id) is recorded in processed_events
// in the same transaction as the handler's writes, so an event the broker delivers twice changes nothing
// the second time. Offsets are stored only after that transaction commits (at-least-once delivery).
// A handler that keeps failing is retried a bounded number of times, then the message goes to the
// dead-letter topic and the partition moves on. An unreachable database is not a failure of the message:
// the consumer waits for it (with backoff) without spending attempts.
#include <atomic>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "cloudevents.h"
#include "db.h"
#include "kafka.h"
#include "metrics.h"

namespace cchc::consumer {

// What the handler did with an event; recorded in processed_events.outcome.
enum class Outcome { kProcessed, kSkipped };

// Runs inside the dedupe transaction. Throwing rolls the transaction back and counts as a failed attempt.
using Handler = std::function<Outcome(pqxx::work& tx, const events::CloudEvent& event)>;

struct Options {
  std::string brokers;
  std::string group_id;
  std::vector<std::string> topics;
  std::string dead_letter_topic;  // where poison messages go
  int max_attempts = 5;
  std::chrono::milliseconds retry_backoff{200};  // doubled per attempt
  kafka::Properties kafka_properties;
};

class EventConsumer {
 public:
  EventConsumer(db::Pool& pool, Options options, Handler handler, metrics::Registry& registry);
  ~EventConsumer();

  void Start();  // subscribes and consumes on a background thread
  void Stop();   // finishes the message in hand, commits stored offsets, leaves the group

  // Consumes at most one message, waiting up to `timeout`. Returns true if one was handled. Exposed for
  // tests; Start() calls it in a loop. Requires Subscribe() first.
  bool PollOnce(std::chrono::milliseconds timeout);
  void Subscribe();

 private:
  void Handle(rd_kafka_message_t* msg);
  bool Record(const events::CloudEvent& e, const std::string& topic);
  void DeadLetter(rd_kafka_message_t* msg, const std::string& error);

  db::Pool& pool_;
  Options options_;
  Handler handler_;
  kafka::Handle consumer_;
  kafka::Handle dlq_producer_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  metrics::Family<metrics::Counter>& consumed_;
  metrics::Family<metrics::Histogram>& processing_seconds_;
  metrics::Family<metrics::Gauge>& lag_;
  metrics::Counter& dead_letters_;
};

}  // namespace cchc::consumer
