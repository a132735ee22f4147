#include "runtime.h"

#include "kafka.h"
#include "log.h"
#include "page_token_keys.h"

namespace cchc {
namespace {
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
      host(options, registry) {
  {
    auto conn = pool.OpenDedicated();
    db::ApplyMigrations(*conn, options.schema, migrations);
  }
  relay.Start();
  host.AddReadinessCheck("database", [this] { return pool.Ping(); });
  host.AddReadinessCheck("kafka", [this] { return kafka::ClusterReachable(relay.Producer(), 1000); });
}

int ServiceRuntime::Run() {
  int rc = host.Run();
  relay.Stop();
  return rc;
}

}  // namespace cchc
