#pragma once
// Rules for the scores of one unit's assessment against its framework's leaves: self-scores (điểm tự chấm)
// and appraised scores (điểm thẩm định) never below zero nor above the criterion's maximum, yes/no criteria
// 0 or the maximum, survey criteria only at appraisal; what must be there before submission; the sums.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/field_error.h"
#include "rules/framework.h"

namespace cchc::scoring {

using Scores = google::protobuf::RepeatedPtrField<v1::Score>;

inline constexpr int kMaxEvidencePerScore = 20;

// Checks and normalises (points written with two decimals, text NFC) the self-scores of a
// SaveSelfAssessment request, each naming its path ("scores[3].self_points").
std::optional<FieldError> ValidateSelfScores(const std::vector<Leaf>& leaves, Scores* scores);

// The same for SaveAppraisal: appraised_points (required) and appraisal_comment only.
std::optional<FieldError> ValidateAppraisalScores(const std::vector<Leaf>& leaves, Scores* scores);

// Why an assessment with the stored `scores` (by criterion code) cannot be submitted: a criterion not
// self-scored (survey criteria excepted) or without the evidence it requires (a document, an attachment).
std::optional<FieldError> MissingForSubmission(const std::vector<Leaf>& leaves,
                                               const std::map<std::string, v1::Score>& scores);

// Why it cannot be marked appraised: a criterion without an appraised score.
std::optional<FieldError> MissingForAppraisal(const std::vector<Leaf>& leaves,
                                              const std::map<std::string, v1::Score>& scores);

struct Totals {
  Centi total = 0;
  std::map<std::string, Centi> by_field;  // field code → points
};

// Sums the self (or appraised) points of `scores` per field and in all; missing scores count 0.
Totals SumScores(const std::vector<Leaf>& leaves, const std::map<std::string, v1::Score>& scores, bool appraised);

}  // namespace cchc::scoring
