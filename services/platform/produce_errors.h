#pragma once
// What a Kafka produce error means for the outbox row that met it, whether librdkafka returned it from
// rd_kafka_producev or in the message's delivery report.
#include <librdkafka/rdkafka.h>

namespace cchc::outbox {

enum class ProduceFailure {
  // The broker or the path to it: the row stays pending and goes out again, first, after a backoff
  // (a full local queue, a time-out during an outage, a leader change, an authorization not yet granted).
  kRetriable,
  // The message itself can never be accepted (too large, invalid record, invalid topic): the row is parked
  // for an operator, and the events behind it of other aggregates keep flowing.
  kPermanent,
  // The producer instance is unusable (an idempotence invariant broke): it is recreated, and every row not
  // yet acknowledged goes out again from the new one.
  kFatal,
};

ProduceFailure ClassifyProduceError(rd_kafka_resp_err_t err);

}  // namespace cchc::outbox
