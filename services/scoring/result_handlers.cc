#include <map>
#include <string>

#include "platform/handler.h"
#include "requests.h"
#include "rules/framework.h"
#include "rules/period_state.h"
#include "rules/points.h"
#include "rules/what_if.h"
#include "service.h"

// The ranking, result and what-if handlers of ScoringService (service.h): published figures only; rankings and
// results served from memory.
namespace cchc::scoring {

using grpc::Status;
using grpc::StatusCode;

v1::Ranking ScoringService::LoadRanking(const v1::GetRankingRequest& req) {
  v1::Period period = ResolvePeriod(req.period(), req.year(), req.unit_kind());
  if (!ResultsVisible(period.state()))
    throw StatusError(StatusCode::FAILED_PRECONDITION,
                      "period: " + period.name() + " is " + v1::PeriodState_Name(period.state()) + "; not published",
                      platform::v1::WRONG_PERIOD_STATE);
  v1::Ranking out;
  out.set_period(period.name());
  out.set_year(period.year());
  out.set_unit_kind(period.unit_kind());
  Centi sum = 0;
  for (auto& r : stores_.results.Results(ParseId(period.name(), "periods/", "period"))) {
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
                      "period: " + period.name() + " is " + v1::PeriodState_Name(period.state()) + "; not published",
                      platform::v1::WRONG_PERIOD_STATE);
  auto result = stores_.results.Result(ParseId(period.name(), "periods/", "period"), unit);
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

Status ScoringService::GetImprovementPlan(grpc::ServerContext* ctx, const v1::GetImprovementPlanRequest* req,
                                          v1::ImprovementPlan* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal&) {
    v1::Period period = ResolvePeriod(req->period(), req->year(), req->unit_kind());
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    if (!ResultsVisible(period.state()))
      throw StatusError(StatusCode::FAILED_PRECONDITION,
                        "period: " + period.name() + " is " + v1::PeriodState_Name(period.state()) + "; not published",
                        platform::v1::WRONG_PERIOD_STATE);
    int64_t period_id = ParseId(period.name(), "periods/", "period");
    auto points = stores_.results.CriterionPoints(period_id, unit);
    std::optional<v1::UnitResultDetail> mine;
    std::vector<Centi> others;
    for (auto& r : stores_.results.Results(period_id)) {
      if (r.unit_code() == unit)
        mine = std::move(r);
      else
        others.push_back(*ParsePoints(r.total()));
    }
    if (!mine) throw StatusError(StatusCode::NOT_FOUND, "unit_code: " + unit + " has no result in " + period.name());
    if (points.empty())
      throw StatusError(StatusCode::FAILED_PRECONDITION,
                        "unit_code: the result of " + unit + " in " + period.name() +
                            " has no points per criterion (only totals were imported)",
                        platform::v1::INCOMPLETE, "unit_code");
    std::map<std::string, std::string> names;
    std::vector<CriterionLoss> losses;
    for (const auto& leaf : Leaves(FrameworkOf(period))) {
      names[leaf.code] = leaf.name;
      auto it = points.find(leaf.code);
      losses.push_back({leaf.code, leaf.max - (it == points.end() ? 0 : it->second)});
    }
    Centi total = *ParsePoints(mine->total());
    out->set_period(period.name());
    out->set_unit_code(unit);
    out->set_total(mine->total());
    out->set_rank(mine->rank());
    out->set_ranked_units(mine->ranked_units());
    out->set_sample_data(mine->sample_data());
    for (const auto& s : PlanImprovements(total, others, losses)) {
      auto* step = out->add_steps();
      step->set_criterion_code(s.code);
      step->set_criterion_name(names[s.code]);
      step->set_lost_points(FormatPoints(s.lost));
      step->set_new_total(FormatPoints(s.new_total));
      step->set_new_rank(s.new_rank);
      step->set_places_gained(s.places_gained);
      step->set_gain_per_point(FormatPoints(GainPerPoint(s.places_gained, s.lost)));
    }
    return Status::OK;
  });
}

}  // namespace cchc::scoring
