// The outbox's limits and error classes, without a broker or a database.
#include <gtest/gtest.h>

#include "handler.h"  // GrpcCodeOf
#include "kafka.h"
#include "outbox.h"
#include "produce_errors.h"

namespace cchc::outbox {
namespace {

PendingEvent EventOf(size_t payload_bytes) {
  return {"cchc.document.v1",
          "document",
          "documents/0190f0c4-6f3a-7c4e-9b1a-2f6d8e4c1a2b",
          "cchc.document.v1.DocumentPublished",
          "documents/0190f0c4-6f3a-7c4e-9b1a-2f6d8e4c1a2b",
          std::string(payload_bytes, 'x')};
}

TEST(ProduceErrors, TooLargeAndInvalidMessagesArePermanent) {
  for (auto err : {RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE,
                   RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE, RD_KAFKA_RESP_ERR_INVALID_RECORD,
                   RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION})
    EXPECT_EQ(ClassifyProduceError(err), ProduceFailure::kPermanent) << rd_kafka_err2name(err);
}

TEST(ProduceErrors, OutagesAndBackPressureAreRetriedAndAFatalErrorReplacesTheProducer) {
  // A broker outage longer than message.timeout.ms ends in _MSG_TIMED_OUT: the event must not be parked.
  for (auto err : {RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TRANSPORT,
                   RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                   RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
                   RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC})
    EXPECT_EQ(ClassifyProduceError(err), ProduceFailure::kRetriable) << rd_kafka_err2name(err);
  EXPECT_EQ(ClassifyProduceError(RD_KAFKA_RESP_ERR__FATAL), ProduceFailure::kFatal);
}

TEST(EventSize, CountsThePayloadKeyAndHeadersAndStaysAboveWhatTheBrokerCounts) {
  PendingEvent e = EventOf(1000);
  size_t bytes = EventBytes(e);
  // Payload and key, plus ce_id, ce_time, ce_type, ce_subject and the others with their names.
  EXPECT_GT(bytes, 1000 + e.aggregate_id.size() + 36 + 24 + e.type.size() + e.subject.size());
  EXPECT_LT(bytes, 1000 + 1024);
  EXPECT_EQ(EventBytes(EventOf(2000)) - bytes, 1000u);
}

TEST(EventSize, AnEventOverTheLimitFailsItsWriteNamingTheEventAndTheLimit) {
  SetMaxEventBytes(10 * 1000);
  EXPECT_NO_THROW(CheckEventSize(EventOf(8 * 1000)));
  try {
    CheckEventSize(EventOf(20 * 1000));
    ADD_FAILURE() << "no error";
  } catch (const DomainError& e) {
    EXPECT_EQ(GrpcCodeOf(e.Kind()), grpc::StatusCode::FAILED_PRECONDITION);
    std::string message = e.what();
    EXPECT_NE(message.find("cchc.document.v1.DocumentPublished"), std::string::npos) << message;
    EXPECT_NE(message.find("documents/0190f0c4"), std::string::npos) << message;
    EXPECT_NE(message.find("10000-byte limit"), std::string::npos) << message;
    EXPECT_NE(message.find("--max-event-bytes"), std::string::npos) << message;
  }
  SetMaxEventBytes(kDefaultMaxEventBytes);
}

TEST(KafkaProperties, TheGuaranteesSettingsAndTheirAliasesAreReserved) {
  EXPECT_EQ(kafka::ReservedProperty({{"linger.ms", "5"}, {"message.max.bytes", "2000000"}}), std::nullopt);
  for (const char* name : {"enable.idempotence", "acks", "request.required.acks",
                           "max.in.flight.requests.per.connection", "max.in.flight"})
    EXPECT_EQ(kafka::ReservedProperty({{"linger.ms", "5"}, {name, "1"}}), std::string(name));
}

}  // namespace
}  // namespace cchc::outbox
