#include "options.h"

#include <algorithm>
#include <chrono>

#include "delivery/smtp_config.h"
#include "delivery/webhook_target.h"
#include "platform/cloudevents.h"

namespace cchc::notification {

void AddOptions(CLI::App& app, Options& o) {
  o.ingest.portal_base_url = "https://sgddt.soctrang.gov.vn";
  o.workers.smtp.from = "thongbao@sgddt.soctrang.gov.vn";
  Options::Given& g = o.given;
  const WatchOptions watch_defaults;
  g.watch_idle_check_ms = watch_defaults.idle_check.count();
  g.watch_idle_check_max_ms = watch_defaults.idle_check_max.count();
  g.watch_max_age_ms = watch_defaults.max_age.count();
  g.watch_max_streams = watch_defaults.max_streams;
  g.watch_max_per_subscriber = watch_defaults.max_per_subscriber;
  app.add_option("--topics", g.topics, "Event topics to consume")
      ->envname("CCHC_TOPICS")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--dead-letter-topic", g.dead_letter_topic, "Where poison events go")
      ->envname("CCHC_DEAD_LETTER_TOPIC")
      ->capture_default_str();
  app.add_option("--group-id", g.group_id, "Kafka consumer group")->envname("CCHC_GROUP_ID")->capture_default_str();
  app.add_option("--consumer-max-attempts", g.consumer_attempts, "Attempts per event before the dead-letter topic")
      ->envname("CCHC_CONSUMER_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--consumer-transient-retry-seconds", g.transient_retry_seconds,
                 "How long one event's deadlocks, serialization failures, lock time-outs (55P03) and lost "
                 "connections are retried without spending attempts; after that each spends one (a statement "
                 "time-out always does)")
      ->envname("CCHC_CONSUMER_TRANSIENT_RETRY_SECONDS")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  app.add_option("--consumer-fetch-wait-ms", g.fetch_wait_ms,
                 "Longest the broker holds the consumer's fetch that finds nothing new (fetch.wait.max.ms). Apache "
                 "Kafka answers as soon as an event arrives: set it long there (500). The embedded broker answers "
                 "only when it is over, so every event may wait that long")
      ->envname("CCHC_CONSUMER_FETCH_WAIT_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--portal-base-url", o.ingest.portal_base_url, "Links in notifications are this + / + resource name")
      ->envname("CCHC_PORTAL_BASE_URL")
      ->capture_default_str();
  app.add_flag("--async-commit", o.ingest.async_commit,
               "Consumer transactions with synchronous_commit=off (no wait for the WAL flush, but every batch in "
               "a transaction of its own, never one statement; a PostgreSQL crash may lose the last ~0.6 s of "
               "notifications)")
      ->envname("CCHC_ASYNC_COMMIT");
  app.add_option("--delivery-attempts", o.ingest.attempt_budget, "Attempts per webhook/e-mail delivery")
      ->envname("CCHC_DELIVERY_ATTEMPTS")
      ->check(CLI::Range(1, 50))
      ->capture_default_str();
  app.add_option("--delivery-workers", o.workers.threads,
                 "Delivery attempts at once, all endpoints together (one thread each)")
      ->envname("CCHC_DELIVERY_WORKERS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  // Per endpoint (a webhook URL or an e-mail address; delivery/endpoint_gate.h), in this replica.
  app.add_option("--delivery-endpoint-concurrency", o.workers.gate.max_in_flight, "Attempts at once to one endpoint")
      ->envname("CCHC_DELIVERY_ENDPOINT_CONCURRENCY")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--delivery-endpoint-rate", o.workers.gate.rate_per_second, "Attempts a second to one endpoint")
      ->envname("CCHC_DELIVERY_ENDPOINT_RATE")
      ->check(CLI::Range(0.01, 10000.0))
      ->capture_default_str();
  app.add_option("--delivery-breaker-failures", o.workers.gate.consecutive_failures,
                 "Failures in a row that open an endpoint's circuit breaker")
      ->envname("CCHC_DELIVERY_BREAKER_FAILURES")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--delivery-breaker-window", o.workers.gate.window,
                 "Attempts whose failure share (--delivery-breaker-failure-percent) also opens the breaker")
      ->envname("CCHC_DELIVERY_BREAKER_WINDOW")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--delivery-breaker-failure-percent", g.breaker_failure_percent,
                 "Share of the last --delivery-breaker-window attempts failed that opens the breaker")
      ->envname("CCHC_DELIVERY_BREAKER_FAILURE_PERCENT")
      ->check(CLI::Range(1.0, 100.0))
      ->capture_default_str();
  app.add_option("--delivery-breaker-open-seconds", g.breaker_open_seconds,
                 "How long an open breaker holds an endpoint's deliveries (unspent) before one trial attempt")
      ->envname("CCHC_DELIVERY_BREAKER_OPEN_SECONDS")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  app.add_option("--delivery-poll-ms", g.poll_ms, "Wait of the delivery claimer when nothing was due")
      ->envname("CCHC_DELIVERY_POLL_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option("--webhook-timeout-ms", g.webhook_timeout_ms, "Timeout of one webhook attempt")
      ->envname("CCHC_WEBHOOK_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{120000}))
      ->capture_default_str();
  // The SSRF policy of webhooks (delivery/webhook_target.h).
  app.add_option("--webhook-allow-cidr", g.webhook_allow_cidrs,
                 "A subnet webhooks may reach although the SSRF policy refuses it (loopback, private, link-local, "
                 "CGNAT, unique-local, multicast, reserved), e.g. 127.0.0.0/8 for local receivers; repeatable, "
                 "comma-separated in the variable")
      ->envname("CCHC_WEBHOOK_ALLOW_CIDRS")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& v) {
            return ParseCidr(v) ? std::string() : "not a CIDR (a.b.c.d/n or v6::/n, no host bits past n): " + v;
          },
          "CIDR"));
  app.add_flag("--webhook-require-https", g.webhook_require_https, "Refuse webhook URLs that are not https://")
      ->envname("CCHC_WEBHOOK_REQUIRE_HTTPS");
  app.add_option("--webhook-secret-grace-seconds", g.webhook_secret_grace_seconds,
                 "After RotateWebhookSecret, how long the previous secret still signs webhooks beside the new one "
                 "(two entries in webhook-signature)")
      ->envname("CCHC_WEBHOOK_SECRET_GRACE_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{30 * 86400}))
      ->capture_default_str();
  app.add_option("--webhook-retry-schedule", g.webhook_retry_schedule,
                 "Webhook retries: the delay before each, comma-separated, each with ms, s, m or h and drawn within "
                 "±20 %; Svix's by default (the attempts stay bounded by --delivery-attempts; past the list, its last)")
      ->envname("CCHC_WEBHOOK_RETRY_SCHEDULE")
      ->check(CLI::Validator(
          [](std::string& v) {
            std::string error;
            return ParseRetrySchedule(v, &error) ? std::string() : error;
          },
          "SCHEDULE"))
      ->capture_default_str();
  app.add_option("--webhook-retry-after-max-seconds", g.webhook_retry_after_max_seconds,
                 "The longest Retry-After of a webhook receiver honoured (a longer one waits this long)")
      ->envname("CCHC_WEBHOOK_RETRY_AFTER_MAX_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  app.add_option("--webhook-disable-after-seconds", g.webhook_disable_after_seconds,
                 "A webhook endpoint whose every attempt keeps failing this long (after failures over "
                 "--webhook-failure-spread-seconds) is disabled and its owner told")
      ->envname("CCHC_WEBHOOK_DISABLE_AFTER_SECONDS")
      ->check(CLI::Range(int64_t{1}, int64_t{90} * 86400))
      ->capture_default_str();
  app.add_option("--webhook-failure-spread-seconds", g.webhook_failure_spread_seconds,
                 "How long a webhook endpoint's failures must spread over before its disable clock starts")
      ->envname("CCHC_WEBHOOK_FAILURE_SPREAD_SECONDS")
      ->check(CLI::Range(int64_t{0}, int64_t{7} * 86400))
      ->capture_default_str();
  app.add_option("--backoff-base-ms", g.backoff_base_ms,
                 "E-mail retry backoff ceiling after the first failed attempt (webhooks: --webhook-retry-schedule)")
      ->envname("CCHC_BACKOFF_BASE_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--backoff-cap-ms", g.backoff_cap_ms, "Largest e-mail retry backoff")
      ->envname("CCHC_BACKOFF_CAP_MS")
      ->check(CLI::Range(int64_t{1}, int64_t{86400000}))
      ->capture_default_str();
  app.add_option("--smtp-url", o.workers.smtp.url,
                 "SMTP server: smtp://host:port (STARTTLS required) or smtps://host:port (implicit TLS), the "
                 "certificate always verified; no user:password in it (--smtp-credentials-file). Empty: e-mails fail "
                 "(retried)")
      ->envname("CCHC_SMTP_URL");
  app.add_option("--smtp-from", o.workers.smtp.from, "Sender address of e-mails")
      ->envname("CCHC_SMTP_FROM")
      ->capture_default_str();
  app.add_option("--smtp-timeout-ms", g.smtp_timeout_ms, "Timeout of one e-mail attempt (connect, TLS and dialogue)")
      ->envname("CCHC_SMTP_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{120000}))
      ->capture_default_str();
  app.add_option("--delivery-lease-ms", g.lease_ms,
                 "How long a claimed delivery stays leased to its worker; longer than the webhook and SMTP time-outs "
                 "(0: the longer of the two plus 30 s). A passed lease makes the delivery claimable again")
      ->envname("CCHC_DELIVERY_LEASE_MS")
      ->check(CLI::Range(int64_t{0}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--delivery-max-lost-claims", o.workers.max_lost_claims,
                 "Claims of one delivery whose worker died or stalled mid-attempt (its lease passed) after which the "
                 "delivery is a dead letter rather than tried again: one that crashes the process does not loop")
      ->envname("CCHC_DELIVERY_MAX_LOST_CLAIMS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--smtp-ca-file", o.workers.smtp.ca_file,
                 "PEM file of the CA(s) that sign the SMTP server's certificate (a private CA); empty: the system's")
      ->envname("CCHC_SMTP_CA_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--smtp-credentials-file", g.smtp_credentials_file,
                 "File whose first line (not blank, not #) is user:password for SMTP AUTH, sent only over TLS; "
                 "empty: no AUTH")
      ->envname("CCHC_SMTP_CREDENTIALS_FILE");
  app.add_option("--watch-idle-check-ms", g.watch_idle_check_ms,
                 "How often an idle Watch stream looks for rows it was not told of (other replicas tell it)")
      ->envname("CCHC_WATCH_IDLE_CHECK_MS")
      ->check(CLI::Range(int64_t{50}, int64_t{600000}))
      ->capture_default_str();
  app.add_option("--watch-idle-check-max-ms", g.watch_idle_check_max_ms,
                 "The idle check's interval doubles while nothing arrives, up to this; rows reset it")
      ->envname("CCHC_WATCH_IDLE_CHECK_MAX_MS")
      ->check(CLI::Range(int64_t{50}, int64_t{3600000}))
      ->capture_default_str();
  app.add_option("--watch-max-age-ms", g.watch_max_age_ms,
                 "A Watch stream open this long ends with UNAVAILABLE; clients resume from their last cursor")
      ->envname("CCHC_WATCH_MAX_AGE_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{86400000}))
      ->capture_default_str();
  app.add_option("--watch-max-streams", g.watch_max_streams,
                 "Watch streams open at once in this process; more get RESOURCE_EXHAUSTED")
      ->envname("CCHC_WATCH_MAX_STREAMS")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--watch-max-streams-per-subscriber", g.watch_max_per_subscriber,
                 "Watch streams of one subscriber open at once in this process; more get RESOURCE_EXHAUSTED")
      ->envname("CCHC_WATCH_MAX_STREAMS_PER_SUBSCRIBER")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
}

void FinishOptions(Options& o) {
  Options::Given& g = o.given;
  if (auto problem = SmtpUrlProblem(o.workers.smtp.url); !problem.empty())
    throw CLI::ValidationError("--smtp-url", problem);
  if (!g.smtp_credentials_file.empty()) try {
      o.workers.smtp.credentials = LoadSmtpCredentials(g.smtp_credentials_file);
    } catch (const std::exception& e) {
      throw CLI::ValidationError("--smtp-credentials-file", e.what());
    }
  const int64_t longest_attempt_ms = std::max(g.webhook_timeout_ms, g.smtp_timeout_ms);
  if (g.lease_ms == 0) g.lease_ms = longest_attempt_ms + 30000;
  if (g.lease_ms <= longest_attempt_ms)
    throw CLI::ValidationError(
        "--delivery-lease-ms",
        "must be longer than --webhook-timeout-ms and --smtp-timeout-ms (" + std::to_string(longest_attempt_ms) + ")");

  o.consumer.group_id = g.group_id;
  o.consumer.topics = g.topics;
  o.consumer.dead_letter_topic = g.dead_letter_topic;
  o.consumer.max_attempts = g.consumer_attempts;
  o.consumer.transient_retry = std::chrono::milliseconds(static_cast<int64_t>(g.transient_retry_seconds * 1000));
  o.consumer.fetch_wait = std::chrono::milliseconds(g.fetch_wait_ms);

  auto& workers = o.workers;
  workers.lease = std::chrono::milliseconds(g.lease_ms);
  workers.gate.failure_ratio = g.breaker_failure_percent / 100;
  workers.gate.open_for = std::chrono::milliseconds(static_cast<int64_t>(g.breaker_open_seconds * 1000));
  workers.poll = std::chrono::milliseconds(g.poll_ms);
  workers.attempt_budget = o.ingest.attempt_budget;
  workers.webhook_timeout = std::chrono::milliseconds(g.webhook_timeout_ms);
  for (const auto& c : g.webhook_allow_cidrs) workers.webhook.allow.push_back(*ParseCidr(c));
  workers.webhook.require_https = g.webhook_require_https;
  workers.smtp.timeout = std::chrono::milliseconds(g.smtp_timeout_ms);
  workers.backoff = {std::chrono::milliseconds(g.backoff_base_ms), std::chrono::milliseconds(g.backoff_cap_ms)};
  std::string schedule_error;
  workers.webhook_schedule = *ParseRetrySchedule(g.webhook_retry_schedule, &schedule_error);  // vetted by its check
  workers.retry_after_max = std::chrono::seconds(g.webhook_retry_after_max_seconds);
  o.health.disable_after = std::chrono::seconds(g.webhook_disable_after_seconds);
  o.health.spread = std::chrono::seconds(g.webhook_failure_spread_seconds);
  // This process, in the notices that tell the other replicas whose inbox grew (inbox_notice.h).
  o.ingest.replica = events::NewUuid();

  auto& watch = o.service.watch;
  watch.idle_check = std::chrono::milliseconds(g.watch_idle_check_ms);
  watch.idle_check_max = std::chrono::milliseconds(g.watch_idle_check_max_ms);
  watch.max_age = std::chrono::milliseconds(g.watch_max_age_ms);
  watch.max_streams = g.watch_max_streams;
  watch.max_per_subscriber = g.watch_max_per_subscriber;
  o.service.webhook = workers.webhook;
  o.service.webhook_secret_grace = std::chrono::seconds(g.webhook_secret_grace_seconds);
}

}  // namespace cchc::notification
