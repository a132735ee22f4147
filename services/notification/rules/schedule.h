#pragma once
// Daily digests (bản tổng hợp hằng ngày) in local time Asia/Ho_Chi_Minh (UTC+7, no daylight saving), and quiet
// hours (giờ yên lặng), now the shorthand of send windows (send_windows.h decides when a delivery may go out).
// Times of day are minutes after local midnight.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::notification {

using Clock = std::chrono::system_clock;

// "22:00" → 1320; nullopt unless HH:MM with HH 00–23 and MM 00–59.
std::optional<int> ParseTimeOfDay(std::string_view hh_mm);
std::string FormatTimeOfDay(int minutes);

// Quiet hours, the shorthand of send windows (send_windows.h: WindowsOfQuietHours).
struct QuietWindow {
  int start = 0;  // minutes; start > end spans midnight; start == end: none
  int end = 0;
};

struct DigestSlot {
  std::chrono::year_month_day day;  // the local day the digest belongs to
  Clock::time_point due;            // that day at `at_minute`, local
};

// The digest an event at `t` belongs to: today's if `t` is before today's send time, else tomorrow's.
DigestSlot DigestFor(Clock::time_point t, int at_minute);
// The digest of local day `day`, sent at `at_minute` of that day (DigestFor(t, m) == DigestOn(DigestFor(t,
// m).day, m)): where an item goes when that of an earlier day is already sent.
DigestSlot DigestOn(std::chrono::year_month_day day, int at_minute);

}  // namespace cchc::notification
