#pragma once
// A notification-service process started with a test's own flags that serves gRPC but consumes nothing the
// tests produce (a consumer group of its own, on a topic no test writes to): the suite's service writes the
// inboxes, and this replica's Watch streams learn of new rows as any other replica's do (inbox notices, idle
// checks). Starting and stopping it costs the suite's service no consumer-group rebalance.
#include <signal.h>

#include "system/notification_fixture.h"

namespace cchc::testing {

struct ServingReplica {
  // Starts it (log `notification-<name>.log` in the suite's folder) and waits until it is ready.
  ServingReplica(const std::string& name, std::vector<std::string> extra)
      : address("127.0.0.1:" + std::to_string(FreePort())), metrics_port(FreePort()) {
    extra.insert(extra.end(), {"--group-id", "cchc-notification-" + name, "--topics", "cchc.scoring.v1"});
    process = NotificationTest::LaunchNotification(address, metrics_port, "notification-" + name + ".log", extra);
    ready = WaitUntilReady(*process, metrics_port);
    EXPECT_TRUE(ready) << process->Log();
    stub = notification::v1::NotificationService::NewStub(
        grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }
  ~ServingReplica() {
    stub.reset();
    process->Signal(SIGTERM);
    process->Wait(std::chrono::seconds(30));
  }
  ServingReplica(const ServingReplica&) = delete;
  ServingReplica& operator=(const ServingReplica&) = delete;

  const std::string address;
  const int metrics_port;
  bool ready = false;
  std::unique_ptr<Process> process;
  std::unique_ptr<notification::v1::NotificationService::Stub> stub;
};

}  // namespace cchc::testing
