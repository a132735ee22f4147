#include "rules/school_year.h"

#include <charconv>

#include "platform/dates.h"
#include "platform/validate.h"

namespace cchc::news {
namespace {

constexpr std::string_view kPrefix = "schoolYears/";

std::optional<int> FourDigits(std::string_view s) {
  if (s.size() != 4) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

int YearOf(const std::string& iso) {
  return static_cast<int>(dates::ParseIso(iso)->year());
}

}  // namespace

std::optional<std::string> ParseSchoolYearName(const std::string& name) {
  if (!name.starts_with(kPrefix)) return std::nullopt;
  std::string_view id = std::string_view(name).substr(kPrefix.size());
  if (id.size() != 9 || id[4] != '-') return std::nullopt;
  auto first = FourDigits(id.substr(0, 4));
  auto second = FourDigits(id.substr(5));
  if (!first || !second || *second != *first + 1 || *first < 1900 || *second > 2199) return std::nullopt;
  return std::string(id);
}

std::optional<FieldError> ValidateSchoolYear(v1::SchoolYear* year) {
  auto id = ParseSchoolYearName(year->name());
  if (!id)
    return FieldError{"school_year.name", "must be schoolYears/{yyyy}-{yyyy+1}, e.g. schoolYears/2017-2018",
                      platform::v1::INVALID_NAME};
  if (auto e = validate::IsoDate(year->start_date(), "school_year.start_date", true)) return e;
  if (auto e = validate::IsoDate(year->end_date(), "school_year.end_date", true)) return e;
  int first = std::stoi(id->substr(0, 4));
  int start_year = YearOf(year->start_date());
  if (start_year != first && start_year != first + 1)
    return FieldError{"school_year.start_date",
                      "must fall in " + std::to_string(first) + " or " + std::to_string(first + 1)};
  if (YearOf(year->end_date()) != first + 1)
    return FieldError{"school_year.end_date", "must fall in " + std::to_string(first + 1)};
  if (year->end_date() < year->start_date())
    return FieldError{"school_year.end_date", "must not be before start_date " + year->start_date()};
  return validate::Text(year->mutable_theme(), "school_year.theme", {kMaxThemeChars, true});
}

}  // namespace cchc::news
