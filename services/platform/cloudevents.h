#pragma once
// CloudEvents 1.0 in Kafka binary mode: the attributes travel as ce_* headers, the value is the payload.
#include <librdkafka/rdkafka.h>

#include <optional>
#include <string>

namespace cchc::events {

struct CloudEvent {
  std::string id;       // ce_id, a UUID
  std::string source;   // ce_source, e.g. "/cchc/document"
  std::string type;     // ce_type, e.g. "cchc.document.v1.DocumentPublished"
  std::string time;     // ce_time, RFC 3339
  std::string subject;  // ce_subject, e.g. "documents/…"
  std::string content_type = "application/protobuf";
  // ce_traceparent, the distributed-tracing extension (a W3C traceparent, trace_context.h); empty: none. As
  // FromMessage reads it: the header as sent, unchecked. As the consumer hands an event to its handler: the
  // consumer's own span, a child of a valid header or else a new trace.
  std::string traceparent;
  std::string data;  // the message value
};

// Header list for the producer; the caller owns it (rd_kafka_headers_destroy) unless handed to produce.
rd_kafka_headers_t* ToHeaders(const CloudEvent& e);

// Reads a consumed message back into a CloudEvent; nullopt when ce_id, ce_source or ce_type is missing.
std::optional<CloudEvent> FromMessage(const rd_kafka_message_t* msg);

// A fresh UUID in canonical text form: version 7 (RFC 9562), the Unix time in milliseconds then 74 random
// bits. Ids made later sort later, so the B-tree indexes keyed by them (documents, processed_events,
// notifications) grow at their right edge instead of writing to a random page for every row; after a
// checkpoint each such page costs a full-page image in the WAL.
std::string NewUuid();
// The same for a given time, in milliseconds since the Unix epoch (for tests).
std::string NewUuid(int64_t unix_millis);

}  // namespace cchc::events
