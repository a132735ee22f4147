#pragma once
// What every service's main builds after parsing its options, in dependency order: the tokens, the
// /metrics endpoint, the PostgreSQL pool with the service's statements, its migrations applied, the outbox
// relay publishing, the outbox's admin API (cchc.platform.v1.OutboxAdmin), and the gRPC host whose health
// follows the database and the broker. A main adds its
// own pieces (repository, handlers, background loops) and calls Run().
#include <string>
#include <vector>

#include "auth.h"
#include "db.h"
#include "metrics.h"
#include "migrations.h"
#include "options.h"
#include "outbox.h"
#include "outbox_admin_service.h"
#include "outbox_parked.h"
#include "server.h"

namespace cchc {

class ServiceRuntime {
 public:
  // Throws what start-up throws (a taken port, an unreachable database, a failed migration), naming it.
  ServiceRuntime(const CommonOptions& options, std::vector<db::Statement> statements,
                 const std::vector<db::Migration>& migrations, const std::string& event_source);

  // Serves until SIGTERM/SIGINT, then drains and stops the relay; returns the exit code.
  int Run();

  auth::TokenStore tokens;
  metrics::Registry registry;
  metrics::MetricsServer metrics_server;
  db::Pool pool;
  outbox::Relay relay;
  outbox::ParkedEvents parked_events;
  outbox::OutboxAdminService outbox_admin;
  ServiceHost host;
};

}  // namespace cchc
