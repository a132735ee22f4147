#pragma once
// The gRPC server every service runs: standard metrics, grpc.health.v1, reflection, bounded message sizes, TLS
// when certificates are given (mTLS with a client CA), and a graceful stop on SIGTERM: NOT_SERVING first, then
// a drain of the calls in flight. Health has two meanings, probed apart: readiness (service "" and each
// service's full name) follows the readiness checks, each with a deadline of its own; liveness (service
// kLivenessService) says only that the process serves, SERVING from start until shutdown, whatever its
// dependencies do. Bounded: threads (a synchronous call that finds none free ends RESOURCE_EXHAUSTED), streams
// per connection, keepalive both ways (a client gone quiet is dropped, a client pinging too often is sent
// away), and connection age (GOAWAY; clients reconnect transparently).
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "metrics.h"
#include "options.h"
#include "readiness.h"

namespace cchc {

// Blocks SIGTERM, SIGINT and SIGPIPE in the calling thread and every thread it starts afterwards. Call
// first thing in main, before any thread exists; ServiceHost::Run then waits for them.
void BlockTerminationSignals();

// The grpc.health.v1 service name of liveness (the k8s liveness and startup probes ask for it).
inline constexpr const char* kLivenessService = "liveness";
// How long one readiness check may take before it counts as failed.
inline constexpr std::chrono::milliseconds kReadinessCheckDeadline{2000};

class ServiceHost {
 public:
  ServiceHost(const CommonOptions& options, metrics::Registry& registry);

  // `full_name` is the proto service name, e.g. "cchc.document.v1.DocumentService"; its health status
  // follows the readiness checks. The service must outlive Run().
  void AddService(grpc::Service* service, std::string full_name);
  // Each check returns true when its dependency is usable; all must pass, each within
  // kReadinessCheckDeadline, for SERVING.
  void AddReadinessCheck(std::string name, std::function<bool()> check);
  // Runs once the NOT_SERVING period is over, right before the drain waits for the calls in flight: a
  // service ends its long-lived streams here (they would otherwise hold the drain until its deadline).
  // Must not block for long.
  void AddShutdownHook(std::function<void()> hook);

  // Serves until SIGTERM or SIGINT; returns 0 after a clean drain. Throws
  // std::runtime_error naming the address when it cannot listen.
  int Run();

 private:
  const CommonOptions& options_;
  metrics::Registry& registry_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::vector<std::unique_ptr<BoundedCheck>> checks_;
  std::vector<std::function<void()>> shutdown_hooks_;
};

}  // namespace cchc
