#include "schedule.h"

#include <cstdio>

namespace cchc::notification {
namespace {
constexpr auto kOffset = std::chrono::hours(7);  // Asia/Ho_Chi_Minh

// Local midnight of the local day containing `t`, as a UTC time point, and the minutes since it.
std::pair<Clock::time_point, int> LocalMidnight(Clock::time_point t) {
  auto local = t + kOffset;
  auto day = std::chrono::floor<std::chrono::days>(local);
  int minutes = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  return {Clock::time_point(day.time_since_epoch()) - kOffset, minutes};
}
}  // namespace

std::optional<int> ParseTimeOfDay(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string FormatTimeOfDay(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
  return buf;
}

DigestSlot DigestFor(Clock::time_point t, int at_minute) {
  auto [midnight, now] = LocalMidnight(t);
  int days = now < at_minute ? 0 : 1;
  auto due = midnight + std::chrono::days(days) + std::chrono::minutes(at_minute);
  auto local_day = std::chrono::floor<std::chrono::days>(midnight + kOffset) + std::chrono::days(days);
  return {std::chrono::year_month_day(local_day), due};
}

DigestSlot DigestOn(std::chrono::year_month_day day, int at_minute) {
  auto midnight = Clock::time_point(std::chrono::sys_days(day).time_since_epoch()) - kOffset;
  return {day, midnight + std::chrono::minutes(at_minute)};
}

}  // namespace cchc::notification
