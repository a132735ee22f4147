#include "send_window_arg.h"

#include <array>

#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

[[noreturn]] void Bad(const std::string& text) {
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    "--send-window: \"" + text.substr(0, 60) + "\" is not DAYS HH:MM-HH:MM, e.g. MON-FRI 07:30-17:00");
}

int DayOf(const std::string& name, const std::string& text) {
  static const std::array<const char*, 7> kDays = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
  for (size_t i = 0; i < kDays.size(); ++i)
    if (name == kDays[i]) return static_cast<int>(i) + 1;
  Bad(text);
}

}  // namespace

std::vector<SendWindowArg> ParseSendWindowArg(const std::string& text) {
  auto space = text.find(' ');
  if (space == std::string::npos) Bad(text);
  const std::string days = text.substr(0, space), times = text.substr(space + 1);
  auto dash = times.find('-');
  if (dash == std::string::npos || times.find(' ') != std::string::npos) Bad(text);
  const std::string start = times.substr(0, dash), end = times.substr(dash + 1);
  std::vector<int> picked;
  if (auto range = days.find('-'); range != std::string::npos) {
    int from = DayOf(days.substr(0, range), text), to = DayOf(days.substr(range + 1), text);
    if (from > to) Bad(text);
    for (int d = from; d <= to; ++d) picked.push_back(d);
  } else {
    for (size_t i = 0; i <= days.size();) {
      size_t comma = days.find(',', i);
      if (comma == std::string::npos) comma = days.size();
      picked.push_back(DayOf(days.substr(i, comma - i), text));
      i = comma + 1;
    }
  }
  std::vector<SendWindowArg> out;
  for (int d : picked) out.push_back({d, start, end});
  return out;
}

}  // namespace cchc::cchcctl
