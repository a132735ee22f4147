#include "send_windows.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace cchc::notification {
namespace {

const absl::TimeZone* LoadZone() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone;
    if (!absl::LoadTimeZone("Asia/Ho_Chi_Minh", z)) {
      delete z;
      return static_cast<absl::TimeZone*>(nullptr);
    }
    return z;
  }();
  return zone;
}

const absl::TimeZone& Zone() {
  const absl::TimeZone* zone = LoadZone();
  if (!zone) throw std::runtime_error("time zone Asia/Ho_Chi_Minh not found in the tz database (install tzdata)");
  return *zone;
}

absl::CivilDay CivilOf(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  return absl::CivilDay(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()));
}

int IsoWeekday(std::chrono::sys_days day) {
  return static_cast<int>(std::chrono::weekday(day).iso_encoding());
}

// The instant of `minute` minutes after the local midnight starting `day` (1440: the next midnight).
Clock::time_point At(std::chrono::sys_days day, int minute) {
  absl::CivilMinute m = absl::CivilMinute(CivilOf(day)) + minute;
  return std::chrono::time_point_cast<Clock::duration>(absl::ToChronoTime(absl::FromCivil(m, Zone())));
}

}  // namespace

void CheckLocalZone() {
  Zone();
}

std::chrono::sys_days LocalDay(Clock::time_point t) {
  absl::CivilDay d = absl::ToCivilDay(absl::FromChrono(t), Zone());
  return std::chrono::sys_days(std::chrono::year(static_cast<int>(d.year())) / static_cast<unsigned>(d.month()) /
                               static_cast<unsigned>(d.day()));
}

Clock::time_point LocalMidnight(std::chrono::sys_days day) {
  return At(day, 0);
}

bool IsOpen(Clock::time_point t, const SendWindows& windows, const Holidays& holidays) {
  return NextOpen(t, windows, holidays) == t;
}

Clock::time_point NextOpen(Clock::time_point t, const SendWindows& windows, const Holidays& holidays) {
  const SendWindows sorted = Sorted(windows);
  std::chrono::sys_days day = LocalDay(t);
  for (int i = 0; i < kMaxDaysAhead; ++i, day += std::chrono::days(1)) {
    if (holidays.count(day)) continue;
    if (sorted.empty()) return std::max(t, At(day, 0));
    const int weekday = IsoWeekday(day);
    for (const auto& w : sorted) {
      if (w.weekday != weekday || At(day, w.end) <= t) continue;
      return std::max(t, At(day, w.start));
    }
  }
  return At(day, 0);
}

SendWindows Sorted(SendWindows windows) {
  std::sort(windows.begin(), windows.end(), [](const SendWindow& a, const SendWindow& b) {
    return std::tie(a.weekday, a.start, a.end) < std::tie(b.weekday, b.start, b.end);
  });
  return windows;
}

SendWindows WindowsOfQuietHours(const QuietWindow& quiet) {
  SendWindows out;
  if (quiet.start == quiet.end) return out;
  for (int day = 1; day <= 7; ++day) {
    if (quiet.start < quiet.end) {
      if (quiet.start > 0) out.push_back({day, 0, quiet.start});
      out.push_back({day, quiet.end, kMinutesPerDay});
    } else {
      out.push_back({day, quiet.end, quiet.start});
    }
  }
  return out;
}

std::optional<QuietWindow> QuietHoursOf(const SendWindows& windows) {
  if (windows.empty()) return std::nullopt;
  const SendWindows sorted = Sorted(windows);
  const auto& w = sorted.front();
  std::optional<QuietWindow> quiet;
  // One window a day [a, b): quiet from b to a across midnight (from 00:00 when b is 24:00). Two, [0, x) and
  // [y, 24:00): quiet from x to y.
  const size_t per_day = sorted.size() / 7;
  if (per_day == 1) {
    quiet = QuietWindow{w.end % kMinutesPerDay, w.start};
  } else if (per_day == 2) {
    quiet = QuietWindow{w.end, sorted[1].start};
  }
  if (quiet && quiet->start != quiet->end && WindowsOfQuietHours(*quiet) == sorted) return quiet;
  return std::nullopt;
}

std::optional<int> ParseWindowEnd(const std::string& hh_mm) {
  if (hh_mm == "24:00") return kMinutesPerDay;
  return ParseTimeOfDay(hh_mm);
}

std::vector<int> FlattenWindows(const SendWindows& windows) {
  std::vector<int> flat;
  for (const auto& w : windows) flat.insert(flat.end(), {w.weekday, w.start, w.end});
  return flat;
}

SendWindows UnflattenWindows(const std::vector<int>& flat) {
  SendWindows out;
  for (size_t i = 0; i + 2 < flat.size(); i += 3) out.push_back({flat[i], flat[i + 1], flat[i + 2]});
  return out;
}

}  // namespace cchc::notification
