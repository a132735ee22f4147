#include "service.h"

#include <map>
#include <set>

#include "platform/handler.h"
#include "platform/validate.h"
#include "requests.h"
#include "rules/framework.h"
#include "rules/points.h"

namespace cchc::scoring {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr int kMaxImportedResults = 10000;

void ValidateUnit(v1::Unit* u) {
  if (!IsCode(u->code()))
    throw StatusError(StatusCode::INVALID_ARGUMENT, "unit.code: 1-64 letters, digits, '.', '_' or '-' required");
  Require(validate::Text(u->mutable_display_name(), "unit.display_name", {300, true}));
  RequireKind(u->kind(), "unit.kind", true);
  if (!u->parent().empty() && !IsCode(u->parent()))
    throw StatusError(StatusCode::INVALID_ARGUMENT, "unit.parent: a unit code");
  Require(validate::IsoDate(u->valid_from(), "unit.valid_from", false));
  // Output only: a unit ends, and gets its links, through RecordUnitChange.
  u->clear_valid_to();
  u->clear_predecessors();
  u->clear_successors();
}

void ValidatePeriod(v1::Period* p) {
  if (p->year() < 2000 || p->year() > 2100)
    throw StatusError(StatusCode::INVALID_ARGUMENT, "period.year: a year from 2000 to 2100");
  Require(validate::Text(p->mutable_title(), "period.title", {300, true}));
  Require(validate::IsoDate(p->self_assessment_deadline(), "period.self_assessment_deadline", false));
  Require(validate::IsoDate(p->appraisal_deadline(), "period.appraisal_deadline", false));
  if (!p->self_assessment_deadline().empty() && !p->appraisal_deadline().empty() &&
      p->appraisal_deadline() < p->self_assessment_deadline())
    throw StatusError(StatusCode::INVALID_ARGUMENT,
                      "period.appraisal_deadline: must not be before the self-assessment deadline");
}

// An imported result's points per criterion, when given: every leaf of the framework once, none above its
// maximum, adding up to the total.
void ReadCriterionPoints(const v1::ImportedResult& r, const std::string& path, Centi total,
                         const std::map<std::string, Centi>& leaf_max, std::map<std::string, Centi>* out) {
  if (r.criteria().empty()) return;
  Centi sum = 0;
  for (int j = 0; j < r.criteria_size(); ++j) {
    const auto& c = r.criteria(j);
    std::string cp = path + ".criteria[" + std::to_string(j) + "]";
    auto max = leaf_max.find(c.code());
    if (max == leaf_max.end())
      throw StatusError(StatusCode::INVALID_ARGUMENT,
                        cp + ".code: no scored criterion " + c.code() + " in the framework",
                        platform::v1::INVALID_SCORE, cp + ".code");
    auto points = ParsePoints(c.points());
    if (!points)
      throw StatusError(StatusCode::INVALID_ARGUMENT, cp + ".points: a non-negative decimal is required",
                        platform::v1::INVALID_SCORE, cp + ".points");
    if (*points > max->second)
      throw StatusError(
          StatusCode::INVALID_ARGUMENT,
          cp + ".points: " + FormatPoints(*points) + " exceeds " + c.code() + "'s maximum " + FormatPoints(max->second),
          platform::v1::INVALID_SCORE, cp + ".points");
    if (!out->emplace(c.code(), *points).second)
      throw StatusError(StatusCode::INVALID_ARGUMENT, cp + ".code: " + c.code() + " appears twice",
                        platform::v1::INVALID_FIELD, cp + ".code");
    sum += *points;
  }
  if (out->size() != leaf_max.size())
    throw StatusError(StatusCode::INVALID_ARGUMENT,
                      path + ".criteria: " + std::to_string(out->size()) + " of the framework's " +
                          std::to_string(leaf_max.size()) + " scored criteria; all or none",
                      platform::v1::INCOMPLETE, path + ".criteria");
  if (sum != total)
    throw StatusError(
        StatusCode::INVALID_ARGUMENT,
        path + ".criteria: they add up to " + FormatPoints(sum) + ", not the total " + FormatPoints(total),
        platform::v1::INVALID_SCORE, path + ".criteria");
}

}  // namespace

ScoringService::ScoringService(Stores& stores, DocumentClient& documents, const auth::TokenStore& tokens,
                               metrics::Registry* registry, size_t read_cache_bytes)
    : stores_(stores),
      documents_(documents),
      tokens_(tokens),
      rankings_("scoring_rankings", read_cache_bytes / 2, std::chrono::minutes(5), registry),
      results_("scoring_results", read_cache_bytes / 2, std::chrono::minutes(5), registry) {}

v1::Period ScoringService::ResolvePeriod(const std::string& name, int year, v1::UnitKind kind) {
  std::optional<v1::Period> p;
  if (!name.empty()) {
    p = stores_.periods.Get(ParseId(name, "periods/", "period"));
    if (!p) throw StatusError(StatusCode::NOT_FOUND, "period: " + name + " does not exist");
    return *p;
  }
  if (year < 2000 || year > 2100)
    throw StatusError(StatusCode::INVALID_ARGUMENT, "year: a year from 2000 to 2100 (or period) is required");
  RequireKind(kind, "unit_kind", true);
  p = stores_.periods.Find(year, kind);
  if (!p)
    throw StatusError(StatusCode::NOT_FOUND,
                      "year: no period for " + std::to_string(year) + " and " + v1::UnitKind_Name(kind));
  return *p;
}

v1::Framework ScoringService::FrameworkOf(const v1::Period& period) {
  auto f = stores_.frameworks.Get(ParseId(period.framework(), "frameworks/", "framework"));
  if (!f) throw StatusError(StatusCode::INTERNAL, "the framework of " + period.name() + " is missing");
  return *f;
}

Status ScoringService::CreateFramework(grpc::ServerContext* ctx, const v1::CreateFrameworkRequest* req,
                                       v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::Framework f = req->framework();
    Require(ValidateFramework(&f, "framework"));
    *out = stores_.frameworks.Create(f, p.unit);
    return Status::OK;
  });
}

Status ScoringService::GetFramework(grpc::ServerContext* ctx, const v1::GetFrameworkRequest* req, v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    auto f = stores_.frameworks.Get(ParseId(req->name(), "frameworks/", "name"));
    if (!f) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*f);
    return Status::OK;
  });
}

Status ScoringService::ListFrameworks(grpc::ServerContext* ctx, const v1::ListFrameworksRequest* req,
                                      v1::ListFrameworksResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    RequireKind(req->unit_kind(), "unit_kind", false);
    for (auto& f : stores_.frameworks.List(req->unit_kind())) *out->add_frameworks() = std::move(f);
    return Status::OK;
  });
}

Status ScoringService::UpdateFramework(grpc::ServerContext* ctx, const v1::UpdateFrameworkRequest* req,
                                       v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    int64_t id = ParseId(req->framework().name(), "frameworks/", "framework.name");
    auto current = stores_.frameworks.Get(id);
    if (!current)
      return Status(StatusCode::NOT_FOUND, "framework.name: " + req->framework().name() + " does not exist");
    v1::Framework f = req->framework();
    f.set_code(current->code());
    f.set_version(current->version());
    Require(ValidateFramework(&f, "framework"));
    *out = stores_.frameworks.Update(id, f);
    return Status::OK;
  });
}

Status ScoringService::NewFrameworkVersion(grpc::ServerContext* ctx, const v1::NewFrameworkVersionRequest* req,
                                           v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    *out = stores_.frameworks.NewVersion(ParseId(req->name(), "frameworks/", "name"), p.unit);
    return Status::OK;
  });
}

Status ScoringService::CreateUnit(grpc::ServerContext* ctx, const v1::CreateUnitRequest* req, v1::Unit* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    v1::Unit u = req->unit();
    ValidateUnit(&u);
    *out = stores_.units.Create(u);
    return Status::OK;
  });
}

Status ScoringService::GetUnit(grpc::ServerContext* ctx, const v1::GetUnitRequest* req, v1::Unit* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    std::string code = req->name().rfind("units/", 0) == 0 ? req->name().substr(6) : "";
    RequireUnitCode(code, "name");
    auto u = stores_.units.Get(code);
    if (!u) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*u);
    return Status::OK;
  });
}

Status ScoringService::ListUnits(grpc::ServerContext* ctx, const v1::ListUnitsRequest* req,
                                 v1::ListUnitsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    RequireKind(req->kind(), "kind", false);
    for (auto& u : stores_.units.List(req->kind())) *out->add_units() = std::move(u);
    return Status::OK;
  });
}

Status ScoringService::CreatePeriod(grpc::ServerContext* ctx, const v1::CreatePeriodRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::Period period = req->period();
    ValidatePeriod(&period);
    int64_t framework = ParseId(period.framework(), "frameworks/", "period.framework");
    *out = stores_.periods.Create(period, framework, p.unit);
    return Status::OK;
  });
}

Status ScoringService::GetPeriod(grpc::ServerContext* ctx, const v1::GetPeriodRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    auto period = stores_.periods.Get(ParseId(req->name(), "periods/", "name"));
    if (!period) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*period);
    return Status::OK;
  });
}

Status ScoringService::ListPeriods(grpc::ServerContext* ctx, const v1::ListPeriodsRequest* req,
                                   v1::ListPeriodsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    RequireKind(req->unit_kind(), "unit_kind", false);
    for (auto& period : stores_.periods.List(req->unit_kind())) *out->add_periods() = std::move(period);
    return Status::OK;
  });
}

Status ScoringService::AdvancePeriod(grpc::ServerContext* ctx, const v1::AdvancePeriodRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    int64_t id = ParseId(req->name(), "periods/", "name");
    if (req->expected_state() == v1::PERIOD_STATE_UNSPECIFIED || !v1::PeriodState_IsValid(req->expected_state()))
      return Status(StatusCode::INVALID_ARGUMENT, "expected_state: the period's current state is required");
    *out = stores_.periods.Advance(id, req->expected_state());
    return Status::OK;
  });
}

Status ScoringService::ImportResults(grpc::ServerContext* ctx, const v1::ImportResultsRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    if (req->results().empty()) return Status(StatusCode::INVALID_ARGUMENT, "results: at least one result");
    if (req->results_size() > kMaxImportedResults)
      return Status(StatusCode::INVALID_ARGUMENT, "results: at most " + std::to_string(kMaxImportedResults));
    v1::Framework framework = FrameworkOf(period);
    Centi total_max = *ParsePoints(framework.total_max());
    std::map<std::string, Centi> leaf_max;
    for (const auto& leaf : Leaves(framework)) leaf_max[leaf.code] = leaf.max;
    std::vector<UnitTotals> totals;
    std::set<std::string> seen;
    for (int i = 0; i < req->results_size(); ++i) {
      const auto& r = req->results(i);
      std::string path = "results[" + std::to_string(i) + "]";
      RequireUnitCode(r.unit_code(), path + ".unit_code");
      if (!seen.insert(r.unit_code()).second)
        return Status(StatusCode::INVALID_ARGUMENT, path + ".unit_code: " + r.unit_code() + " appears twice");
      auto total = ParsePoints(r.total());
      if (!total)
        return Status(StatusCode::INVALID_ARGUMENT,
                      path + ".total: a non-negative decimal with at most two places, got \"" + r.total() + "\"");
      if (*total > total_max)
        return error_details::ErrorStatus(
            StatusCode::INVALID_ARGUMENT,
            path + ".total: " + FormatPoints(*total) + " exceeds the framework's maximum " + FormatPoints(total_max),
            platform::v1::INVALID_SCORE);
      UnitTotals t{r.unit_code(), *total, {}, r.sample_data()};
      Centi sum = 0;
      for (int j = 0; j < r.fields_size(); ++j) {
        auto points = ParsePoints(r.fields(j).points());
        std::string fp = path + ".fields[" + std::to_string(j) + "]";
        if (!points) return Status(StatusCode::INVALID_ARGUMENT, fp + ".points: a non-negative decimal is required");
        if (!t.by_field.emplace(r.fields(j).code(), *points).second)
          return Status(StatusCode::INVALID_ARGUMENT, fp + ".code: " + r.fields(j).code() + " appears twice");
        sum += *points;
      }
      if (r.fields_size() > 0 && sum != *total)
        return error_details::ErrorStatus(
            StatusCode::INVALID_ARGUMENT,
            path + ".fields: they add up to " + FormatPoints(sum) + ", not the total " + FormatPoints(*total),
            platform::v1::INVALID_SCORE);
      ReadCriterionPoints(r, path, *total, leaf_max, &t.by_criterion);
      totals.push_back(std::move(t));
    }
    *out = stores_.periods.ImportResults(ParseId(period.name(), "periods/", "period"), totals);
    return Status::OK;
  });
}

}  // namespace cchc::scoring
