// Units across a merger and the what-if plan through the running service (real PostgreSQL): last year's
// results with per-criterion points, a merge recorded with RecordUnitChange, this year's ranking holding the
// merged unit with its predecessors' results, and GetImprovementPlan.
#include "scoring_fixture.h"

namespace cchc::testing {
namespace {

namespace v1 = scoring::v1;

v1::ImportedResult Imported(const std::string& unit, const std::string& total,
                            std::vector<std::pair<std::string, std::string>> criteria = {}) {
  v1::ImportedResult r;
  r.set_unit_code(unit);
  r.set_total(total);
  for (const auto& [code, points] : criteria) {
    auto* c = r.add_criteria();
    c->set_code(code);
    c->set_points(points);
  }
  return r;
}

void Import(const v1::Period& period, std::vector<v1::ImportedResult> results) {
  v1::ImportResultsRequest req;
  req.set_period(period.name());
  for (auto& r : results) *req.add_results() = std::move(r);
  v1::Period out;
  auto s = ScoringServiceTest::Stub().ImportResults(ScoringServiceTest::Context(ScoringServiceTest::kAdmin).get(), req,
                                                    &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

TEST_F(ScoringServiceTest, AMergerAcrossTheYearAndTheWhatIfPlanThroughTheService) {
  EnsureUnits();
  for (const auto& code : {"L_A", "L_B"}) {
    v1::CreateUnitRequest req;
    req.mutable_unit()->set_code(code);
    req.mutable_unit()->set_display_name(std::string("Ban ") + code);
    req.mutable_unit()->set_kind(v1::DEPARTMENT);
    v1::Unit u;
    ASSERT_TRUE(Stub().CreateUnit(Context(kAdmin).get(), req, &u).ok());
  }
  v1::Framework framework = CreateFramework("PAR-SO-LINEAGE");
  v1::Period y2024 = CreatePeriod(2024, framework);
  // L_A 9.50, D2 9.00, D1 8.00 (lost 1.00 on 1.1, 0.50 on 2.1.1 and on 2.2), D3 7.50, L_B 6.00.
  Import(y2024, {Imported("D1", "8", {{"1.1", "3"}, {"1.2", "2"}, {"2.1.1", "1"}, {"2.1.2", "0.5"}, {"2.2", "1.5"}}),
                 Imported("D2", "9"), Imported("D3", "7.5"), Imported("L_A", "9.5"), Imported("L_B", "6")});

  v1::GetImprovementPlanRequest plan_req;
  plan_req.set_year(2024);
  plan_req.set_unit_kind(v1::DEPARTMENT);
  plan_req.set_unit_code("D1");
  v1::ImprovementPlan plan;
  auto s = Stub().GetImprovementPlan(Context(kReader).get(), plan_req, &plan);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(plan.period(), y2024.name());
  EXPECT_EQ(plan.total(), "8.00");
  EXPECT_EQ(plan.rank(), 3);
  EXPECT_EQ(plan.ranked_units(), 5);
  ASSERT_EQ(plan.steps_size(), 3);
  EXPECT_EQ(plan.steps(0).criterion_code(), "1.1");  // 9.00 ties D2: 2nd, one place for one point
  EXPECT_EQ(plan.steps(0).criterion_name(), "Kế hoạch CCHC năm");
  EXPECT_EQ(plan.steps(0).lost_points(), "1.00");
  EXPECT_EQ(plan.steps(0).new_total(), "9.00");
  EXPECT_EQ(plan.steps(0).new_rank(), 2);
  EXPECT_EQ(plan.steps(0).places_gained(), 1);
  EXPECT_EQ(plan.steps(0).gain_per_point(), "1.00");
  EXPECT_EQ(plan.steps(1).criterion_code(), "2.1.1");  // 8.50 passes nobody; ties by fewer points, then code
  EXPECT_EQ(plan.steps(1).places_gained(), 0);
  EXPECT_EQ(plan.steps(1).gain_per_point(), "0.00");
  EXPECT_EQ(plan.steps(2).criterion_code(), "2.2");
  plan_req.set_unit_code("D3");
  s = Stub().GetImprovementPlan(Context(kReader).get(), plan_req, &plan);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_NE(s.error_message().find("has no points per criterion"), std::string::npos) << s.error_message();
  plan_req.set_unit_code("NOPE");
  EXPECT_EQ(Stub().GetImprovementPlan(Context(kReader).get(), plan_req, &plan).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // L_A and L_B merge on 01/07/2025; the same request again changes nothing.
  v1::RecordUnitChangeRequest change;
  change.mutable_change()->set_kind(v1::MERGE);
  change.mutable_change()->set_effective_date("2025-07-01");
  change.mutable_change()->set_source("Quyết định 99/QĐ-UBND (test)");
  change.mutable_change()->add_predecessors("L_A");
  change.mutable_change()->add_predecessors("L_B");
  auto* merged = change.mutable_change()->add_successors();
  merged->set_code("L_AB");
  merged->set_display_name("Ban hợp nhất");
  v1::UnitChange recorded;
  for (int i = 0; i < 2; ++i) {
    s = Stub().RecordUnitChange(Context(kAdmin).get(), change, &recorded);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  EXPECT_EQ(recorded.successors(0).name(), "units/L_AB");
  EXPECT_EQ(recorded.successors(0).kind(), v1::DEPARTMENT);
  EXPECT_EQ(Sql("SELECT count(*) FROM scoring.unit_lineage WHERE successor = 'L_AB'"), "2");
  v1::GetUnitRequest get;
  get.set_name("units/L_A");
  v1::Unit unit;
  ASSERT_TRUE(Stub().GetUnit(Context(kReader).get(), get, &unit).ok());
  EXPECT_EQ(unit.valid_to(), "2025-06-30");
  ASSERT_EQ(unit.successors_size(), 1);
  EXPECT_EQ(unit.successors(0), "L_AB");
  get.set_name("units/L_AB");
  ASSERT_TRUE(Stub().GetUnit(Context(kReader).get(), get, &unit).ok());
  EXPECT_EQ(unit.valid_from(), "2025-07-01");
  EXPECT_EQ(unit.predecessors_size(), 2);

  v1::Period y2025 = CreatePeriod(2025, framework);
  Import(y2025, {Imported("D1", "9"), Imported("L_AB", "8.8")});
  v1::GetRankingRequest ranking_req;
  ranking_req.set_year(2025);
  ranking_req.set_unit_kind(v1::DEPARTMENT);
  v1::Ranking ranking;
  ASSERT_TRUE(Stub().GetRanking(Context(kReader).get(), ranking_req, &ranking).ok());
  ASSERT_EQ(ranking.results_size(), 2);  // the units valid on 31/12/2025: not L_A, not L_B
  EXPECT_EQ(ranking.compared_units(), 1);
  EXPECT_EQ(ranking.improved_units(), 1);
  const auto& l_ab = ranking.results(1);
  EXPECT_EQ(l_ab.unit_code(), "L_AB");
  EXPECT_FALSE(l_ab.has_previous());
  EXPECT_EQ(l_ab.total_change(), "");
  ASSERT_EQ(l_ab.predecessors_size(), 2);
  EXPECT_EQ(l_ab.predecessors(0).unit_code(), "L_A");
  EXPECT_EQ(l_ab.predecessors(0).total(), "9.50");
  EXPECT_EQ(l_ab.predecessors(0).rank(), 1);
  EXPECT_EQ(l_ab.predecessors(0).ranked_units(), 5);
  EXPECT_EQ(l_ab.predecessors(1).unit_code(), "L_B");
  EXPECT_EQ(l_ab.predecessors(1).rank(), 5);
  v1::GetResultRequest result_req;
  result_req.set_year(2025);
  result_req.set_unit_kind(v1::DEPARTMENT);
  result_req.set_unit_code("L_AB");
  v1::UnitResultDetail result;
  ASSERT_TRUE(Stub().GetResult(Context(kReader).get(), result_req, &result).ok());
  EXPECT_EQ(result.predecessors_size(), 2);
  EXPECT_EQ(result.predecessors(1).change(), v1::MERGE);
}

}  // namespace
}  // namespace cchc::testing
