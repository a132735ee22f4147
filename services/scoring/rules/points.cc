#include "rules/points.h"

namespace cchc::scoring {

std::optional<Centi> ParsePoints(std::string_view s, bool allow_negative) {
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    if (!allow_negative) return std::nullopt;
    negative = true;
    s.remove_prefix(1);
  }
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 5) return std::nullopt;
  if (dot != std::string_view::npos && (frac.empty() || frac.size() > 2)) return std::nullopt;
  Centi value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  Centi cents = 0;
  for (size_t i = 0; i < 2; ++i) {
    char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    cents = cents * 10 + (c - '0');
  }
  value = value * 100 + cents;
  if (value > kMaxCenti) return std::nullopt;
  return negative ? -value : value;
}

std::string FormatPoints(Centi value) {
  std::string sign = value < 0 ? "-" : "";
  Centi a = value < 0 ? -value : value;
  std::string cents = std::to_string(a % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return sign + std::to_string(a / 100) + "." + cents;
}

std::string FormatSignedPoints(Centi value) {
  return value < 0 ? FormatPoints(value) : "+" + FormatPoints(value);
}

namespace {
// n / d rounded half-up (away from zero), d > 0.
Centi DivideHalfUp(Centi n, Centi d) {
  Centi q = n / d, r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += n < 0 ? -1 : 1;
  return q;
}
}  // namespace

Centi PercentOf(Centi points, Centi max) {
  if (max <= 0) return 0;
  return DivideHalfUp(points * 10000, max);
}

Centi MeanOf(Centi sum, int64_t count) {
  if (count <= 0) return 0;
  return DivideHalfUp(sum, count);
}

}  // namespace cchc::scoring
