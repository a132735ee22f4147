#pragma once
// The health of a webhook endpoint (a subscriber's webhook), as Svix keeps it: after a success it is healthy; the
// first failure starts a run of failures (failing); once failures have spread over `spread` (12 h by default) the
// run counts (unhealthy) and the clock starts; when every attempt has kept failing for `disable_after` (5 days by
// default) more, the endpoint is disabled. A success at any point before resets it. A disabled endpoint stays so
// until an operator enables it again (EnableWebhook), which resets it. Pure: times are the caller's (µs since
// the epoch), the store keeps the state (store/endpoint_health.h).
#include <chrono>
#include <cstdint>
#include <optional>

namespace cchc::notification {

struct HealthOptions {
  std::chrono::milliseconds disable_after{std::chrono::hours(24 * 5)};  // --webhook-disable-after-seconds
  std::chrono::milliseconds spread{std::chrono::hours(12)};             // --webhook-failure-spread-seconds
};

struct EndpointHealth {
  std::optional<int64_t> failing_since;    // the first failure since the last success
  std::optional<int64_t> unhealthy_since;  // when the failures had spread over `spread`
  bool disabled = false;
};

enum class HealthState { kHealthy, kFailing, kUnhealthy, kDisabled };
const char* HealthStateName(HealthState s);  // healthy, failing, unhealthy, disabled
HealthState StateOf(const EndpointHealth& h);

struct HealthStep {
  EndpointHealth next;
  bool disable_now = false;  // this attempt's failure ends the endpoint's time: disable it, tell its owner
};

// The state after an attempt that `succeeded` or failed at `now_micros`. A disabled endpoint stays as it is.
HealthStep AfterAttempt(const EndpointHealth& h, bool succeeded, int64_t now_micros, const HealthOptions& options);

}  // namespace cchc::notification
