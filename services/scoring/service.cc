#include "service.h"

#include <set>

#include "platform/dates.h"
#include "platform/handler.h"
#include "platform/validate.h"
#include "rules/assessment_access.h"
#include "rules/framework.h"
#include "rules/period_state.h"
#include "rules/ranking.h"
#include "rules/score.h"

namespace cchc::scoring {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr int kMaxImportedResults = 10000;

// "periods/12" → 12.
int64_t ParseId(const std::string& name, const std::string& prefix, const std::string& field) {
  if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() && name.size() <= prefix.size() + 18) {
    std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") == std::string::npos) return std::stoll(digits);
  }
  throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be " + prefix + "{id}, got \"" + name + "\"");
}

std::string RequireUnitCode(const std::string& code, const std::string& field) {
  if (!IsCode(code)) throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": a unit code is required");
  return code;
}

void RequireKind(v1::UnitKind kind, const std::string& field, bool required) {
  if (!v1::UnitKind_IsValid(kind) || (required && kind == v1::UNIT_KIND_UNSPECIFIED))
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": a unit kind is required");
}

// A scorer self-assesses its own unit only (admins any unit).
void CheckOwnUnit(const auth::Principal& p, const std::string& unit) {
  if (!p.Has(auth::Role::kAdmin) && p.unit != unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      "unit_code: principal " + p.unit + " may self-assess its own unit only, not " + unit);
}

// An appraiser never appraises its own unit (admins neither).
void CheckOtherUnit(const auth::Principal& p, const std::string& unit) {
  if (p.unit == unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      "unit_code: principal " + p.unit + " may not appraise its own unit's assessment");
}

void ValidateUnit(v1::Unit* u) {
  if (!IsCode(u->code()))
    throw StatusError(StatusCode::INVALID_ARGUMENT, "unit.code: 1-64 letters, digits, '.', '_' or '-' required");
  Require(validate::Text(u->mutable_display_name(), "unit.display_name", {300, true}));
  RequireKind(u->kind(), "unit.kind", true);
  if (!u->parent().empty() && !IsCode(u->parent()))
    throw StatusError(StatusCode::INVALID_ARGUMENT, "unit.parent: a unit code");
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

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

ScoringService::ScoringService(Repository& repository, DocumentClient& documents, const auth::TokenStore& tokens,
                               metrics::Registry* registry, size_t read_cache_bytes)
    : repository_(repository),
      documents_(documents),
      tokens_(tokens),
      rankings_("scoring_rankings", read_cache_bytes / 2, std::chrono::minutes(5), registry),
      results_("scoring_results", read_cache_bytes / 2, std::chrono::minutes(5), registry) {}

v1::Period ScoringService::ResolvePeriod(const std::string& name, int year, v1::UnitKind kind) {
  std::optional<v1::Period> p;
  if (!name.empty()) {
    p = repository_.GetPeriod(ParseId(name, "periods/", "period"));
    if (!p) throw StatusError(StatusCode::NOT_FOUND, "period: " + name + " does not exist");
    return *p;
  }
  if (year < 2000 || year > 2100)
    throw StatusError(StatusCode::INVALID_ARGUMENT, "year: a year from 2000 to 2100 (or period) is required");
  RequireKind(kind, "unit_kind", true);
  p = repository_.FindPeriod(year, kind);
  if (!p)
    throw StatusError(StatusCode::NOT_FOUND,
                      "year: no period for " + std::to_string(year) + " and " + v1::UnitKind_Name(kind));
  return *p;
}

v1::Framework ScoringService::FrameworkOf(const v1::Period& period) {
  auto f = repository_.GetFramework(ParseId(period.framework(), "frameworks/", "framework"));
  if (!f) throw StatusError(StatusCode::INTERNAL, "the framework of " + period.name() + " is missing");
  return *f;
}

Status ScoringService::CreateFramework(grpc::ServerContext* ctx, const v1::CreateFrameworkRequest* req,
                                       v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::Framework f = req->framework();
    Require(ValidateFramework(&f, "framework"));
    *out = repository_.CreateFramework(f, p.unit);
    return Status::OK;
  });
}

Status ScoringService::GetFramework(grpc::ServerContext* ctx, const v1::GetFrameworkRequest* req, v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    auto f = repository_.GetFramework(ParseId(req->name(), "frameworks/", "name"));
    if (!f) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*f);
    return Status::OK;
  });
}

Status ScoringService::ListFrameworks(grpc::ServerContext* ctx, const v1::ListFrameworksRequest* req,
                                      v1::ListFrameworksResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    RequireKind(req->unit_kind(), "unit_kind", false);
    for (auto& f : repository_.ListFrameworks(req->unit_kind())) *out->add_frameworks() = std::move(f);
    return Status::OK;
  });
}

Status ScoringService::UpdateFramework(grpc::ServerContext* ctx, const v1::UpdateFrameworkRequest* req,
                                       v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    int64_t id = ParseId(req->framework().name(), "frameworks/", "framework.name");
    auto current = repository_.GetFramework(id);
    if (!current)
      return Status(StatusCode::NOT_FOUND, "framework.name: " + req->framework().name() + " does not exist");
    v1::Framework f = req->framework();
    f.set_code(current->code());
    f.set_version(current->version());
    Require(ValidateFramework(&f, "framework"));
    *out = repository_.UpdateFramework(id, f);
    return Status::OK;
  });
}

Status ScoringService::NewFrameworkVersion(grpc::ServerContext* ctx, const v1::NewFrameworkVersionRequest* req,
                                           v1::Framework* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    *out = repository_.NewFrameworkVersion(ParseId(req->name(), "frameworks/", "name"), p.unit);
    return Status::OK;
  });
}

Status ScoringService::CreateUnit(grpc::ServerContext* ctx, const v1::CreateUnitRequest* req, v1::Unit* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    v1::Unit u = req->unit();
    ValidateUnit(&u);
    *out = repository_.CreateUnit(u);
    return Status::OK;
  });
}

Status ScoringService::GetUnit(grpc::ServerContext* ctx, const v1::GetUnitRequest* req, v1::Unit* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    std::string code = req->name().rfind("units/", 0) == 0 ? req->name().substr(6) : "";
    RequireUnitCode(code, "name");
    auto u = repository_.GetUnit(code);
    if (!u) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*u);
    return Status::OK;
  });
}

Status ScoringService::ListUnits(grpc::ServerContext* ctx, const v1::ListUnitsRequest* req,
                                 v1::ListUnitsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    RequireKind(req->kind(), "kind", false);
    for (auto& u : repository_.ListUnits(req->kind())) *out->add_units() = std::move(u);
    return Status::OK;
  });
}

Status ScoringService::CreatePeriod(grpc::ServerContext* ctx, const v1::CreatePeriodRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    v1::Period period = req->period();
    ValidatePeriod(&period);
    int64_t framework = ParseId(period.framework(), "frameworks/", "period.framework");
    *out = repository_.CreatePeriod(period, framework, p.unit);
    return Status::OK;
  });
}

Status ScoringService::GetPeriod(grpc::ServerContext* ctx, const v1::GetPeriodRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    auto period = repository_.GetPeriod(ParseId(req->name(), "periods/", "name"));
    if (!period) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    *out = std::move(*period);
    return Status::OK;
  });
}

Status ScoringService::ListPeriods(grpc::ServerContext* ctx, const v1::ListPeriodsRequest* req,
                                   v1::ListPeriodsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    RequireKind(req->unit_kind(), "unit_kind", false);
    for (auto& period : repository_.ListPeriods(req->unit_kind())) *out->add_periods() = std::move(period);
    return Status::OK;
  });
}

Status ScoringService::AdvancePeriod(grpc::ServerContext* ctx, const v1::AdvancePeriodRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    int64_t id = ParseId(req->name(), "periods/", "name");
    if (req->expected_state() == v1::PERIOD_STATE_UNSPECIFIED || !v1::PeriodState_IsValid(req->expected_state()))
      return Status(StatusCode::INVALID_ARGUMENT, "expected_state: the period's current state is required");
    *out = repository_.AdvancePeriod(id, req->expected_state());
    return Status::OK;
  });
}

Status ScoringService::ImportResults(grpc::ServerContext* ctx, const v1::ImportResultsRequest* req, v1::Period* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    if (req->results().empty()) return Status(StatusCode::INVALID_ARGUMENT, "results: at least one result");
    if (req->results_size() > kMaxImportedResults)
      return Status(StatusCode::INVALID_ARGUMENT, "results: at most " + std::to_string(kMaxImportedResults));
    Centi total_max = *ParsePoints(FrameworkOf(period).total_max());
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
        return Status(StatusCode::INVALID_ARGUMENT, path + ".total: " + FormatPoints(*total) +
                                                        " exceeds the framework's maximum " + FormatPoints(total_max));
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
        return Status(StatusCode::INVALID_ARGUMENT, path + ".fields: they add up to " + FormatPoints(sum) +
                                                        ", not the total " + FormatPoints(*total));
      totals.push_back(std::move(t));
    }
    *out = repository_.ImportResults(ParseId(period.name(), "periods/", "period"), totals);
    return Status::OK;
  });
}

Status ScoringService::GetAssessment(grpc::ServerContext* ctx, const v1::GetAssessmentRequest* req,
                                     v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    int64_t id = ParseId(req->period(), "periods/", "period");
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    // A period only moves forward, so a state read before the assessment can only refuse too much, briefly.
    if (!MayReadAssessment(p, unit, period.state()))
      return Status(StatusCode::PERMISSION_DENIED,
                    "unit_code: until " + period.name() + " is published, " + unit +
                        "'s assessment is for its scorers, appraisers of other units and admin; principal " + p.unit +
                        " is none of them");
    *out = repository_.GetAssessment(id, unit);
    return Status::OK;
  });
}

Status ScoringService::SaveSelfAssessment(grpc::ServerContext* ctx, const v1::SaveSelfAssessmentRequest* req,
                                          v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kScorer, [&](const auth::Principal& p) {
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOwnUnit(p, unit);
    v1::SaveSelfAssessmentRequest r = *req;
    Require(ValidateSelfScores(Leaves(FrameworkOf(period)), r.mutable_scores()));
    if (period.state() != v1::SELF_ASSESSMENT)  // checked again under lock; spares the document service
      return Status(StatusCode::FAILED_PRECONDITION, "period: " + period.name() + " is " +
                                                         v1::PeriodState_Name(period.state()) +
                                                         "; self-assessment needs it SELF_ASSESSMENT");
    for (int i = 0; i < r.scores_size(); ++i) {
      auto* s = r.mutable_scores(i);
      auto codes = documents_.Resolve(ToVector(s->evidence_document_codes()),
                                      "scores[" + std::to_string(i) + "].evidence_document_codes");
      s->clear_evidence_document_codes();
      for (auto& c : codes) s->add_evidence_document_codes(std::move(c));
    }
    *out = repository_.SaveSelfScores(ParseId(period.name(), "periods/", "period"), unit, r);
    return Status::OK;
  });
}

Status ScoringService::SubmitAssessment(grpc::ServerContext* ctx, const v1::SubmitAssessmentRequest* req,
                                        v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kScorer, [&](const auth::Principal& p) {
    int64_t id = ParseId(req->period(), "periods/", "period");
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOwnUnit(p, unit);
    *out = repository_.Submit(id, unit, p.unit);
    return Status::OK;
  });
}

Status ScoringService::SaveAppraisal(grpc::ServerContext* ctx, const v1::SaveAppraisalRequest* req,
                                     v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAppraiser, [&](const auth::Principal& p) {
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOtherUnit(p, unit);
    v1::SaveAppraisalRequest r = *req;
    Require(ValidateAppraisalScores(Leaves(FrameworkOf(period)), r.mutable_scores()));
    *out = repository_.SaveAppraisal(ParseId(period.name(), "periods/", "period"), unit, r);
    return Status::OK;
  });
}

Status ScoringService::CompleteAppraisal(grpc::ServerContext* ctx, const v1::CompleteAppraisalRequest* req,
                                         v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAppraiser, [&](const auth::Principal& p) {
    int64_t id = ParseId(req->period(), "periods/", "period");
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOtherUnit(p, unit);
    *out = repository_.CompleteAppraisal(id, unit, p.unit);
    return Status::OK;
  });
}

v1::Ranking ScoringService::LoadRanking(const v1::GetRankingRequest& req) {
  v1::Period period = ResolvePeriod(req.period(), req.year(), req.unit_kind());
  if (!ResultsVisible(period.state()))
    throw StatusError(StatusCode::FAILED_PRECONDITION,
                      "period: " + period.name() + " is " + v1::PeriodState_Name(period.state()) + "; not published");
  v1::Ranking out;
  out.set_period(period.name());
  out.set_year(period.year());
  out.set_unit_kind(period.unit_kind());
  Centi sum = 0;
  for (auto& r : repository_.Results(ParseId(period.name(), "periods/", "period"))) {
    sum += *ParsePoints(r.total());
    if (r.has_previous()) {
      out.set_compared_units(out.compared_units() + 1);
      if (*ParsePoints(r.total()) > *ParsePoints(r.previous_total())) out.set_improved_units(out.improved_units() + 1);
    }
    *out.add_results() = std::move(r);
  }
  out.set_average(FormatPoints(MeanOf(sum, out.results_size())));
  return out;
}

Status ScoringService::GetRanking(grpc::ServerContext* ctx, const v1::GetRankingRequest* req, v1::Ranking* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    // Only published rankings reach the cache (LoadRanking throws otherwise), and they never change.
    std::string key = req->period() + "|" + std::to_string(req->year()) + "|" + std::to_string(req->unit_kind());
    rankings_.GetOrLoad(
        key, [&] { return std::optional<v1::Ranking>(LoadRanking(*req)); }, out);
    return Status::OK;
  });
}

v1::UnitResultDetail ScoringService::LoadResult(const v1::GetResultRequest& req) {
  v1::Period period = ResolvePeriod(req.period(), req.year(), req.unit_kind());
  std::string unit = RequireUnitCode(req.unit_code(), "unit_code");
  if (!ResultsVisible(period.state()))
    throw StatusError(StatusCode::FAILED_PRECONDITION,
                      "period: " + period.name() + " is " + v1::PeriodState_Name(period.state()) + "; not published");
  auto result = repository_.Result(ParseId(period.name(), "periods/", "period"), unit);
  if (!result) throw StatusError(StatusCode::NOT_FOUND, "unit_code: " + unit + " has no result in " + period.name());
  std::map<std::string, Centi> points;
  for (const auto& f : result->fields()) points[f.code()] = *ParsePoints(f.points());
  result->clear_fields();
  if (!points.empty()) {
    for (const auto& f : FieldMaxima(FrameworkOf(period))) {
      auto* fs = result->add_fields();
      Centi got = points.count(f.code) ? points[f.code] : 0;
      fs->set_code(f.code);
      fs->set_name(f.name);
      fs->set_points(FormatPoints(got));
      fs->set_max_points(FormatPoints(f.max));
      fs->set_percent(FormatPoints(PercentOf(got, f.max)));
    }
  }
  return std::move(*result);
}

Status ScoringService::GetResult(grpc::ServerContext* ctx, const v1::GetResultRequest* req, v1::UnitResultDetail* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    std::string key = req->period() + "|" + std::to_string(req->year()) + "|" + std::to_string(req->unit_kind()) + "|" +
                      req->unit_code();
    results_.GetOrLoad(
        key, [&] { return std::optional<v1::UnitResultDetail>(LoadResult(*req)); }, out);
    return Status::OK;
  });
}

}  // namespace cchc::scoring
