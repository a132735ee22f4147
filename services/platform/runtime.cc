#include "runtime.h"

#include "kafka.h"

namespace cchc {
namespace {
std::vector<db::Statement> WithOutbox(std::vector<db::Statement> statements) {
  for (auto& s : outbox::Statements()) statements.push_back(std::move(s));
  return statements;
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
    : tokens(auth::TokenStore::LoadFile(options.tokens_file)),
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
