#include "rules/webhook_schedule.h"

#include <algorithm>
#include <cctype>

namespace cchc::notification {

std::optional<RetrySchedule> ParseRetrySchedule(std::string_view text, std::string* error) {
  RetrySchedule out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    size_t digits = 0;
    while (digits < item.size() && std::isdigit(static_cast<unsigned char>(item[digits]))) ++digits;
    std::string_view unit = item.substr(digits);
    int64_t scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : unit == "h" ? 3600000 : 0;
    if (digits == 0 || digits > 9 || scale == 0) {
      *error = "not a delay (a whole number with ms, s, m or h): \"" + std::string(item) + "\"";
      return std::nullopt;
    }
    std::chrono::milliseconds delay(std::stoll(std::string(item.substr(0, digits))) * scale);
    if (delay.count() == 0 || delay > std::chrono::hours(24 * 7)) {
      *error = "a delay must be more than zero and at most a week: \"" + std::string(item) + "\"";
      return std::nullopt;
    }
    out.push_back(delay);
    if (out.size() > kMaxScheduleRetries) {
      *error = "at most " + std::to_string(kMaxScheduleRetries) + " retries";
      return std::nullopt;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::chrono::milliseconds ScheduledDelay(const RetrySchedule& schedule, int attempt, std::mt19937_64& rng) {
  if (schedule.empty()) return std::chrono::milliseconds(0);
  size_t i = static_cast<size_t>(std::clamp(attempt, 1, static_cast<int>(schedule.size())) - 1);
  double base = static_cast<double>(schedule[i].count());
  std::uniform_real_distribution<double> d(base * (1 - kScheduleJitter), base * (1 + kScheduleJitter));
  return std::chrono::milliseconds(static_cast<int64_t>(d(rng)));
}

}  // namespace cchc::notification
