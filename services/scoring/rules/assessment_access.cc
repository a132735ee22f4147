#include "rules/assessment_access.h"

#include "rules/period_state.h"

namespace cchc::scoring {

bool MayReadAssessment(const auth::Principal& principal, const std::string& unit_code, v1::PeriodState state) {
  if (ResultsVisible(state) || principal.Has(auth::Role::kAdmin)) return true;
  if (principal.unit == unit_code) return principal.Has(auth::Role::kScorer);
  return principal.Has(auth::Role::kAppraiser);
}

}  // namespace cchc::scoring
