#pragma once
// Send windows (khung giờ gửi) and holidays (ngày nghỉ lễ): when a webhook or e-mail delivery may go out, in
// local time Asia/Ho_Chi_Minh read from the system's tz database. The inbox never waits for them.
// A subscriber's windows are per weekday, [start, end) in minutes after local midnight, never crossing it (a
// night window is two: Mon 22:00–24:00 and Tue 00:00–06:00, which join). No windows: every hour is open.
// A holiday is a whole local day closed to every subscriber, whatever its windows.
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "schedule.h"

namespace cchc::notification {

struct SendWindow {
  int weekday = 1;  // ISO: 1 Monday … 7 Sunday
  int start = 0;    // minutes after local midnight, 0–1439
  int end = 0;      // start < end ≤ 1440 (24:00)
  bool operator==(const SendWindow&) const = default;
};
using SendWindows = std::vector<SendWindow>;
// Local days (Asia/Ho_Chi_Minh) on which nothing but the inbox is sent.
using Holidays = std::set<std::chrono::sys_days>;

inline constexpr size_t kMaxSendWindows = 35;  // per subscriber: five a day
inline constexpr int kMinutesPerDay = 1440;
// How far NextOpen looks: past it (every day for two years a holiday or without windows) it returns the end.
inline constexpr int kMaxDaysAhead = 800;

// Throws std::runtime_error when the tz database has no Asia/Ho_Chi_Minh (the service cannot start).
void CheckLocalZone();
// The local day of `t`.
std::chrono::sys_days LocalDay(Clock::time_point t);
// Local midnight starting `day`, as an instant.
Clock::time_point LocalMidnight(std::chrono::sys_days day);

// True when a delivery may go out at `t`: not a holiday, and inside a window (or no windows).
bool IsOpen(Clock::time_point t, const SendWindows& windows, const Holidays& holidays);
// The first instant at or after `t` that is open (`t` itself when open).
Clock::time_point NextOpen(Clock::time_point t, const SendWindows& windows, const Holidays& holidays);

// Sorted by weekday and start.
SendWindows Sorted(SendWindows windows);
// Quiet hours (giờ yên lặng) as the shorthand they are: every day open outside them. 22:00–06:00 → each day
// 06:00–22:00; 12:00–13:00 → each day 00:00–12:00 and 13:00–24:00. An empty window (start == end): no windows.
SendWindows WindowsOfQuietHours(const QuietWindow& quiet);
// The quiet hours `windows` are the shorthand of, if they are (WindowsOfQuietHours(*result) == Sorted(windows)).
std::optional<QuietWindow> QuietHoursOf(const SendWindows& windows);

// "24:00" → 1440, else ParseTimeOfDay; FormatWindowTime(1440) == "24:00".
std::optional<int> ParseWindowEnd(const std::string& hh_mm);

// Flattened as stored (subscribers.send_windows, migration 007): weekday, start, end of each, in order.
std::vector<int> FlattenWindows(const SendWindows& windows);
SendWindows UnflattenWindows(const std::vector<int>& flat);

}  // namespace cchc::notification
