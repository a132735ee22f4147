#include "service_main.h"

#include <absl/synchronization/mutex.h>

#include "log.h"
#include "server.h"

namespace cchc {

ServiceMain::ServiceMain(ServiceIdentity identity, CommonOptions& options)
    : identity_(std::move(identity)), options_(options), app_(identity_.description) {
  BlockTerminationSignals();
  // Debian's abseil is built without NDEBUG, so every absl::Mutex (gRPC's locks) kept a lock-order graph for
  // deadlock detection, under one global lock: ~3 % of a keyed read's CPU. A debugging aid, off in production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  options_.grpc_address = identity_.grpc_address;
  options_.metrics_address = identity_.metrics_address;
  AddCommonOptions(app_, options_, identity_.name);
}

std::optional<int> ServiceMain::Parse(int argc, char** argv, const std::function<void()>& finish) {
  try {
    app_.parse(argc, argv);
    ValidateCommonOptions(options_);
    if (finish) finish();
  } catch (const CLI::ParseError& e) {
    return app_.exit(e);
  }
  return std::nullopt;
}

int ServiceMain::Run(const std::function<int()>& serve) {
  log::Init(identity_.name, log::ParseLevel(options_.log_level));
  try {
    return serve();
  } catch (const std::exception& e) {
    log::Error("cannot start", {{"error", e.what()}});
    return 1;
  }
}

}  // namespace cchc
