#include "holiday_file.h"

#include "platform/dates.h"
#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void Bad(const std::string& why) {
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, why);
}

}  // namespace

std::optional<HolidayLine> ParseHolidayLine(std::string_view line) {
  line = Trim(line);
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line = Trim(line.substr(3));  // a byte-order mark
  if (line.empty() || line.front() == '#') return std::nullopt;
  auto comma = line.find(',');
  if (comma == std::string_view::npos) Bad("expected \"date,name\"");
  std::string_view date = Trim(line.substr(0, comma)), name = Trim(line.substr(comma + 1));
  if (date == "date" && name == "name") return std::nullopt;
  auto day = dates::ParseIso(date);
  if (!day) day = dates::ParseDisplay(date);
  if (!day) Bad("\"" + std::string(date.substr(0, 40)) + "\" is not a date (dd/mm/yyyy or yyyy-mm-dd)");
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    std::string unquoted;
    for (size_t i = 1; i + 1 < name.size(); ++i) {
      if (name[i] == '"' && i + 2 < name.size() && name[i + 1] == '"') ++i;  // "" inside quotes
      unquoted += name[i];
    }
    return HolidayLine{dates::ToIso(*day), unquoted};
  }
  if (name.empty()) Bad("the holiday has no name");
  return HolidayLine{dates::ToIso(*day), std::string(name)};
}

}  // namespace cchc::cchcctl
