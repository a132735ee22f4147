#pragma once
// Public holidays (ngày nghỉ lễ) as an operator imports them, one year at a time: checks of the request, each
// failure naming its field. Pure: nothing here touches storage.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/field_error.h"

namespace cchc::notification {

struct HolidaySpec {
  std::chrono::year_month_day day;
  std::string display_name;  // NFC
};

inline constexpr int kMinHolidayYear = 2000, kMaxHolidayYear = 2100;
inline constexpr size_t kMaxHolidaysPerYear = 60;
inline constexpr size_t kMaxHolidayNameChars = 200;

// The year's holidays in date order; names "year", "holidays", holidays[i].date (ISO, in `year`, once) or
// holidays[i].display_name (required, at most 200 characters).
std::optional<FieldError> ValidateHolidays(const v1::ImportHolidaysRequest& in, std::vector<HolidaySpec>* out);
// year 2000–2100, naming "year".
std::optional<FieldError> ValidateHolidayYear(int year);

v1::Holiday ToProto(const HolidaySpec& h);

}  // namespace cchc::notification
