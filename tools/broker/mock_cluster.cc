#include "mock_cluster.h"

#include <sstream>
#include <stdexcept>

namespace cchc::broker {

MockCluster::MockCluster(int broker_count) : broker_count_(broker_count), up_(static_cast<size_t>(broker_count), true) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk_) throw std::runtime_error(std::string("rd_kafka_new: ") + err);
  cluster_ = rd_kafka_mock_cluster_new(rk_, broker_count);
  if (!cluster_) throw std::runtime_error("rd_kafka_mock_cluster_new failed");
}

MockCluster::~MockCluster() {
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
  if (rk_) rd_kafka_destroy(rk_);
}

std::string MockCluster::Bootstraps() const {
  return rd_kafka_mock_cluster_bootstraps(cluster_);
}

void MockCluster::CreateTopic(const std::string& topic, int partitions) {
  int replication = broker_count_ >= 3 ? 3 : broker_count_;
  rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, replication);
  if (e) throw std::runtime_error("create topic " + topic + ": " + rd_kafka_err2str(e));
}

void MockCluster::ForBrokers(const std::string& which, const std::function<void(int32_t)>& fn) {
  if (which == "all") {
    for (int32_t id = 1; id <= broker_count_; ++id) fn(id);
    return;
  }
  int id = std::stoi(which);
  if (id < 1 || id > broker_count_)
    throw std::invalid_argument("broker id must be 1.." + std::to_string(broker_count_));
  fn(id);
}

std::string MockCluster::Control(const std::string& command) {
  std::istringstream in(command);
  std::string verb;
  in >> verb;
  try {
    if (verb == "down" || verb == "up") {
      std::string which;
      in >> which;
      ForBrokers(which, [&](int32_t id) {
        if (verb == "down")
          rd_kafka_mock_broker_set_down(cluster_, id);
        else
          rd_kafka_mock_broker_set_up(cluster_, id);
        up_[static_cast<size_t>(id - 1)] = verb == "up";
      });
      return "ok";
    }
    if (verb == "rtt") {
      std::string which;
      int ms = 0;
      in >> which >> ms;
      ForBrokers(which, [&](int32_t id) { rd_kafka_mock_broker_set_rtt(cluster_, id, ms); });
      return "ok";
    }
    if (verb == "errors") {
      int api_key = 0, code = 0;
      size_t count = 0;
      if (!(in >> api_key >> code >> count)) return "error: usage: errors <api-key> <error-code> <count>";
      std::vector<rd_kafka_resp_err_t> errs(count, static_cast<rd_kafka_resp_err_t>(code));
      rd_kafka_mock_push_request_errors_array(cluster_, static_cast<int16_t>(api_key), count, errs.data());
      return "ok";
    }
    if (verb == "clear-errors") {
      int api_key = 0;
      in >> api_key;
      rd_kafka_mock_clear_request_errors(cluster_, static_cast<int16_t>(api_key));
      return "ok";
    }
    if (verb == "status") {
      std::string out = "ok bootstrap=" + Bootstraps() + " up=";
      for (size_t i = 0; i < up_.size(); ++i) out += (i ? "," : "") + std::string(up_[i] ? "1" : "0");
      return out;
    }
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
  return "error: unknown command '" + verb + "' (down, up, rtt, errors, clear-errors, status)";
}

}  // namespace cchc::broker
