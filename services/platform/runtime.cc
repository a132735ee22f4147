#include "runtime.h"

#include <signal.h>

#include <cmath>

#include "kafka.h"
#include "log.h"
#include "page_token_keys.h"

namespace cchc {
namespace {

// A connection for the migrations, once the database answers: tries until `seconds` have passed, with a log
// line per failed try. SIGTERM or SIGINT (blocked, see BlockTerminationSignals) ends the wait. Throws naming
// the last error.
std::unique_ptr<pqxx::connection> WaitForDatabase(const db::Pool& pool, double seconds) {
  using namespace std::chrono;
  const auto deadline = steady_clock::now() + duration_cast<steady_clock::duration>(duration<double>(seconds));
  auto backoff = milliseconds(250);
  for (int attempt = 1;; ++attempt) {
    try {
      auto conn = pool.OpenDedicated();
      if (attempt > 1) log::Info("the database answers", {{"attempts", std::to_string(attempt)}});
      return conn;
    } catch (const std::exception& e) {
      auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
      if (left <= milliseconds(0))
        throw std::runtime_error("the database did not answer within " + std::to_string(std::lround(seconds)) +
                                 " s (--database-wait-seconds): " + e.what());
      log::Warn("waiting for the database", {{"error", e.what()},
                                             {"attempt", std::to_string(attempt)},
                                             {"gives_up_in_s", std::to_string(left.count() / 1000)}});
      auto pause = std::min(backoff, left);
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGTERM);
      sigaddset(&set, SIGINT);
      timespec ts{static_cast<time_t>(pause.count() / 1000), static_cast<long>(pause.count() % 1000) * 1000000};
      if (int sig = sigtimedwait(&set, nullptr, &ts); sig > 0)
        throw std::runtime_error("stopped by signal " + std::to_string(sig) + " while waiting for the database");
      backoff = std::min(backoff * 2, milliseconds(5000));
    }
  }
}
std::vector<db::Statement> WithOutbox(std::vector<db::Statement> statements) {
  for (auto& s : outbox::Statements()) statements.push_back(std::move(s));
  return statements;
}

// The service's two secrets files, read before anything connects: the bearer tokens (returned) and the keys page
// tokens are signed with (installed; without a file, a random key of this process, with a warning).
auth::TokenStore LoadSecrets(const CommonOptions& options) {
  if (options.page_token_keys_file.empty()) {
    paging::InstallTokenKeys(paging::RandomTokenKeys());
    log::Warn(
        "page tokens are signed with a random key of this process: they fail after a restart and at "
        "other replicas; give --page-token-keys-file (CCHC_PAGE_TOKEN_KEYS_FILE) in production");
  } else {
    paging::InstallTokenKeys(paging::LoadTokenKeys(options.page_token_keys_file));
  }
  return auth::TokenStore::LoadFile(options.tokens_file);
}

outbox::RelayOptions RelayOptionsFor(const CommonOptions& options, const std::string& event_source) {
  outbox::RelayOptions relay;
  relay.brokers = options.kafka_brokers;
  relay.kafka_properties = options.KafkaProperties();
  relay.source = event_source;
  return relay;
}

}  // namespace

ServiceRuntime::ServiceRuntime(const CommonOptions& options, std::vector<db::Statement> statements,
                               const std::vector<db::Migration>& migrations, const std::string& event_source)
    : tokens(LoadSecrets(options)),
      metrics_server(options.metrics_address, registry),
      pool(options.database_url, options.schema, options.database_pool_size, WithOutbox(std::move(statements)),
           &registry),
      relay(pool, RelayOptionsFor(options, event_source), registry),
      parked_events(pool),
      outbox_admin(parked_events, tokens),
      host(options, registry) {
  outbox::SetMaxEventBytes(static_cast<size_t>(options.max_event_bytes));
  pool.SetCallTimeout(std::chrono::milliseconds(options.database_call_timeout_ms));
  {
    auto conn = WaitForDatabase(pool, options.database_wait_seconds);
    db::ApplyMigrations(*conn, options.schema, migrations);
  }
  relay.Start();
  host.AddReadinessCheck("database", [this] { return pool.Ping(); });
  host.AddReadinessCheck("kafka", [this] { return relay.BrokerReachable(1000); });
  host.AddService(&outbox_admin, "cchc.platform.v1.OutboxAdmin");
}

int ServiceRuntime::Run() {
  int rc = host.Run();
  relay.Stop();
  return rc;
}

}  // namespace cchc
