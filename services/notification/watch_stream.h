#pragma once
// WatchNotifications on gRPC's callback API: each open stream is a ServerWriteReactor, not a thread. Open
// authenticates the caller, checks the request and takes a slot of the total cap on the gRPC thread, before
// anything is allocated or queued for the call; then the stream repeats on the shared TaskRunner (never on a
// gRPC callback thread): check that the principal still owns the subscriber (the first time, take a slot of
// the subscriber's cap), query the rows after its cursor, write them one at a time, and when caught up
// register a waiter with the WatchHub plus an idle timer (the timer's catch-up query finds rows another
// replica wrote; its interval doubles while nothing arrives, see watch_idle.h). When the consumer of this
// process wakes it with rows that start right after what it wrote, it writes those without a query (NewRows),
// after the ownership check. How a stream ends:
//   RESOURCE_EXHAUSTED  a cap is full (the message names the flag); nothing was queued for the call
//   PERMISSION_DENIED   the subscriber's unit is no longer the caller's (checked on every wake)
//   UNAVAILABLE         the stream reached --watch-max-age-ms, or the server is shutting down: the client
//                       resumes with after_cursor = the last cursor it received (nothing lost, nothing twice)
//   CANCELLED           the client went away
#include <chrono>
#include <functional>
#include <string>

#include "cchc/notification/v1/notification.grpc.pb.h"
#include "platform/auth.h"
#include "platform/metrics.h"
#include "rules/validation.h"
#include "store/inbox.h"
#include "task_runner.h"
#include "watch_hub.h"
#include "watch_slots.h"

namespace cchc::notification {

struct WatchOptions {
  std::chrono::milliseconds idle_check{5000};       // first catch-up query of an idle stream (safety net)
  std::chrono::milliseconds idle_check_max{60000};  // the interval doubles while nothing arrives, up to this
  std::chrono::milliseconds max_age{600000};        // then the stream ends (UNAVAILABLE) and its client resumes
  int max_streams = 4096;                 // open in this process; a few KB each, and a BumpAll costs a query each
  int max_per_subscriber = 5;             // open in this process for one subscriber (a few tabs and devices)
  int workers = 4;                        // TaskRunner threads, hence most PostgreSQL connections held
  int batch = 100;                        // rows per query
  metrics::Registry* registry = nullptr;  // for cchc_watch_batches_total; none when null
};

// The subscriber named by `name` (field `field`) if the principal may read its inbox; throws StatusError.
using OwnedCheck =
    std::function<SubscriberSpec(const auth::Principal&, const std::string& name, const std::string& field)>;

class WatchStreams {
 public:
  WatchStreams(InboxStore& inbox, WatchHub& hub, const auth::TokenStore& tokens, OwnedCheck owned,
               WatchOptions options = {});
  // A new stream for the call, or a reactor that has already finished it (unauthenticated, bad request, the
  // total cap full); gRPC owns either until its OnDone.
  grpc::ServerWriteReactor<v1::Notification>* Open(grpc::CallbackServerContext* context,
                                                   const v1::WatchNotificationsRequest* request);

  InboxStore& inbox;
  WatchHub& hub;
  const auth::TokenStore& tokens;
  const OwnedCheck owned;
  const WatchOptions options;
  WatchSlots slots;
  TaskRunner runner;
  // Batches of rows the streams went on to write, by where they came from (null without a registry).
  metrics::Counter* pushed = nullptr;   // handed over by this process's consumer: no query
  metrics::Counter* queried = nullptr;  // read from the database
};

}  // namespace cchc::notification
