#include "rules/endpoint_health.h"

namespace cchc::notification {

const char* HealthStateName(HealthState s) {
  switch (s) {
    case HealthState::kHealthy:
      return "healthy";
    case HealthState::kFailing:
      return "failing";
    case HealthState::kUnhealthy:
      return "unhealthy";
    case HealthState::kDisabled:
      return "disabled";
  }
  return "healthy";
}

HealthState StateOf(const EndpointHealth& h) {
  if (h.disabled) return HealthState::kDisabled;
  if (h.unhealthy_since) return HealthState::kUnhealthy;
  if (h.failing_since) return HealthState::kFailing;
  return HealthState::kHealthy;
}

HealthStep AfterAttempt(const EndpointHealth& h, bool succeeded, int64_t now_micros, const HealthOptions& options) {
  HealthStep step{h, false};
  if (h.disabled) return step;
  EndpointHealth& n = step.next;
  if (succeeded) {
    n.failing_since.reset();
    n.unhealthy_since.reset();
    return step;
  }
  auto micros = [](std::chrono::milliseconds d) { return static_cast<int64_t>(d.count()) * 1000; };
  if (!n.failing_since) n.failing_since = now_micros;
  if (!n.unhealthy_since && now_micros - *n.failing_since >= micros(options.spread)) n.unhealthy_since = now_micros;
  if (n.unhealthy_since && now_micros - *n.unhealthy_since >= micros(options.disable_after)) {
    n.disabled = true;
    step.disable_now = true;
  }
  return step;
}

}  // namespace cchc::notification
