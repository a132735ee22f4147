#pragma once
// The framework (bộ chỉ số) as a tree: field (lĩnh vực) → criterion (tiêu chí) → sub-criterion (tiêu chí thành
// phần). Checks the tree and flattens it to the leaves that are scored.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/field_error.h"
#include "rules/points.h"

namespace cchc::scoring {

inline constexpr int kMaxFields = 20;
inline constexpr int kMaxCriteria = 2000;  // every node of the tree

// A scored criterion: a criterion without sub-criteria, or a sub-criterion.
struct Leaf {
  std::string code;
  std::string name;
  std::string field_code;
  Centi max = 0;
  v1::ScoringRule rule = v1::RANGE;
  bool evidence_required = false;
};

struct FieldMax {
  std::string code;
  std::string name;
  Centi max = 0;
};

// Validates `*f` (under the request path `path`, e.g. "framework") and normalises it in place: text NFC and
// trimmed, maxima written with two decimals, a node's maximum equal to the sum of its children's (given or
// filled in when empty), total_max set. Codes are unique over the whole tree; leaves need a rule (RANGE when
// unspecified). Returns the first problem, naming its path ("framework.fields[2].criteria[0].max_points").
std::optional<FieldError> ValidateFramework(v1::Framework* f, const std::string& path);

// The leaves in tree order, and the fields with their maxima.
std::vector<Leaf> Leaves(const v1::Framework& f);
std::vector<FieldMax> FieldMaxima(const v1::Framework& f);

// "PAR-TINH", "SOC_TRANG": 1–64 ASCII letters, digits, '_', '-' and '.'.
bool IsCode(const std::string& code);

}  // namespace cchc::scoring
