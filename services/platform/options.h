#pragma once
// Settings every service takes, as flags (--grpc-address) or environment variables (CCHC_GRPC_ADDRESS);
// a flag wins over the environment. A wrong or missing value stops start-up with a message naming it.
#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "kafka.h"
#include "tls_credentials.h"

namespace cchc {

struct CommonOptions {
  std::string grpc_address = "127.0.0.1:50051";
  std::string metrics_address = "127.0.0.1:9464";
  std::string database_url;  // required: postgresql://cchc_document@127.0.0.1:5432/cchc
  std::string schema;        // defaults to the service's name
  int database_pool_size = 8;
  double database_wait_seconds = 240;         // at start-up, how long to wait for the database to answer
  int database_call_timeout_ms = 30000;       // db::Pool::SetCallTimeout
  std::string kafka_brokers;                  // required: host:port[,host:port]
  std::vector<std::string> kafka_properties;  // extra librdkafka "key=value" settings
  std::string tokens_file;                    // required: sha256 token hashes → principals
  // Page-token signing keys (page_token_keys.h), shared by every replica. Empty: a random key of this process
  // (tokens then fail after a restart and at other replicas), logged as a warning; deployments set it.
  std::string page_token_keys_file;
  std::string tls_cert_file, tls_key_file;  // both or neither: TLS
  std::string tls_client_ca_file;           // with TLS: clients must present a certificate this CA issued (mTLS)
  int max_message_bytes = 4 * 1024 * 1024;
  int64_t max_event_bytes = 900 * 1000;  // outbox::kDefaultMaxEventBytes
  double drain_seconds = 5;              // graceful drain after SIGTERM
  double unready_seconds = 1;            // NOT_SERVING before the drain starts
  // gRPC's default keeps 2 idle threads, so under a steady load every RPC beyond them started a thread and ended
  // it (clone, stack unmap, TLB shootdown): ~5 % of both cores at 500 publishes/s.
  int grpc_threads = 32;
  // Server limits (ServiceHost), each default's reason on its line:
  int grpc_max_threads = 256;                 // 8x the pollers kept: a burst gets threads, a flood RESOURCE_EXHAUSTED
  int grpc_max_concurrent_streams = 256;      // per connection: 4x the benchmark's 64 in flight, a test's 200 Watches
  int64_t grpc_keepalive_time_ms = 60000;     // ping a quiet connection each minute to find clients that are gone
  int64_t grpc_keepalive_timeout_ms = 20000;  // no answer in 20 s: the connection closes, its streams end
  int64_t grpc_min_client_ping_ms = 10000;    // grpc-go's smallest client keepalive; a ping sooner is a strike
  int grpc_max_ping_strikes = 2;              // gRPC's default: the third early ping closes the connection
  int64_t grpc_max_connection_age_ms = 1800000;       // 30 min: clients reconnect, so new replicas get a share
  int64_t grpc_max_connection_age_grace_ms = 600000;  // 10 min, a Watch's longest life: streams end on their own
  std::string log_level = "info";

  kafka::Properties KafkaProperties() const;  // parsed kafka_properties; throws CLI::ValidationError
  tls::ServerFiles ServerTls() const { return {tls_cert_file, tls_key_file, tls_client_ca_file}; }
};

// Adds the common settings to `app`; `service` names the defaults (schema, metrics port, …).
void AddCommonOptions(CLI::App& app, CommonOptions& options, const std::string& service);

// Checks the combinations CLI11 cannot express. Throws CLI::ValidationError naming the setting.
void ValidateCommonOptions(const CommonOptions& options);

}  // namespace cchc
