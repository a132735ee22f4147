// news-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>

#include "document_client.h"
#include "platform/kafka.h"
#include "platform/log.h"
#include "platform/metrics.h"
#include "platform/migrations.h"
#include "platform/options.h"
#include "platform/outbox.h"
#include "platform/server.h"
#include "repository.h"
#include "scheduler.h"
#include "service.h"
#include "views.h"

int main(int argc, char** argv) {
  cchc::BlockTerminationSignals();
  CLI::App app{"cchc news service (tin tức)"};
  cchc::CommonOptions options;
  cchc::AddCommonOptions(app, options, "news");
  options.grpc_address = "127.0.0.1:50062";
  options.metrics_address = "127.0.0.1:9462";
  std::string document_address = "127.0.0.1:50061", document_token;
  int64_t document_timeout_ms = 2000, scheduler_interval_ms = 500;
  cchc::news::ServiceLimits limits;
  int64_t comment_window_seconds = limits.comments.window.count();
  app.add_option("--document-service-address", document_address, "host:port of the document service")
      ->envname("CCHC_DOCUMENT_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--document-service-token", document_token,
                 "Bearer token of this service at the document service (role reader)")
      ->envname("CCHC_DOCUMENT_SERVICE_TOKEN");
  app.add_option("--document-service-timeout-ms", document_timeout_ms, "Deadline of each document service call")
      ->envname("CCHC_DOCUMENT_SERVICE_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--scheduler-interval-ms", scheduler_interval_ms, "How often scheduled articles are looked for")
      ->envname("CCHC_SCHEDULER_INTERVAL_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--comments-per-sender", limits.comments.per_sender,
                 "Comments one e-mail address may submit per window")
      ->envname("CCHC_COMMENTS_PER_SENDER")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--comment-window-seconds", comment_window_seconds, "The rate limit's window")
      ->envname("CCHC_COMMENT_WINDOW_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    cchc::ValidateCommonOptions(options);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  limits.comments.window = std::chrono::seconds(comment_window_seconds);
  cchc::log::Init("news", cchc::log::ParseLevel(options.log_level));
  try {
    auto tokens = cchc::auth::TokenStore::LoadFile(options.tokens_file);
    cchc::metrics::Registry registry;
    cchc::metrics::MetricsServer metrics_server(options.metrics_address, registry);

    cchc::db::Pool pool(options.database_url, options.schema, options.database_pool_size, cchc::news::Statements(),
                        &registry);
    {
      auto conn = pool.OpenDedicated();
      cchc::db::ApplyMigrations(*conn, options.schema, cchc::news::AllMigrations());
    }
    cchc::outbox::RelayOptions relay_options;
    relay_options.brokers = options.kafka_brokers;
    relay_options.kafka_properties = options.KafkaProperties();
    relay_options.source = cchc::news::kSource;
    cchc::outbox::Relay relay(pool, relay_options, registry);
    relay.Start();

    cchc::news::Repository repository(pool);
    cchc::news::Scheduler scheduler(repository, std::chrono::milliseconds(scheduler_interval_ms), registry);
    scheduler.Start();
    cchc::news::ViewCounter views(pool, &registry);
    cchc::news::DocumentClient documents(document_address, document_token,
                                         std::chrono::milliseconds(document_timeout_ms));
    cchc::news::NewsService service(repository, views, documents, tokens, limits);
    cchc::ServiceHost host(options, registry);
    host.AddService(&service, "cchc.news.v1.NewsService");
    host.AddReadinessCheck("database", [&] { return pool.Ping(); });
    host.AddReadinessCheck("kafka", [&] { return cchc::kafka::ClusterReachable(relay.Producer(), 1000); });
    int rc = host.Run();
    scheduler.Stop();
    relay.Stop();
    return rc;
  } catch (const std::exception& e) {
    cchc::log::Error("cannot start", {{"error", e.what()}});
    return 1;
  }
}
