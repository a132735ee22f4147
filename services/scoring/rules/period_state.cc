#include "rules/period_state.h"

namespace cchc::scoring {

std::optional<v1::PeriodState> NextState(v1::PeriodState state) {
  switch (state) {
    case v1::OPEN:
      return v1::SELF_ASSESSMENT;
    case v1::SELF_ASSESSMENT:
      return v1::APPRAISAL;
    case v1::APPRAISAL:
      return v1::PUBLISHED;
    case v1::PUBLISHED:
      return v1::CLOSED;
    default:
      return std::nullopt;
  }
}

bool ResultsVisible(v1::PeriodState state) {
  return state == v1::PUBLISHED || state == v1::CLOSED;
}

}  // namespace cchc::scoring
