#pragma once
// How long an idle Watch stream waits before its next catch-up query: the interval doubles each time a wait
// ends with nothing new, up to `longest`, and starts again at `first` once rows arrive.
#include <algorithm>
#include <chrono>

namespace cchc::notification {

inline std::chrono::milliseconds NextIdleCheck(std::chrono::milliseconds current, bool rows_arrived,
                                               std::chrono::milliseconds first, std::chrono::milliseconds longest) {
  if (rows_arrived || current < first) return first;
  return std::min(current * 2, std::max(first, longest));
}

}  // namespace cchc::notification
