#include "kafka.h"

#include <stdexcept>
#include <string>

namespace cchc::kafka {

void HandleDeleter::operator()(rd_kafka_t* rk) const {
  if (rk) rd_kafka_destroy(rk);
}

namespace {
void Set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error("kafka property " + key + "=" + value + ": " + err);
  }
}
}  // namespace

std::optional<std::string> ReservedProperty(const Properties& extra) {
  static const char* const kReserved[] = {"enable.idempotence", "acks", "request.required.acks",
                                          "max.in.flight.requests.per.connection", "max.in.flight"};
  for (const char* name : kReserved)
    if (extra.count(name)) return std::string(name);
  return std::nullopt;
}

Handle MakeProducer(const std::string& brokers, const Properties& extra,
                    void (*dr_cb)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque,
                    void (*error_cb)(rd_kafka_t*, int, const char*, void*)) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", brokers);
  Set(conf, "enable.idempotence", "true");
  Set(conf, "acks", "all");
  Set(conf, "linger.ms", "2");
  Set(conf, "message.timeout.ms", "15000");
  Set(conf, "reconnect.backoff.max.ms", "1000");
  Set(conf, "log.connection.close", "false");
  for (const auto& [k, v] : extra) Set(conf, k, v);
  if (dr_cb) rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
  if (error_cb) rd_kafka_conf_set_error_cb(conf, error_cb);
  rd_kafka_conf_set_opaque(conf, opaque);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) throw std::runtime_error(std::string("kafka producer: ") + err);
  return Handle(rk);
}

Handle MakeConsumer(const std::string& brokers, const std::string& group_id, const Properties& extra) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", brokers);
  Set(conf, "group.id", group_id);
  Set(conf, "auto.offset.reset", "earliest");
  Set(conf, "enable.auto.offset.store", "false");
  Set(conf, "enable.auto.commit", "true");
  Set(conf, "auto.commit.interval.ms", "500");
  Set(conf, "fetch.wait.max.ms", std::to_string(kDefaultFetchWaitMs));
  // A replica that dies (SIGKILL, OOM) holds its partitions until its session times out; 10 s (Kafka's
  // default before 3.0) rather than 45 s lets a restarted or surviving replica take over sooner.
  Set(conf, "session.timeout.ms", "10000");
  Set(conf, "heartbeat.interval.ms", "3000");
  Set(conf, "reconnect.backoff.max.ms", "1000");
  Set(conf, "log.connection.close", "false");
  for (const auto& [k, v] : extra) Set(conf, k, v);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) throw std::runtime_error(std::string("kafka consumer: ") + err);
  rd_kafka_poll_set_consumer(rk);
  return Handle(rk);
}

bool ClusterReachable(rd_kafka_t* rk, int timeout_ms) {
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, nullptr, &md, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  bool ok = md->broker_cnt > 0;
  rd_kafka_metadata_destroy(md);
  return ok;
}

}  // namespace cchc::kafka
