#include "rules/framework.h"

#include <set>

#include "platform/validate.h"

namespace cchc::scoring {
namespace {

struct Walk {
  std::set<std::string> codes;
  int nodes = 0;
};

std::optional<FieldError> CheckNode(std::string* code, std::string* name, std::string* max, const std::string& path,
                                    Walk& walk) {
  if (++walk.nodes > kMaxCriteria)
    return FieldError{path, "a framework has at most " + std::to_string(kMaxCriteria) + " criteria"};
  if (!IsCode(*code)) return FieldError{path + ".code", "1-64 letters, digits, '.', '_' or '-' required"};
  if (!walk.codes.insert(*code).second) return FieldError{path + ".code", *code + " appears twice in the framework"};
  if (auto e = validate::Text(name, path + ".name", {500, true})) return e;
  if (!max->empty() && !ParsePoints(*max))
    return FieldError{path + ".max_points", "a non-negative decimal with at most two places, got \"" + *max + "\""};
  return std::nullopt;
}

// Sets *max to `sum` when empty, or checks that it equals it.
std::optional<FieldError> MatchSum(std::string* max, Centi sum, const std::string& path) {
  if (max->empty()) {
    *max = FormatPoints(sum);
    return std::nullopt;
  }
  Centi given = *ParsePoints(*max);
  if (given != sum)
    return FieldError{path + ".max_points",
                      FormatPoints(given) + " differs from the sum of its parts, " + FormatPoints(sum)};
  *max = FormatPoints(given);
  return std::nullopt;
}

std::optional<FieldError> CheckCriterion(v1::Criterion* c, const std::string& path, int depth, Walk& walk,
                                         Centi* out_max) {
  if (auto e = CheckNode(c->mutable_code(), c->mutable_name(), c->mutable_max_points(), path, walk)) return e;
  if (auto e = validate::Text(c->mutable_scoring_guide(), path + ".scoring_guide", {4000, false, true})) return e;
  if (c->sub_criteria_size() > 0) {
    if (depth >= 2) return FieldError{path + ".sub_criteria", "sub-criteria have no sub-criteria of their own"};
    Centi sum = 0;
    for (int i = 0; i < c->sub_criteria_size(); ++i) {
      Centi m = 0;
      if (auto e = CheckCriterion(c->mutable_sub_criteria(i), path + ".sub_criteria[" + std::to_string(i) + "]",
                                  depth + 1, walk, &m))
        return e;
      sum += m;
    }
    if (auto e = MatchSum(c->mutable_max_points(), sum, path)) return e;
    c->set_rule(v1::SCORING_RULE_UNSPECIFIED);
    *out_max = sum;
    return std::nullopt;
  }
  if (c->max_points().empty()) return FieldError{path + ".max_points", "required for a scored criterion"};
  *out_max = *ParsePoints(c->max_points());
  if (*out_max == 0) return FieldError{path + ".max_points", "must be above zero"};
  c->set_max_points(FormatPoints(*out_max));
  if (c->rule() == v1::SCORING_RULE_UNSPECIFIED) c->set_rule(v1::RANGE);
  if (!v1::ScoringRule_IsValid(c->rule())) return FieldError{path + ".rule", "unknown scoring rule"};
  return std::nullopt;
}

void CollectLeaves(const v1::Criterion& c, const std::string& field, std::vector<Leaf>* out) {
  if (c.sub_criteria_size() == 0) {
    out->push_back(
        {c.code(), c.name(), field, ParsePoints(c.max_points()).value_or(0), c.rule(), c.evidence_required()});
    return;
  }
  for (const auto& s : c.sub_criteria()) CollectLeaves(s, field, out);
}

}  // namespace

bool IsCode(const std::string& code) {
  if (code.empty() || code.size() > 64) return false;
  for (char ch : code) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '-' || ch == '.';
    if (!ok) return false;
  }
  return true;
}

std::optional<FieldError> ValidateFramework(v1::Framework* f, const std::string& path) {
  if (!IsCode(f->code())) return FieldError{path + ".code", "1-64 letters, digits, '.', '_' or '-' required"};
  if (auto e = validate::Text(f->mutable_title(), path + ".title", {500, true})) return e;
  if (auto e = validate::Text(f->mutable_source(), path + ".source", {2000, false, true})) return e;
  if (f->unit_kind() == v1::UNIT_KIND_UNSPECIFIED || !v1::UnitKind_IsValid(f->unit_kind()))
    return FieldError{path + ".unit_kind", "required"};
  if (f->year() < 2000 || f->year() > 2100) return FieldError{path + ".year", "a year from 2000 to 2100"};
  if (f->version() < 0 || f->version() > 1000) return FieldError{path + ".version", "from 1 to 1000"};
  if (f->version() == 0) f->set_version(1);
  if (f->fields_size() == 0) return FieldError{path + ".fields", "at least one field"};
  if (f->fields_size() > kMaxFields)
    return FieldError{path + ".fields", "at most " + std::to_string(kMaxFields) + " fields"};
  Walk walk;
  Centi total = 0;
  for (int i = 0; i < f->fields_size(); ++i) {
    auto* field = f->mutable_fields(i);
    std::string fp = path + ".fields[" + std::to_string(i) + "]";
    if (auto e = CheckNode(field->mutable_code(), field->mutable_name(), field->mutable_max_points(), fp, walk))
      return e;
    if (field->criteria_size() == 0) return FieldError{fp + ".criteria", "at least one criterion"};
    Centi sum = 0;
    for (int j = 0; j < field->criteria_size(); ++j) {
      Centi m = 0;
      if (auto e = CheckCriterion(field->mutable_criteria(j), fp + ".criteria[" + std::to_string(j) + "]", 1, walk, &m))
        return e;
      sum += m;
    }
    if (auto e = MatchSum(field->mutable_max_points(), sum, fp)) return e;
    total += sum;
  }
  if (total > kMaxCenti) return FieldError{path + ".fields", "the maxima add up to more than 99999.99"};
  f->set_total_max(FormatPoints(total));
  return std::nullopt;
}

std::vector<Leaf> Leaves(const v1::Framework& f) {
  std::vector<Leaf> out;
  for (const auto& field : f.fields())
    for (const auto& c : field.criteria()) CollectLeaves(c, field.code(), &out);
  return out;
}

std::vector<FieldMax> FieldMaxima(const v1::Framework& f) {
  std::vector<FieldMax> out;
  for (const auto& field : f.fields())
    out.push_back({field.code(), field.name(), ParsePoints(field.max_points()).value_or(0)});
  return out;
}

}  // namespace cchc::scoring
