#pragma once
// Closed-loop load: `concurrency` calls in flight for warm-up + duration; each finished call is replaced at
// once by the next until the time is up. Only calls started after the warm-up count.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stats.h"

namespace cchc::loadgen {

struct LoadShape {
  std::chrono::milliseconds warmup{1000};
  std::chrono::milliseconds duration{10000};
  int concurrency = 16;
};

// Called when a call finishes: nullptr on success, else a short error name.
using Done = std::function<void(const char* error)>;
// Starts one asynchronous call for `slot` (0 ≤ slot < concurrency; one call per slot at a time).
using Issue = std::function<void(int slot, Done done)>;
// Runs one blocking call for `slot` and returns nullptr on success, else a short error name.
using BlockingCall = std::function<const char*(int slot)>;

// Drives asynchronous calls (gRPC callback API): no client thread per call.
Stats RunAsync(const std::string& name, const LoadShape& shape, const Issue& issue);
// Drives blocking calls from `concurrency` threads.
Stats RunBlocking(const std::string& name, const LoadShape& shape, const BlockingCall& call);

// The name of a gRPC status code, "UNAVAILABLE"; nullptr for OK.
const char* ErrorName(const grpc::Status& status);

// `count` channels to `address`, each with its own TCP connection.
std::vector<std::shared_ptr<grpc::Channel>> MakeChannels(const std::string& address, int count);

// True for "127.0.0.1:port", "localhost:port" and "[::1]:port": load is only ever generated on loopback.
bool IsLoopbackAddress(const std::string& address);
// A context with "authorization: Bearer <token>" and a deadline `seconds` away.
std::unique_ptr<grpc::ClientContext> BearerContext(const std::string& token, int seconds = 10);
// Throws std::runtime_error("<what>: <message>") unless `status` is OK.
void Must(const grpc::Status& status, const std::string& what);

}  // namespace cchc::loadgen
