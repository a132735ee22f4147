#include "produce_errors.h"

namespace cchc::outbox {

ProduceFailure ClassifyProduceError(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__FATAL:
      return ProduceFailure::kFatal;
    // Local: larger than message.max.bytes, or not a message librdkafka can encode.
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__BAD_MSG:
    // The broker's: over its own size limits, or a record it rejects as malformed.
    case RD_KAFKA_RESP_ERR_INVALID_MSG:
    case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
      return ProduceFailure::kPermanent;
    default:
      return ProduceFailure::kRetriable;
  }
}

}  // namespace cchc::outbox
