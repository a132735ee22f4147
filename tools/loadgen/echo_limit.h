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

}  // namespace cchc::loadgen
