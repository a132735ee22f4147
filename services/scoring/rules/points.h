#pragma once
// Points (điểm) as exact decimals: int64 hundredths ("centi-points"), never floating point. The text form
// has at most two decimals ("86.15", "10", "2.5"); NUMERIC(7,2) in SQL holds the same values.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::scoring {

using Centi = int64_t;  // hundredths of a point

// Largest value a NUMERIC(7,2) column holds, in hundredths (99999.99).
inline constexpr Centi kMaxCenti = 9999999;

// "86.15" → 8615. Digits with an optional '.' and one or two decimals; a leading '-' only when
// `allow_negative`. Rejects "1.234", "NaN", "1e3", "+1", " 1", ".5", "1.", and values above kMaxCenti.
std::optional<Centi> ParsePoints(std::string_view text, bool allow_negative = false);

// 8615 → "86.15"; 1000 → "10.00"; -30 → "-0.30".
std::string FormatPoints(Centi value);

// The same with an explicit sign: "+4.43", "-0.30", "+0.00".
std::string FormatSignedPoints(Centi value);

// points / max × 100 in hundredths of a percent, rounded half-up (away from zero); 0 when max is 0.
Centi PercentOf(Centi points, Centi max);

// sum / count in hundredths, rounded half-up; 0 when count is 0.
Centi MeanOf(Centi sum, int64_t count);

}  // namespace cchc::scoring
