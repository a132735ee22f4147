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
  app.add_option("--database-wait-seconds", o.database_wait_seconds,
                 "At start-up, how long to wait (with a log line per try) for the database before giving up")
      ->envname("CCHC_DATABASE_WAIT_SECONDS")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--database-call-timeout-ms", o.database_call_timeout_ms,
                 "Database work of one call that runs longer than this has its connection cut and fails "
                 "UNAVAILABLE (a database that stopped answering); keep it above the role's statement_timeout")
      ->envname("CCHC_DATABASE_CALL_TIMEOUT_MS")
      ->check(CLI::Range(100, 3600000))
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
  app.add_option("--tls-client-ca-file", o.tls_client_ca_file,
                 "PEM CA certificates; with TLS, every client must present a certificate one of them issued (mTLS)")
      ->envname("CCHC_TLS_CLIENT_CA_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--max-message-bytes", o.max_message_bytes, "Largest gRPC message received or sent")
      ->envname("CCHC_MAX_MESSAGE_BYTES")
      ->check(CLI::Range(1024, 64 * 1024 * 1024))
      ->capture_default_str();
  app.add_option("--max-event-bytes", o.max_event_bytes,
                 "Largest event a write may produce (payload, key and headers); a larger one fails the write "
                 "with FAILED_PRECONDITION. Keep it below the producer's message.max.bytes")
      ->envname("CCHC_MAX_EVENT_BYTES")
      ->check(CLI::Range(int64_t{1024}, int64_t{64} * 1024 * 1024))
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
  app.add_option("--grpc-max-threads", o.grpc_max_threads,
                 "Most threads serving RPCs (gRPC ResourceQuota); a call that finds none gets RESOURCE_EXHAUSTED. "
                 "Above --grpc-threads")
      ->envname("CCHC_GRPC_MAX_THREADS")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  app.add_option("--grpc-max-concurrent-streams", o.grpc_max_concurrent_streams,
                 "Most calls open at once on one client connection (HTTP/2 MAX_CONCURRENT_STREAMS); the client "
                 "queues the others")
      ->envname("CCHC_GRPC_MAX_CONCURRENT_STREAMS")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--grpc-keepalive-time-ms", o.grpc_keepalive_time_ms,
                 "The server pings a connection quiet for this long, to find clients that are gone")
      ->envname("CCHC_GRPC_KEEPALIVE_TIME_MS")
      ->check(CLI::Range(int64_t{1000}, int64_t{7200000}))
      ->capture_default_str();
  app.add_option("--grpc-keepalive-timeout-ms", o.grpc_keepalive_timeout_ms,
                 "A ping unanswered this long closes the connection and ends its calls")
      ->envname("CCHC_GRPC_KEEPALIVE_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{1000}, int64_t{600000}))
      ->capture_default_str();
  app.add_option("--grpc-min-client-ping-ms", o.grpc_min_client_ping_ms,
                 "Shortest interval between a client's pings; a ping sooner is a strike")
      ->envname("CCHC_GRPC_MIN_CLIENT_PING_MS")
      ->check(CLI::Range(int64_t{1000}, int64_t{7200000}))
      ->capture_default_str();
  app.add_option("--grpc-max-ping-strikes", o.grpc_max_ping_strikes,
                 "Early pings tolerated; one more closes the connection (GOAWAY too_many_pings)")
      ->envname("CCHC_GRPC_MAX_PING_STRIKES")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_option("--grpc-max-connection-age-ms", o.grpc_max_connection_age_ms,
                 "A connection older than this (+-10 %) is asked to go away (GOAWAY); its client reconnects, "
                 "possibly to another replica")
      ->envname("CCHC_GRPC_MAX_CONNECTION_AGE_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{24} * 24 * 3600 * 1000))
      ->capture_default_str();
  app.add_option("--grpc-max-connection-age-grace-ms", o.grpc_max_connection_age_grace_ms,
                 "Time the calls of a connection past its age get to finish before it is closed")
      ->envname("CCHC_GRPC_MAX_CONNECTION_AGE_GRACE_MS")
      ->check(CLI::Range(int64_t{0}, int64_t{24} * 3600 * 1000))
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
  if (o.grpc_max_threads <= o.grpc_threads)
    throw CLI::ValidationError("--grpc-max-threads", "must be above --grpc-threads (" + std::to_string(o.grpc_threads) +
                                                         "), the threads kept waiting for RPCs");
  try {
    tls::ServerCredentials(o.ServerTls());  // the combination, and every file readable PEM, before anything starts
  } catch (const tls::SettingError& e) {
    throw CLI::ValidationError(e.flag(), e.reason());
  }
  if (o.database_url.rfind("postgresql://", 0) != 0 && o.database_url.rfind("postgres://", 0) != 0 &&
      o.database_url.find('=') == std::string::npos)
    throw CLI::ValidationError("--database-url", "must be a postgresql:// URL or a key=value connection string");
  if (o.schema.empty() || o.schema.find_first_not_of("abcdefghijklmnopqrstuvwxyz_0123456789") != std::string::npos)
    throw CLI::ValidationError("--schema", "must be lower-case letters, digits and _");
  for (const char* timeout : {"message.timeout.ms", "delivery.timeout.ms"}) {
    auto properties = o.KafkaProperties();
    if (auto it = properties.find(timeout); it != properties.end() && it->second == "0")
      throw CLI::ValidationError("--kafka-property", std::string(timeout) +
                                                         "=0 would let a message wait for ever: every wait for an "
                                                         "acknowledgement must end");
  }
  if (auto reserved = kafka::ReservedProperty(o.KafkaProperties()))
    throw CLI::ValidationError("--kafka-property", *reserved +
                                                       " may not be overridden: the outbox's and the dead-letter "
                                                       "producer's guarantees rest on idempotence, acks=all and "
                                                       "at most 5 requests in flight");
}

}  // namespace cchc
