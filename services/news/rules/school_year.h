#pragma once
// A school year (năm học) and its theme (chủ đề năm học): what a valid one looks like.
#include <optional>
#include <string>

#include "cchc/news/v1/news.pb.h"
#include "platform/field_error.h"

namespace cchc::news {

constexpr size_t kMaxThemeChars = 1000;

// "schoolYears/2017-2018" → "2017-2018"; nullopt unless the second year follows the first.
std::optional<std::string> ParseSchoolYearName(const std::string& name);

// Normalises the theme (NFC, trimmed) and checks the name, the dates (ISO; the year starts in its first or
// second calendar year, ends in its second, start ≤ end) and the theme, naming the field at fault
// ("school_year.start_date", …).
std::optional<FieldError> ValidateSchoolYear(v1::SchoolYear* year);

}  // namespace cchc::news
