#pragma once
// Dates the Vietnamese way for people (dd/mm/yyyy) and ISO 8601 for machines; "today" is in
// Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::dates {

// "2018-06-07" → the date; nullopt unless exactly yyyy-mm-dd and a real calendar day in 1900..2199.
std::optional<std::chrono::year_month_day> ParseIso(std::string_view s);
std::string ToIso(std::chrono::year_month_day d);
// "07/06/2018" (also accepts d/m/yyyy) → the date.
std::optional<std::chrono::year_month_day> ParseDisplay(std::string_view s);
// "2018-06-07" → "07/06/2018"; returns the input unchanged if it is not an ISO date.
std::string IsoToDisplay(std::string_view iso);
// The calendar day in Asia/Ho_Chi_Minh at `t`.
std::chrono::year_month_day VietnamDay(std::chrono::system_clock::time_point t = std::chrono::system_clock::now());

// "07/12/2026 09:34": `t` as people in Asia/Ho_Chi_Minh read it (Vietnam keeps UTC+7 all year).
std::string VietnamDisplayTime(std::chrono::system_clock::time_point t);

// "2026-11-26T16:55:05.123Z": `t` in UTC with milliseconds (RFC 3339), for logs and ce_time.
std::string Rfc3339Utc(std::chrono::system_clock::time_point t = std::chrono::system_clock::now());
// "2026-11-26T16:55:05.123Z" or with an offset → microseconds since the epoch; nullopt if not RFC 3339.
std::optional<int64_t> ParseRfc3339Micros(const std::string& s);

}  // namespace cchc::dates
