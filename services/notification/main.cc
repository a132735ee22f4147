// notification-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "delivery/smtp_config.h"
#include "delivery/worker.h"
#include "inbox_notice.h"
#include "ingest.h"
#include "platform/cloudevents.h"
#include "platform/consumer.h"
#include "platform/log.h"
#include "platform/options.h"
#include "platform/runtime.h"
#include "service.h"
#include "store/stores.h"
#include "watch_hub.h"

int main(int argc, char** argv) {
  cchc::BlockTerminationSignals();
  CLI::App app{"cchc notification service (thông báo)"};
  cchc::CommonOptions options;
  options.grpc_address = "127.0.0.1:50064";
  options.metrics_address = "127.0.0.1:9464";
  cchc::AddCommonOptions(app, options, "notification");  // after the defaults, so --help shows them
  std::vector<std::string> topics = {"cchc.document.v1", "cchc.news.v1", "cchc.scoring.v1"};
  std::string dead_letter_topic = "cchc.notification.dlq.v1", group_id = "cchc-notification";
  cchc::notification::IngestOptions ingest;
  ingest.portal_base_url = "https://sgddt.soctrang.gov.vn";
  cchc::notification::WorkerOptions workers;
  workers.smtp.from = "thongbao@sgddt.soctrang.gov.vn";
  int64_t webhook_timeout_ms = 5000, smtp_timeout_ms = 10000, backoff_base_ms = 1000, backoff_cap_ms = 600000,
          poll_ms = 200, lease_ms = 0;
  int consumer_attempts = 5;
  double transient_retry_seconds = 300;
  int64_t fetch_wait_ms = cchc::kafka::kDefaultFetchWaitMs;
  const cchc::notification::WatchOptions watch_defaults;
  int64_t watch_idle_check_ms = watch_defaults.idle_check.count();
  int64_t watch_idle_check_max_ms = watch_defaults.idle_check_max.count();
  int64_t watch_max_age_ms = watch_defaults.max_age.count();
  int watch_max_streams = watch_defaults.max_streams, watch_max_per_subscriber = watch_defaults.max_per_subscriber;
  app.add_option("--topics", topics, "Event topics to consume")
      ->envname("CCHC_TOPICS")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--dead-letter-topic", dead_letter_topic, "Where poison events go")
      ->envname("CCHC_DEAD_LETTER_TOPIC")
      ->capture_default_str();
  app.add_option("--group-id", group_id, "Kafka consumer group")->envname("CCHC_GROUP_ID")->capture_default_str();
  app.add_option("--consumer-max-attempts", consumer_attempts, "Attempts per event before the dead-letter topic")
      ->envname("CCHC_CONSUMER_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--consumer-transient-retry-seconds", transient_retry_seconds,
                 "How long one event's deadlocks, serialization failures, lock time-outs (55P03) and lost "
                 "connections are retried without spending attempts; after that each spends one (a statement "
                 "time-out always does)")
      ->envname("CCHC_CONSUMER_TRANSIENT_RETRY_SECONDS")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--consumer-fetch-wait-ms", fetch_wait_ms,
                 "Longest the broker holds the consumer's fetch that finds nothing new (fetch.wait.max.ms). Apache "
                 "Kafka answers as soon as an event arrives: set it long there (500). The embedded broker answers "
                 "only when it is over, so every event may wait that long")
      ->envname("CCHC_CONSUMER_FETCH_WAIT_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--portal-base-url", ingest.portal_base_url, "Links in notifications are this + / + resource name")
      ->envname("CCHC_PORTAL_BASE_URL")
      ->capture_default_str();
  app.add_flag("--async-commit", ingest.async_commit,
               "Consumer transactions with synchronous_commit=off (no wait for the WAL flush, but every batch in "
               "a transaction of its own, never one statement; a PostgreSQL crash may lose the last ~0.6 s of "
               "notifications)")
      ->envname("CCHC_ASYNC_COMMIT");
  app.add_option("--delivery-attempts", ingest.attempt_budget, "Attempts per webhook/e-mail delivery")
      ->envname("CCHC_DELIVERY_ATTEMPTS")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  app.add_option("--delivery-workers", workers.threads,
                 "Delivery attempts at once, all endpoints together (one thread each)")
      ->envname("CCHC_DELIVERY_WORKERS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  // Per endpoint (a webhook URL or an e-mail address; delivery/endpoint_gate.h), in this replica.
  double breaker_open_seconds = 30, breaker_failure_percent = 50;
  app.add_option("--delivery-endpoint-concurrency", workers.gate.max_in_flight, "Attempts at once to one endpoint")
      ->envname("CCHC_DELIVERY_ENDPOINT_CONCURRENCY")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--delivery-endpoint-rate", workers.gate.rate_per_second, "Attempts a second to one endpoint")
      ->envname("CCHC_DELIVERY_ENDPOINT_RATE")
      ->check(CLI::Range(0.01, 10000.0))
      ->capture_default_str();
  app.add_option("--delivery-breaker-failures", workers.gate.consecutive_failures,
                 "Failures in a row that open an endpoint's circuit breaker")
      ->envname("CCHC_DELIVERY_BREAKER_FAILURES")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--delivery-breaker-window", workers.gate.window,
                 "Attempts whose failure share (--delivery-breaker-failure-percent) also opens the breaker")
      ->envname("CCHC_DELIVERY_BREAKER_WINDOW")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--delivery-breaker-failure-percent", breaker_failure_percent,
                 "Share of the last --delivery-breaker-window attempts failed that opens the breaker")
      ->envname("CCHC_DELIVERY_BREAKER_FAILURE_PERCENT")
      ->check(CLI::Range(1.0, 100.0))
      ->capture_default_str();
  app.add_option("--delivery-breaker-open-seconds", breaker_open_seconds,
                 "How long an open breaker holds an endpoint's deliveries (unspent) before one trial attempt")
      ->envname("CCHC_DELIVERY_BREAKER_OPEN_SECONDS")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  app.add_option("--delivery-poll-ms", poll_ms, "Wait of the delivery claimer when nothing was due")
      ->envname("CCHC_DELIVERY_POLL_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--webhook-timeout-ms", webhook_timeout_ms, "Timeout of one webhook attempt")
      ->envname("CCHC_WEBHOOK_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{120000}))
      ->capture_default_str();
  // The SSRF policy of webhooks (delivery/webhook_target.h).
  std::vector<std::string> webhook_allow_cidrs;
  bool webhook_require_https = false;
  app.add_option("--webhook-allow-cidr", webhook_allow_cidrs,
                 "A subnet webhooks may reach although the SSRF policy refuses it (loopback, private, link-local, "
                 "CGNAT, unique-local, multicast, reserved), e.g. 127.0.0.0/8 for local receivers; repeatable, "
                 "comma-separated in the variable")
      ->envname("CCHC_WEBHOOK_ALLOW_CIDRS")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& v) {
            return cchc::notification::ParseCidr(v) ? std::string()
                                                    : "not a CIDR (a.b.c.d/n or v6::/n, no host bits past n): " + v;
          },
          "CIDR"));
  app.add_flag("--webhook-require-https", webhook_require_https, "Refuse webhook URLs that are not https://")
      ->envname("CCHC_WEBHOOK_REQUIRE_HTTPS");
  app.add_option("--backoff-base-ms", backoff_base_ms, "Retry backoff ceiling after the first failed attempt")
      ->envname("CCHC_BACKOFF_BASE_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--backoff-cap-ms", backoff_cap_ms, "Largest retry backoff")
      ->envname("CCHC_BACKOFF_CAP_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400000}))
      ->capture_default_str();
  std::string smtp_credentials_file;
  app.add_option("--smtp-url", workers.smtp.url,
                 "SMTP server: smtp://host:port (STARTTLS required) or smtps://host:port (implicit TLS), the "
                 "certificate always verified; no user:password in it (--smtp-credentials-file). Empty: e-mails fail "
                 "(retried)")
      ->envname("CCHC_SMTP_URL");
  app.add_option("--smtp-from", workers.smtp.from, "Sender address of e-mails")
      ->envname("CCHC_SMTP_FROM")
      ->capture_default_str();
  app.add_option("--smtp-timeout-ms", smtp_timeout_ms, "Timeout of one e-mail attempt (connect, TLS and dialogue)")
      ->envname("CCHC_SMTP_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{120000}))
      ->capture_default_str();
  app.add_option("--delivery-lease-ms", lease_ms,
                 "How long a claimed delivery stays leased to its worker; longer than the webhook and SMTP time-outs "
                 "(0: the longer of the two plus 30 s). A passed lease makes the delivery claimable again")
      ->envname("CCHC_DELIVERY_LEASE_MS")
      ->check(CLI::Range(int64_t{0}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--smtp-ca-file", workers.smtp.ca_file,
                 "PEM file of the CA(s) that sign the SMTP server's certificate (a private CA); empty: the system's")
      ->envname("CCHC_SMTP_CA_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--smtp-credentials-file", smtp_credentials_file,
                 "File whose first line (not blank, not #) is user:password for SMTP AUTH, sent only over TLS; "
                 "empty: no AUTH")
      ->envname("CCHC_SMTP_CREDENTIALS_FILE");
  app.add_option("--watch-idle-check-ms", watch_idle_check_ms,
                 "How often an idle Watch stream looks for rows it was not told of (other replicas tell it)")
      ->envname("CCHC_WATCH_IDLE_CHECK_MS")
      ->check(CLI::Range(int64_t{50}, int64_t{600000}))
      ->capture_default_str();
  app.add_option("--watch-idle-check-max-ms", watch_idle_check_max_ms,
                 "The idle check's interval doubles while nothing arrives, up to this; rows reset it")
      ->envname("CCHC_WATCH_IDLE_CHECK_MAX_MS")
      ->check(CLI::Range(int64_t{50}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--watch-max-age-ms", watch_max_age_ms,
                 "A Watch stream open this long ends with UNAVAILABLE; clients resume from their last cursor")
      ->envname("CCHC_WATCH_MAX_AGE_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{86400000}))
      ->capture_default_str();
  app.add_option("--watch-max-streams", watch_max_streams,
                 "Watch streams open at once in this process; more get RESOURCE_EXHAUSTED")
      ->envname("CCHC_WATCH_MAX_STREAMS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--watch-max-streams-per-subscriber", watch_max_per_subscriber,
                 "Watch streams of one subscriber open at once in this process; more get RESOURCE_EXHAUSTED")
      ->envname("CCHC_WATCH_MAX_STREAMS_PER_SUBSCRIBER")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    cchc::ValidateCommonOptions(options);
    if (auto problem = cchc::notification::SmtpUrlProblem(workers.smtp.url); !problem.empty())
      throw CLI::ValidationError("--smtp-url", problem);
    if (!smtp_credentials_file.empty()) try {
        workers.smtp.credentials = cchc::notification::LoadSmtpCredentials(smtp_credentials_file);
      } catch (const std::exception& e) {
        throw CLI::ValidationError("--smtp-credentials-file", e.what());
      }
    const int64_t longest_attempt_ms = std::max(webhook_timeout_ms, smtp_timeout_ms);
    if (lease_ms == 0) lease_ms = longest_attempt_ms + 30000;
    if (lease_ms <= longest_attempt_ms)
      throw CLI::ValidationError("--delivery-lease-ms",
                                 "must be longer than --webhook-timeout-ms and --smtp-timeout-ms (" +
                                     std::to_string(longest_attempt_ms) + ")");
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  workers.lease = std::chrono::milliseconds(lease_ms);
  workers.gate.failure_ratio = breaker_failure_percent / 100;
  workers.gate.open_for = std::chrono::milliseconds(static_cast<int64_t>(breaker_open_seconds * 1000));
  workers.poll = std::chrono::milliseconds(poll_ms);
  workers.attempt_budget = ingest.attempt_budget;
  workers.webhook_timeout = std::chrono::milliseconds(webhook_timeout_ms);
  for (const auto& c : webhook_allow_cidrs) workers.webhook.allow.push_back(*cchc::notification::ParseCidr(c));
  workers.webhook.require_https = webhook_require_https;
  workers.smtp.timeout = std::chrono::milliseconds(smtp_timeout_ms);
  workers.backoff = {std::chrono::milliseconds(backoff_base_ms), std::chrono::milliseconds(backoff_cap_ms)};
  // This process, in the notices that tell the other replicas whose inbox grew (inbox_notice.h).
  ingest.replica = cchc::events::NewUuid();
  cchc::log::Init("notification", cchc::log::ParseLevel(options.log_level));
  try {
    namespace n = cchc::notification;
    cchc::ServiceRuntime runtime(options, n::Statements(), n::AllMigrations(), "/cchc/notification");
    // The Watch streams' query on connections of its own, planned once (see WatchStatements). No metrics: the
    // pool metrics are the main pool's.
    n::ServiceOptions service_options;
    service_options.watch.idle_check = std::chrono::milliseconds(watch_idle_check_ms);
    service_options.watch.idle_check_max = std::chrono::milliseconds(watch_idle_check_max_ms);
    service_options.watch.max_age = std::chrono::milliseconds(watch_max_age_ms);
    service_options.watch.max_streams = watch_max_streams;
    service_options.watch.max_per_subscriber = watch_max_per_subscriber;
    service_options.watch.registry = &runtime.registry;
    service_options.webhook = workers.webhook;
    cchc::db::Pool watch_pool(options.database_url, options.schema, service_options.watch.workers, n::WatchStatements(),
                              nullptr, cchc::db::Plans::kGeneric);
    n::Stores stores(runtime.pool, watch_pool);
    n::WatchHub hub;
    n::InboxListener listener(runtime.pool, hub, ingest.replica);
    listener.Start();
    n::Ingest handler(stores.subscriptions, stores.inbox, hub, ingest, runtime.registry);
    cchc::consumer::Options consumer_options;
    consumer_options.brokers = options.kafka_brokers;
    consumer_options.group_id = group_id;
    consumer_options.topics = topics;
    consumer_options.dead_letter_topic = dead_letter_topic;
    consumer_options.max_attempts = consumer_attempts;
    consumer_options.transient_retry = std::chrono::milliseconds(static_cast<int64_t>(transient_retry_seconds * 1000));
    consumer_options.fetch_wait = std::chrono::milliseconds(fetch_wait_ms);
    consumer_options.kafka_properties = options.KafkaProperties();
    cchc::consumer::EventConsumer consumer(runtime.pool, consumer_options, handler, runtime.registry);
    consumer.Start();
    // A dead-letter write that keeps failing holds its partition: not ready until it succeeds.
    n::DeliveryWorkers delivery(stores.deliveries, workers, runtime.registry);
    delivery.Start();
    n::NotificationService service(stores, hub, runtime.tokens, service_options);
    runtime.host.AddService(&service, "cchc.notification.v1.NotificationService");
    // Open Watch streams end with UNAVAILABLE ("resume from the last cursor") as the drain begins.
    runtime.host.AddShutdownHook([&] { hub.Stop(); });
    int rc = runtime.Run();
    consumer.Stop();
    delivery.Stop();
    listener.Stop();
    hub.Stop();
    return rc;
  } catch (const std::exception& e) {
    cchc::log::Error("cannot start", {{"error", e.what()}});
    return 1;
  }
}
