#include "dates.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace cchc::dates {
namespace {
bool Digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
std::optional<std::chrono::year_month_day> Make(int y, int m, int d) {
  if (y < 1900 || y > 2199) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}
}  // namespace

std::optional<std::chrono::year_month_day> ParseIso(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!Digits(y) || !Digits(m) || !Digits(d)) return std::nullopt;
  return Make(ToInt(y), ToInt(m), ToInt(d));
}

std::string ToIso(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<std::chrono::year_month_day> ParseDisplay(std::string_view s) {
  auto a = s.find('/');
  auto b = a == std::string_view::npos ? a : s.find('/', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto d = s.substr(0, a), m = s.substr(a + 1, b - a - 1), y = s.substr(b + 1);
  if (!Digits(d) || !Digits(m) || !Digits(y) || d.size() > 2 || m.size() > 2 || y.size() != 4) return std::nullopt;
  return Make(ToInt(y), ToInt(m), ToInt(d));
}

std::string IsoToDisplay(std::string_view iso) {
  auto d = ParseIso(iso);
  if (!d) return std::string(iso);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d->day()), static_cast<unsigned>(d->month()),
                static_cast<int>(d->year()));
  return buf;
}

std::chrono::year_month_day VietnamDay(std::chrono::system_clock::time_point t) {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t + std::chrono::hours(7))};
}

std::string VietnamDisplayTime(std::chrono::system_clock::time_point t) {
  std::time_t local = std::chrono::system_clock::to_time_t(t + std::chrono::hours(7));
  std::tm tm{};
  gmtime_r(&local, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%d/%m/%Y %H:%M", &tm);
  return out;
}

std::string Rfc3339Utc(std::chrono::system_clock::time_point t) {
  auto secs = std::chrono::system_clock::to_time_t(t);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::optional<int64_t> ParseRfc3339Micros(const std::string& s) {
  int y, mo, d, h, mi, sec, n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
    return std::nullopt;
  auto ymd =
      std::chrono::year(y) / std::chrono::month(static_cast<unsigned>(mo)) / std::chrono::day(static_cast<unsigned>(d));
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int64_t micros = 0;
  size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    int64_t scale = 100000;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, scale /= 10)
      if (scale > 0) micros += (s[i] - '0') * scale;
  }
  int offset_minutes = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
    int oh = std::atoi(s.substr(i + 1, 2).c_str()), om = std::atoi(s.substr(i + 4, 2).c_str());
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
  int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return seconds * 1000000 + micros;
}

}  // namespace cchc::dates
