#include "options.h"

#include "net.h"

namespace cchc {

kafka::Properties CommonOptions::KafkaProperties() const {
  kafka::Properties out;
  for (const auto& kv : kafka_properties) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      throw CLI::ValidationError("--kafka-property", "'" + kv + "' is not key=value");
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

void AddCommonOptions(CLI::App& app, CommonOptions& o, const std::string& service) {
  o.schema = service;
  app.add_option("--grpc-address", o.grpc_address, "gRPC listen address host:port")
      ->envname("CCHC_GRPC_ADDRESS")
      ->capture_default_str();
  app.add_option("--metrics-address", o.metrics_address, "Prometheus /metrics listen address host:port")
      ->envname("CCHC_METRICS_ADDRESS")
      ->capture_default_str();
  app.add_option("--database-url", o.database_url, "PostgreSQL connection URL of the service's own role")
      ->envname("CCHC_DATABASE_URL")
      ->required();
  app.add_option("--schema", o.schema, "PostgreSQL schema of the service")
      ->envname("CCHC_SCHEMA")
      ->capture_default_str();
  app.add_option("--database-pool-size", o.database_pool_size, "Most PostgreSQL connections")
      ->envname("CCHC_DATABASE_POOL_SIZE")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--kafka-brokers", o.kafka_brokers, "Kafka bootstrap servers host:port[,host:port]")
      ->envname("CCHC_KAFKA_BROKERS")
      ->required();
  app.add_option("--kafka-property", o.kafka_properties, "Extra librdkafka setting key=value (repeatable)")
      ->envname("CCHC_KAFKA_PROPERTIES")
      ->delimiter(';');
  app.add_option("--tokens-file", o.tokens_file, "File of token hashes, principals and roles")
      ->envname("CCHC_TOKENS_FILE")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--page-token-keys-file", o.page_token_keys_file,
                 "File of the secret page tokens are signed with: the current key, then optionally the previous one "
                 "(still accepted during a rotation). Every replica needs the same file. Without it a random key of "
                 "this process signs, and tokens fail after a restart and at other replicas")
      ->envname("CCHC_PAGE_TOKEN_KEYS_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert-file", o.tls_cert_file, "PEM certificate chain; enables TLS with --tls-key-file")
      ->envname("CCHC_TLS_CERT_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key-file", o.tls_key_file, "PEM private key")
      ->envname("CCHC_TLS_KEY_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--max-message-bytes", o.max_message_bytes, "Largest gRPC message received or sent")
      ->envname("CCHC_MAX_MESSAGE_BYTES")
      ->check(CLI::Range(1024, 64 * 1024 * 1024))
      ->capture_default_str();
  app.add_option("--drain-seconds", o.drain_seconds, "Time given to RPCs in flight after SIGTERM")
      ->envname("CCHC_DRAIN_SECONDS")
      ->check(CLI::Range(0.0, 300.0))
      ->capture_default_str();
  app.add_option("--unready-seconds", o.unready_seconds, "Time NOT_SERVING is reported before draining")
      ->envname("CCHC_UNREADY_SECONDS")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--grpc-threads", o.grpc_threads,
                 "Threads kept waiting for RPCs (gRPC's sync-server pollers); a busier moment starts more, and "
                 "those beyond this number end when their RPC does")
      ->envname("CCHC_GRPC_THREADS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--log-level", o.log_level, "debug, info, warn or error")
      ->envname("CCHC_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
}

void ValidateCommonOptions(const CommonOptions& o) {
  auto check_address = [](const std::string& flag, const std::string& value) {
    try {
      net::SplitHostPort(value);
    } catch (const std::exception& e) {
      throw CLI::ValidationError(flag, e.what());
    }
  };
  check_address("--grpc-address", o.grpc_address);
  check_address("--metrics-address", o.metrics_address);
  if (o.tls_cert_file.empty() != o.tls_key_file.empty())
    throw CLI::ValidationError("--tls-cert-file/--tls-key-file", "give both or neither");
  if (o.database_url.rfind("postgresql://", 0) != 0 && o.database_url.rfind("postgres://", 0) != 0 &&
      o.database_url.find('=') == std::string::npos)
    throw CLI::ValidationError("--database-url", "must be a postgresql:// URL or a key=value connection string");
  if (o.schema.empty() || o.schema.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") != std::string::npos)
    throw CLI::ValidationError("--schema", "must be lower-case letters, digits and _");
  o.KafkaProperties();
}

}  // namespace cchc
