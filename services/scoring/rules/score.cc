#include "rules/score.h"

#include <set>

#include "platform/validate.h"

namespace cchc::scoring {
namespace {

std::map<std::string, const Leaf*> ByCode(const std::vector<Leaf>& leaves) {
  std::map<std::string, const Leaf*> out;
  for (const auto& l : leaves) out[l.code] = &l;
  return out;
}

// Parses *points against `leaf` and rewrites it with two decimals.
std::optional<FieldError> CheckPoints(std::string* points, const Leaf& leaf, const std::string& path) {
  if (!points->empty() && points->front() == '-' && ParsePoints(*points, true))
    return FieldError{path, "must not be negative (" + *points + ")"};
  auto value = ParsePoints(*points);
  if (!value) return FieldError{path, "a decimal with at most two places is required, got \"" + *points + "\""};
  if (*value > leaf.max)
    return FieldError{
        path, FormatPoints(*value) + " exceeds the maximum " + FormatPoints(leaf.max) + " of criterion " + leaf.code,
        platform::v1::INVALID_SCORE};
  if (leaf.rule == v1::YES_NO && *value != 0 && *value != leaf.max)
    return FieldError{path, "criterion " + leaf.code + " is yes/no: 0 or " + FormatPoints(leaf.max),
                      platform::v1::INVALID_SCORE};
  *points = FormatPoints(*value);
  return std::nullopt;
}

std::optional<FieldError> CheckCodes(const std::map<std::string, const Leaf*>& leaves, const v1::Score& s,
                                     const std::string& path, std::set<std::string>* seen, const Leaf** leaf) {
  auto it = leaves.find(s.criterion_code());
  if (it == leaves.end())
    return FieldError{path + ".criterion_code", "unknown criterion \"" + s.criterion_code() + "\" in the framework"};
  if (!seen->insert(s.criterion_code()).second)
    return FieldError{path + ".criterion_code", s.criterion_code() + " appears twice"};
  *leaf = it->second;
  return std::nullopt;
}

std::optional<FieldError> CheckList(google::protobuf::RepeatedPtrField<std::string>* values, const std::string& path,
                                    size_t max_chars) {
  if (values->size() > kMaxEvidencePerScore)
    return FieldError{path, "at most " + std::to_string(kMaxEvidencePerScore) + " entries"};
  for (int i = 0; i < values->size(); ++i)
    if (auto e = validate::Text(values->Mutable(i), path + "[" + std::to_string(i) + "]", {max_chars, true})) return e;
  return std::nullopt;
}

}  // namespace

std::optional<FieldError> ValidateSelfScores(const std::vector<Leaf>& leaves, Scores* scores) {
  if (scores->empty()) return FieldError{"scores", "at least one score"};
  if (scores->size() > kMaxCriteria) return FieldError{"scores", "too many scores"};
  auto by_code = ByCode(leaves);
  std::set<std::string> seen;
  for (int i = 0; i < scores->size(); ++i) {
    auto* s = scores->Mutable(i);
    std::string path = "scores[" + std::to_string(i) + "]";
    const Leaf* leaf = nullptr;
    if (auto e = CheckCodes(by_code, *s, path, &seen, &leaf)) return e;
    if (!s->appraised_points().empty() || !s->appraisal_comment().empty())
      return FieldError{path + ".appraised_points", "set by the appraiser (SaveAppraisal), not in a self-assessment"};
    if (leaf->rule == v1::SURVEY)
      return FieldError{path + ".self_points", "criterion " + leaf->code + " comes from the survey, not self-scored"};
    if (auto e = CheckPoints(s->mutable_self_points(), *leaf, path + ".self_points")) return e;
    if (auto e = validate::Text(s->mutable_explanation(), path + ".explanation", {4000, false, true})) return e;
    if (auto e = CheckList(s->mutable_evidence_document_codes(), path + ".evidence_document_codes", 100)) return e;
    if (auto e = CheckList(s->mutable_evidence_attachments(), path + ".evidence_attachments", 1000)) return e;
  }
  return std::nullopt;
}

std::optional<FieldError> ValidateAppraisalScores(const std::vector<Leaf>& leaves, Scores* scores) {
  if (scores->empty()) return FieldError{"scores", "at least one score"};
  if (scores->size() > kMaxCriteria) return FieldError{"scores", "too many scores"};
  auto by_code = ByCode(leaves);
  std::set<std::string> seen;
  for (int i = 0; i < scores->size(); ++i) {
    auto* s = scores->Mutable(i);
    std::string path = "scores[" + std::to_string(i) + "]";
    const Leaf* leaf = nullptr;
    if (auto e = CheckCodes(by_code, *s, path, &seen, &leaf)) return e;
    if (!s->self_points().empty() || !s->explanation().empty() || !s->evidence_document_codes().empty() ||
        !s->evidence_attachments().empty())
      return FieldError{path + ".self_points", "the unit's own entries cannot change at appraisal"};
    if (auto e = CheckPoints(s->mutable_appraised_points(), *leaf, path + ".appraised_points")) return e;
    if (auto e = validate::Text(s->mutable_appraisal_comment(), path + ".appraisal_comment", {4000, false, true}))
      return e;
  }
  return std::nullopt;
}

std::optional<FieldError> MissingForSubmission(const std::vector<Leaf>& leaves,
                                               const std::map<std::string, v1::Score>& scores) {
  for (const auto& leaf : leaves) {
    if (leaf.rule == v1::SURVEY) continue;
    auto it = scores.find(leaf.code);
    if (it == scores.end() || it->second.self_points().empty())
      return FieldError{"scores", "criterion " + leaf.code + " is not self-scored yet"};
    if (leaf.evidence_required && it->second.evidence_document_codes().empty() &&
        it->second.evidence_attachments().empty())
      return FieldError{"scores", "criterion " + leaf.code + " requires evidence (tài liệu kiểm chứng)"};
  }
  return std::nullopt;
}

std::optional<FieldError> MissingForAppraisal(const std::vector<Leaf>& leaves,
                                              const std::map<std::string, v1::Score>& scores) {
  for (const auto& leaf : leaves) {
    auto it = scores.find(leaf.code);
    if (it == scores.end() || it->second.appraised_points().empty())
      return FieldError{"scores", "criterion " + leaf.code + " is not appraised yet"};
  }
  return std::nullopt;
}

Totals SumScores(const std::vector<Leaf>& leaves, const std::map<std::string, v1::Score>& scores, bool appraised) {
  Totals t;
  for (const auto& leaf : leaves) {
    Centi points = 0;
    if (auto it = scores.find(leaf.code); it != scores.end())
      points = ParsePoints(appraised ? it->second.appraised_points() : it->second.self_points()).value_or(0);
    t.total += points;
    t.by_field[leaf.field_code] += points;
  }
  return t;
}

}  // namespace cchc::scoring
