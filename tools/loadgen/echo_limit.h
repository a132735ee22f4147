#pragma once
// Limit (a): a bare gRPC echo service in this process on loopback, driven exactly like the RPCs.
#include <string>

#include "driver.h"

namespace cchc::loadgen {

struct EchoOptions {
  std::string server_kind = "callback";  // "callback" (the faster gRPC server API) or "sync" (the services' API)
  int payload_bytes = 200;
  int channels = 4;
};

Stats RunEchoLimit(const LoadShape& shape, const EchoOptions& options);

// The bound of an uncached read (issue 27): a call that costs one echo and then one plain SQL read, one after
// the other, on the same cores: 1 / (1/echo + 1/sql) calls per second. 0 when either is 0.
double SerialBound(double echo_qps, double sql_qps);

}  // namespace cchc::loadgen
