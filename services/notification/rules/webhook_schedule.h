#pragma once
// The retry schedule of webhooks, Svix's by default: the first attempt at once, then retries after 5 s, 5 min,
// 30 min, 2 h, 5 h, 10 h and 10 h (about 27.6 h in all), each delay drawn uniformly within ±20 % (jitter) so that
// the retries of many messages failing together do not arrive together. After the last retry fails the delivery is a
// dead letter. The schedule is a flag (--webhook-retry-schedule); e-mail keeps its exponential backoff (retry.h).
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace cchc::notification {

using RetrySchedule = std::vector<std::chrono::milliseconds>;  // the delay before retry 1, 2, …

inline constexpr const char* kSvixSchedule = "5s,5m,30m,2h,5h,10h,10h";
inline constexpr double kScheduleJitter = 0.2;
inline constexpr size_t kMaxScheduleRetries = 50;

// "5s,5m,30m,2h,…": comma-separated delays, each a whole number with a unit ms, s, m or h, none zero nor over a
// week, 1 to kMaxScheduleRetries of them. nullopt (with `*error` saying why) otherwise.
std::optional<RetrySchedule> ParseRetrySchedule(std::string_view text, std::string* error);

// Attempts a delivery gets under `schedule`: the first and one per delay.
inline int ScheduleAttempts(const RetrySchedule& schedule) {
  return static_cast<int>(schedule.size()) + 1;
}

// The wait after failed attempt `attempt` (1-based): the schedule's delay for it, ±kScheduleJitter; the last
// delay for an attempt past the schedule's end.
std::chrono::milliseconds ScheduledDelay(const RetrySchedule& schedule, int attempt, std::mt19937_64& rng);

}  // namespace cchc::notification
