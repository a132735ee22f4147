#pragma once
// WatchNotifications on gRPC's callback API: each open stream is a ServerWriteReactor, not a thread. A
// stream authorizes its caller, then repeats: query the rows after its cursor (on the shared TaskRunner,
// never on a gRPC callback thread), write them one at a time, and when caught up register a waiter with
// the WatchHub plus an idle timer (the timer's catch-up query finds rows another replica wrote). When the
// consumer of this process wakes it with rows that start right after what it wrote, it writes those
// without a query (NewRows). It ends
// with CANCELLED when the client goes away and with UNAVAILABLE once the hub is stopped (server shutdown).
#include <chrono>
#include <functional>
#include <string>

#include "cchc/notification/v1/notification.grpc.pb.h"
#include "platform/auth.h"
#include "platform/metrics.h"
#include "repository.h"
#include "task_runner.h"
#include "watch_hub.h"

namespace cchc::notification {

struct WatchOptions {
  std::chrono::milliseconds idle_check{5000};  // catch-up query of an idle stream (safety net)
  int workers = 4;                             // TaskRunner threads, hence most PostgreSQL connections held
  int batch = 100;                             // rows per query
  metrics::Registry* registry = nullptr;       // for cchc_watch_batches_total; none when null
};

// The subscriber named by `name` (field `field`) if the principal may read its inbox; throws StatusError.
using OwnedCheck =
    std::function<SubscriberSpec(const auth::Principal&, const std::string& name, const std::string& field)>;

class WatchStreams {
 public:
  WatchStreams(Repository& repository, WatchHub& hub, const auth::TokenStore& tokens, OwnedCheck owned,
               WatchOptions options = {});
  // A new stream for the call; gRPC owns it until its OnDone.
  grpc::ServerWriteReactor<v1::Notification>* Open(grpc::CallbackServerContext* context,
                                                   const v1::WatchNotificationsRequest* request);

  Repository& repository;
  WatchHub& hub;
  const auth::TokenStore& tokens;
  const OwnedCheck owned;
  const WatchOptions options;
  TaskRunner runner;
  // Batches of rows the streams went on to write, by where they came from (null without a registry).
  metrics::Counter* pushed = nullptr;   // handed over by this process's consumer: no query
  metrics::Counter* queried = nullptr;  // read from the database
};

}  // namespace cchc::notification
