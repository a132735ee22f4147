#pragma once
// The --send-window option of `cchcctl notify subscriber create|update`: "MON-FRI 07:30-17:00", "SAT 08:00-11:30",
// "MON,WED,FRI 13:30-24:00" — days (MON … SUN, a range not wrapping past SUN, or a list), then a window of local
// time. One option, one window on each day it names; the service checks the times.
#include <string>
#include <vector>

namespace cchc::cchcctl {

struct SendWindowArg {
  int day = 0;  // ISO: 1 Monday … 7 Sunday (the proto's Weekday)
  std::string start, end;
};

// Throws cchc::StatusError INVALID_ARGUMENT naming --send-window when `text` is not of that shape.
std::vector<SendWindowArg> ParseSendWindowArg(const std::string& text);

}  // namespace cchc::cchcctl
