#pragma once
// The notification service's settings: every flag (each also a CCHC_* variable; --help lists them with their
// defaults) and what follows from them. main adds the flags, parses (ServiceMain), then calls FinishOptions.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "delivery/worker.h"
#include "ingest.h"
#include "platform/consumer.h"
#include "platform/options.h"
#include "service.h"

namespace cchc::notification {

inline constexpr const char* kSource = "/cchc/notification";  // this service, as a CloudEvents source

struct Options {
  CommonOptions common;
  consumer::Options consumer;  // all but brokers and kafka_properties, which main takes from `common`
  IngestOptions ingest;
  WorkerOptions workers;
  ServiceOptions service;  // all but watch.registry, which main sets
  HealthOptions health;    // webhook endpoints' (rules/endpoint_health.h)

  // The flags as given, from which FinishOptions derives the above.
  struct Given {
    std::vector<std::string> topics = {"cchc.document.v1", "cchc.news.v1", "cchc.scoring.v1"};
    std::string dead_letter_topic = "cchc.notification.dlq.v1", group_id = "cchc-notification";
    int consumer_attempts = 5;
    double transient_retry_seconds = 300;
    int64_t fetch_wait_ms = kafka::kDefaultFetchWaitMs;
    int64_t webhook_timeout_ms = 5000, smtp_timeout_ms = 10000, backoff_base_ms = 1000, backoff_cap_ms = 600000,
            poll_ms = 200, lease_ms = 0;
    double breaker_open_seconds = 30, breaker_failure_percent = 50;
    std::vector<std::string> webhook_allow_cidrs;
    bool webhook_require_https = false;
    int64_t webhook_secret_grace_seconds = 86400;
    std::string webhook_retry_schedule = kSvixSchedule;
    int64_t webhook_retry_after_max_seconds = 3600, webhook_disable_after_seconds = 5 * 86400,
            webhook_failure_spread_seconds = 12 * 3600;
    std::string smtp_credentials_file;
    int64_t watch_idle_check_ms = 0, watch_idle_check_max_ms = 0, watch_max_age_ms = 0;
    int watch_max_streams = 0, watch_max_per_subscriber = 0;
  } given;
};

// Sets the defaults in `options` and adds the service's flags to `app` (the common ones, `options.common`, are
// ServiceMain's), bound to it. `options` must outlive the parse.
void AddOptions(CLI::App& app, Options& options);

// After app.parse: checks what the flags' own validators cannot (CLI::ValidationError naming the flag), reads the
// SMTP credentials file, and derives the settings from `options.given`; this process gets a fresh replica id.
void FinishOptions(Options& options);

}  // namespace cchc::notification
