#pragma once
// The holiday file `cchcctl notify holidays import` reads (CSV, UTF-8): one holiday a line, "date,name", the date
// as people write it (06/02/2027) or ISO (2027-02-06), the name in Vietnamese, quoted when it holds a comma.
// Blank lines, lines starting with '#' and a header line "date,name" are skipped.
#include <optional>
#include <string>
#include <string_view>

namespace cchc::cchcctl {

struct HolidayLine {
  std::string date;  // ISO
  std::string name;
};

// nullopt for a line to skip; throws cchc::StatusError INVALID_ARGUMENT saying what is wrong otherwise.
std::optional<HolidayLine> ParseHolidayLine(std::string_view line);

}  // namespace cchc::cchcctl
