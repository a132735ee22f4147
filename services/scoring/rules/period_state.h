#pragma once
// The state machine of an assessment period (kỳ đánh giá): OPEN → SELF_ASSESSMENT → APPRAISAL → PUBLISHED →
// CLOSED, one step at a time; ImportResults takes an OPEN period straight to PUBLISHED.
#include <optional>

#include "cchc/scoring/v1/scoring.pb.h"

namespace cchc::scoring {

// The state after `state`, or nullopt for CLOSED and unknown states.
std::optional<v1::PeriodState> NextState(v1::PeriodState state);

// Whether results of a period in `state` may be read (PUBLISHED or CLOSED).
bool ResultsVisible(v1::PeriodState state);

}  // namespace cchc::scoring
