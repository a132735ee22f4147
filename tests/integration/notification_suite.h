#pragma once
// What the notification integration suites (Watch, its limits, the server limits) share besides the fixture:
// the names they write their tests with.
#include <chrono>

#include "system/notification_fixture.h"

namespace cchc::testing {

namespace nv1 = notification::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

}  // namespace cchc::testing
