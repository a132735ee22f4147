#include "holidays.h"

#include <algorithm>

#include "platform/dates.h"
#include "platform/validate.h"

namespace cchc::notification {

std::optional<FieldError> ValidateHolidayYear(int year) {
  if (year < kMinHolidayYear || year > kMaxHolidayYear)
    return FieldError{"year", std::to_string(kMinHolidayYear) + "–" + std::to_string(kMaxHolidayYear)};
  return std::nullopt;
}

std::optional<FieldError> ValidateHolidays(const v1::ImportHolidaysRequest& in, std::vector<HolidaySpec>* out) {
  if (auto e = ValidateHolidayYear(in.year())) return e;
  if (static_cast<size_t>(in.holidays_size()) > kMaxHolidaysPerYear)
    return FieldError{"holidays", "at most " + std::to_string(kMaxHolidaysPerYear) + " a year"};
  std::vector<HolidaySpec> holidays;
  for (int i = 0; i < in.holidays_size(); ++i) {
    const auto& h = in.holidays(i);
    const std::string path = "holidays[" + std::to_string(i) + "]";
    auto day = dates::ParseIso(h.date());
    if (!day) return FieldError{path + ".date", "an ISO date, yyyy-mm-dd"};
    if (static_cast<int>(day->year()) != in.year())
      return FieldError{path + ".date", "not in " + std::to_string(in.year())};
    for (size_t j = 0; j < holidays.size(); ++j)
      if (holidays[j].day == *day)
        return FieldError{path + ".date", "the same day as holidays[" + std::to_string(j) + "]"};
    std::string name = h.display_name();
    if (auto e = validate::Text(&name, path + ".display_name", {kMaxHolidayNameChars, true})) return e;
    holidays.push_back({*day, std::move(name)});
  }
  std::sort(holidays.begin(), holidays.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
  *out = std::move(holidays);
  return std::nullopt;
}

v1::Holiday ToProto(const HolidaySpec& h) {
  v1::Holiday p;
  p.set_date(dates::ToIso(h.day));
  p.set_name("holidays/" + p.date());
  p.set_display_name(h.display_name);
  return p;
}

}  // namespace cchc::notification
