#pragma once
// Who may read a unit's assessment (bản đánh giá: self-scores, explanations, evidence, appraised scores and
// the appraisers' comments). Until its period is PUBLISHED: the unit's own scorers, appraisers of other
// units (an appraiser never appraises its own unit), and admin. From PUBLISHED on (and CLOSED): every reader.
// Periods and units are public, so a refusal reveals nothing and is PERMISSION_DENIED, not NOT_FOUND.
#include <string>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/auth.h"

namespace cchc::scoring {

// Whether `principal` may read `unit_code`'s assessment in a period that is in `state`.
bool MayReadAssessment(const auth::Principal& principal, const std::string& unit_code, v1::PeriodState state);

}  // namespace cchc::scoring
