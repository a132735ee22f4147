#pragma once
// Limit (c): the broker's own produce → consume latency at a given rate, with a raw librdkafka producer
// (linger 0) and consumer (kafka::MakeConsumer's settings, fetch.wait.max.ms kafka::kDefaultFetchWaitMs as the
// notification service's consumer has by default) on a scratch topic — the floor under any event's end-to-end
// latency.
#include <string>

#include "stats.h"

namespace cchc::loadgen {

struct BrokerLimitOptions {
  std::string brokers = "127.0.0.1:19292";
  std::string run_id;    // names the scratch topic and group
  double rate = 500;     // messages per second
  double duration = 10;  // seconds
};

Stats RunBrokerLimit(const BrokerLimitOptions& options);

}  // namespace cchc::loadgen
