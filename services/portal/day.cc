#include "day.h"

#include <cstdio>

#include "conditional.h"
#include "platform/dates.h"

namespace cchc::portal {

std::optional<PageDay> DayOfRequest(std::string_view date_param, std::chrono::system_clock::time_point now) {
  if (date_param.empty()) return PageDay{dates::VietnamDay(now), false};
  auto day = dates::ParseIso(date_param);
  if (!day) return std::nullopt;
  return PageDay{*day, true};
}

std::string VietnameseToday(std::chrono::year_month_day day) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "Hôm nay, ngày %02u tháng %02u năm %d", static_cast<unsigned>(day.day()),
                static_cast<unsigned>(day.month()), static_cast<int>(day.year()));
  return buffer;
}

std::string StartOfDayHttpDate(std::chrono::year_month_day day) {
  return HttpDate(std::chrono::sys_days(day) - std::chrono::hours(7));
}

}  // namespace cchc::portal
