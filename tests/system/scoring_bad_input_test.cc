// Bad input and wrong-state calls: each gets its exact status with the field named, and writes nothing; the
// representative ones also their AIP-193 details (reason, field, field violation).
#include <functional>

#include "scoring_fixture.h"
#include "support/refusal_details.h"

namespace cchc::testing {
namespace {

namespace v1 = scoring::v1;

struct Case {
  std::string what;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
  std::string message;      // a part of the status message
  std::string reason = "";  // when set, ErrorInfo.reason in the details…
  std::string field = "";   // …and the field named there (and in the BadRequest of an INVALID_ARGUMENT)
};

v1::SaveSelfAssessmentRequest SelfScore(const v1::Period& p, const std::string& unit, const std::string& criterion,
                                        const std::string& points, const std::string& evidence = "") {
  v1::SaveSelfAssessmentRequest r;
  r.set_period(p.name());
  r.set_unit_code(unit);
  auto* s = r.add_scores();
  s->set_criterion_code(criterion);
  s->set_self_points(points);
  if (!evidence.empty()) s->add_evidence_document_codes(evidence);
  return r;
}

// Rows in every table the calls could write to, and the outbox.
std::string Snapshot() {
  std::string sql = "SELECT ''";
  for (const char* t : {"frameworks", "framework_nodes", "units", "periods", "assessments", "scores", "results",
                        "result_fields", "outbox", "unit_lineage", "result_predecessors", "result_criteria"})
    sql += std::string(" || '") + t + "=' || (SELECT count(*) FROM scoring." + t + ") || ' '";
  sql += " || (SELECT string_agg(state::text, ',' ORDER BY id) FROM scoring.periods)";
  return ScoringServiceTest::Sql(sql);
}

class ScoringBadInputTest : public ScoringServiceTest {
 protected:
  // A framework and a 2020 period in SELF_ASSESSMENT, D3 with a draft that lacks its evidence.
  static void SetUpTestSuite() {
    ScoringServiceTest::SetUpTestSuite();
    EvidenceDocument();
    EnsureUnits();
    framework_ = new v1::Framework(CreateFramework("PAR-SO-BAD"));
    period_ = new v1::Period(Advance(CreatePeriod(2020, *framework_)));
    open_ = new v1::Period(CreatePeriod(2021, *framework_));
    v1::Assessment draft;
    auto r = SelfScore(*period_, "D3", "1.1", "3");
    auto s = Stub().SaveSelfAssessment(Context(kScorerD3).get(), r, &draft);
    ASSERT_TRUE(s.ok()) << s.error_message();
    r = SelfScore(*period_, "D3", "1.2", "2");
    ASSERT_TRUE(Stub().SaveSelfAssessment(Context(kScorerD3).get(), r, &draft).ok());
    r = SelfScore(*period_, "D3", "2.1.1", "1");
    ASSERT_TRUE(Stub().SaveSelfAssessment(Context(kScorerD3).get(), r, &draft).ok());
    r = SelfScore(*period_, "D3", "2.1.2", "0.5");
    ASSERT_TRUE(Stub().SaveSelfAssessment(Context(kScorerD3).get(), r, &draft).ok());
  }
  static void TearDownTestSuite() {
    delete framework_;
    delete period_;
    delete open_;
    ScoringServiceTest::TearDownTestSuite();
  }
  static v1::Framework* framework_;
  static v1::Period *period_, *open_;
};

v1::Framework* ScoringBadInputTest::framework_ = nullptr;
v1::Period* ScoringBadInputTest::period_ = nullptr;
v1::Period* ScoringBadInputTest::open_ = nullptr;

TEST_F(ScoringBadInputTest, EachBadCallGetsItsStatusNamesTheFieldAndWritesNothing) {
  const v1::Period& p = *period_;
  v1::Assessment a;
  v1::Period period;
  v1::Framework f;
  v1::Ranking ranking;
  auto self = [&](const std::string& token, v1::SaveSelfAssessmentRequest r) {
    return Stub().SaveSelfAssessment(Context(token).get(), r, &a);
  };
  // SubmitAssessment of `unit` in the period, as `token`.
  auto submit = [&](const std::string& token, const std::string& unit) {
    v1::SubmitAssessmentRequest r;
    r.set_period(p.name());
    r.set_unit_code(unit);
    return Stub().SubmitAssessment(Context(token).get(), r, &a);
  };
  // SaveAppraisal of D1's criterion 1.1 at 4 points in the period, as `token`.
  auto appraise = [&](const std::string& token) {
    v1::SaveAppraisalRequest r;
    r.set_period(p.name());
    r.set_unit_code("D1");
    auto* s = r.add_scores();
    s->set_criterion_code("1.1");
    s->set_appraised_points("4");
    return Stub().SaveAppraisal(Context(token).get(), r, &a);
  };
  // ImportResults (admin) of unit D1's `total` into `period_name`.
  auto import_total = [&](const std::string& period_name, const std::string& total) {
    v1::ImportResultsRequest r;
    r.set_period(period_name);
    r.add_results()->set_unit_code("D1");
    r.mutable_results(0)->set_total(total);
    return Stub().ImportResults(Context(kAdmin).get(), r, &period);
  };
  // ImportResults (admin) of unit D1's 10.00 into the open period with `criteria` (code, points).
  auto import_criteria = [&](std::vector<std::pair<std::string, std::string>> criteria) {
    v1::ImportResultsRequest r;
    r.set_period(open_->name());
    auto* result = r.add_results();
    result->set_unit_code("D1");
    result->set_total("10");
    for (const auto& [code, points] : criteria) {
      auto* c = result->add_criteria();
      c->set_code(code);
      c->set_points(points);
    }
    return Stub().ImportResults(Context(kAdmin).get(), r, &period);
  };
  const std::vector<std::pair<std::string, std::string>> all_criteria{
      {"1.1", "4"}, {"1.2", "2"}, {"2.1.1", "1.5"}, {"2.1.2", "0.5"}, {"2.2", "2"}};
  // GetImprovementPlan of `unit` in `period_name`, as a reader.
  v1::ImprovementPlan plan;
  auto what_if = [&](const std::string& period_name, const std::string& unit) {
    v1::GetImprovementPlanRequest r;
    r.set_period(period_name);
    r.set_unit_code(unit);
    return Stub().GetImprovementPlan(Context(kReader).get(), r, &plan);
  };
  // RecordUnitChange of `change` (a merge of D1 and D2 into D12 on 01/07/2025 when left as it is), as `token`.
  v1::UnitChange merged;
  auto change = [&](std::function<void(v1::UnitChange*)> edit, const std::string& token = kAdmin) {
    v1::RecordUnitChangeRequest r;
    auto* c = r.mutable_change();
    c->set_kind(v1::MERGE);
    c->set_effective_date("2025-07-01");
    c->set_source("Quyết định 01/QĐ-UBND");
    c->add_predecessors("D1");
    c->add_predecessors("D2");
    auto* u = c->add_successors();
    u->set_code("D12");
    u->set_display_name("Sở hợp nhất");
    edit(c);
    return Stub().RecordUnitChange(Context(token).get(), r, &merged);
  };
  std::vector<Case> cases = {
      {"what-if in a period not published", [&] { return what_if(p.name(), "D1"); },
       grpc::StatusCode::FAILED_PRECONDITION, "not published", "WRONG_PERIOD_STATE", "period"},
      {"what-if without a unit", [&] { return what_if(p.name(), ""); }, grpc::StatusCode::INVALID_ARGUMENT,
       "unit_code: a unit code is required"},
      {"what-if of a malformed period", [&] { return what_if("periods/x", "D1"); }, grpc::StatusCode::INVALID_ARGUMENT,
       "period: must be periods/{id}", "INVALID_NAME", "period"},
      {"imported criterion unknown",
       [&] {
         return import_criteria({{"9.9", "1"}});
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria[0].code: no scored criterion 9.9 in the framework",
       "INVALID_SCORE", "results[0].criteria[0].code"},
      {"imported criterion a parent",
       [&] {
         return import_criteria({{"2.1", "2"}});
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria[0].code: no scored criterion 2.1"},
      {"imported criterion above its maximum",
       [&] {
         return import_criteria({{"1.1", "4.5"}});
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria[0].points: 4.50 exceeds 1.1's maximum 4.00",
       "INVALID_SCORE", "results[0].criteria[0].points"},
      {"imported criterion not a decimal",
       [&] {
         return import_criteria({{"1.1", "x"}});
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria[0].points", "INVALID_SCORE",
       "results[0].criteria[0].points"},
      {"imported criteria not all there",
       [&] {
         return import_criteria({{"1.1", "4"}, {"1.2", "2"}});
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria: 2 of the framework's 5 scored criteria", "INCOMPLETE",
       "results[0].criteria"},
      {"imported criteria not adding up to the total",
       [&] {
         auto criteria = all_criteria;
         criteria[0].second = "3";
         return import_criteria(criteria);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria: they add up to 9.00, not the total 10.00",
       "INVALID_SCORE", "results[0].criteria"},
      {"imported criterion twice",
       [&] {
         auto criteria = all_criteria;
         criteria.push_back({"1.1", "0"});
         return import_criteria(criteria);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].criteria[5].code: 1.1 appears twice", "INVALID_FIELD",
       "results[0].criteria[5].code"},
      {"unit change without a kind", [&] { return change([](v1::UnitChange* c) { c->clear_kind(); }); },
       grpc::StatusCode::INVALID_ARGUMENT, "change.kind: MERGE, SPLIT or RENAME", "INVALID_FIELD", "change.kind"},
      {"merge of one unit", [&] { return change([](v1::UnitChange* c) { c->mutable_predecessors()->RemoveLast(); }); },
       grpc::StatusCode::INVALID_ARGUMENT, "change.predecessors: a merge joins two or more units", "INVALID_FIELD",
       "change.predecessors"},
      {"split into one unit",
       [&] {
         return change([](v1::UnitChange* c) {
           c->set_kind(v1::SPLIT);
           c->mutable_predecessors()->RemoveLast();
         });
       },
       grpc::StatusCode::INVALID_ARGUMENT, "change.successors: a split makes two or more units", "INVALID_FIELD",
       "change.successors"},
      {"unit change on no date", [&] { return change([](v1::UnitChange* c) { c->set_effective_date("01/07/2025"); }); },
       grpc::StatusCode::INVALID_ARGUMENT, "change.effective_date", "INVALID_FIELD", "change.effective_date"},
      {"unit change without its source", [&] { return change([](v1::UnitChange* c) { c->clear_source(); }); },
       grpc::StatusCode::INVALID_ARGUMENT, "change.source", "INVALID_FIELD", "change.source"},
      {"unit change naming a unit twice",
       [&] { return change([](v1::UnitChange* c) { c->mutable_successors(0)->set_code("D1"); }); },
       grpc::StatusCode::INVALID_ARGUMENT, "change.successors[0].code: D1 appears twice", "INVALID_FIELD",
       "change.successors[0].code"},
      {"unit change with an unknown predecessor",
       [&] { return change([](v1::UnitChange* c) { c->set_predecessors(1, "NOPE"); }); }, grpc::StatusCode::NOT_FOUND,
       "change.predecessors[1]: no unit NOPE"},
      {"unit change to a code in use",
       [&] { return change([](v1::UnitChange* c) { c->mutable_successors(0)->set_code("D3"); }); },
       grpc::StatusCode::ALREADY_EXISTS, "change.successors: D3 already exists", "DUPLICATE_CODE", "change.successors"},
      {"unit change by a non-admin", [&] { return change([](v1::UnitChange*) {}, kScorerD1); },
       grpc::StatusCode::PERMISSION_DENIED, ""},
      {"score over its maximum", [&] { return self(kScorerD1, SelfScore(p, "D1", "1.1", "4.01")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].self_points: 4.01 exceeds the maximum 4.00 of criterion 1.1",
       "INVALID_SCORE", "scores[0].self_points"},
      {"negative score", [&] { return self(kScorerD1, SelfScore(p, "D1", "1.1", "-1")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].self_points: must not be negative", "INVALID_FIELD",
       "scores[0].self_points"},
      {"three decimals", [&] { return self(kScorerD1, SelfScore(p, "D1", "1.1", "1.234")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].self_points"},
      {"not a number", [&] { return self(kScorerD1, SelfScore(p, "D1", "1.1", "NaN")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].self_points"},
      {"yes/no criterion given half", [&] { return self(kScorerD1, SelfScore(p, "D1", "1.2", "1")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].self_points: criterion 1.2 is yes/no"},
      {"survey criterion self-scored", [&] { return self(kScorerD1, SelfScore(p, "D1", "2.2", "1")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].self_points: criterion 2.2 comes from the survey"},
      {"unknown criterion", [&] { return self(kScorerD1, SelfScore(p, "D1", "9.9", "1")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].criterion_code: unknown criterion \"9.9\""},
      {"a parent criterion, not a scored one", [&] { return self(kScorerD1, SelfScore(p, "D1", "2.1", "1")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].criterion_code"},
      {"unknown evidence document", [&] { return self(kScorerD1, SelfScore(p, "D1", "1.1", "3", "999/QĐ-KHONGCO")); },
       grpc::StatusCode::INVALID_ARGUMENT, "scores[0].evidence_document_codes[0]: no document 999/QĐ-KHONGCO",
       "UNKNOWN_DOCUMENT", "scores[0].evidence_document_codes[0]"},
      {"scorer of another unit", [&] { return self(kScorerD2, SelfScore(p, "D1", "1.1", "3")); },
       grpc::StatusCode::PERMISSION_DENIED, "unit_code: principal D2 may self-assess its own unit only"},
      {"reader self-scoring", [&] { return self(kReader, SelfScore(p, "D1", "1.1", "3")); },
       grpc::StatusCode::PERMISSION_DENIED, ""},
      {"no token", [&] { return self("", SelfScore(p, "D1", "1.1", "3")); }, grpc::StatusCode::UNAUTHENTICATED, ""},
      {"unit of another kind or unknown", [&] { return self(kAdmin, SelfScore(p, "NOPE", "1.1", "3")); },
       grpc::StatusCode::NOT_FOUND, "unit_code: no unit NOPE"},
      {"submit without the required evidence", [&] { return submit(kScorerD3, "D3"); },
       grpc::StatusCode::FAILED_PRECONDITION, "scores: criterion 1.1 requires evidence", "INCOMPLETE", "scores"},
      {"submit with criteria not scored", [&] { return submit(kScorerD2, "D2"); },
       grpc::StatusCode::FAILED_PRECONDITION, "scores: criterion 1.1 is not self-scored yet"},
      {"appraisal by the unit itself", [&] { return appraise(kAppraiserD1); }, grpc::StatusCode::PERMISSION_DENIED,
       "may not appraise its own unit"},
      {"appraisal while the period is in self-assessment", [&] { return appraise(kAppraiser); },
       grpc::StatusCode::FAILED_PRECONDITION, "is SELF_ASSESSMENT; appraisal needs it APPRAISAL", "WRONG_PERIOD_STATE",
       "period"},
      {"self-assessment while the period is open", [&] { return self(kScorerD1, SelfScore(*open_, "D1", "1.1", "3")); },
       grpc::StatusCode::FAILED_PRECONDITION, "is OPEN; self-assessment needs it SELF_ASSESSMENT", "WRONG_PERIOD_STATE",
       "period"},
      {"advance from a state the period is not in",
       [&] {
         v1::AdvancePeriodRequest r;
         r.set_name(p.name());
         r.set_expected_state(v1::APPRAISAL);
         return Stub().AdvancePeriod(Context(kAdmin).get(), r, &period);
       },
       grpc::StatusCode::FAILED_PRECONDITION, "expected_state: " + p.name() + " is SELF_ASSESSMENT, not APPRAISAL",
       "WRONG_PERIOD_STATE", "expected_state"},
      {"import into a period already under way", [&] { return import_total(p.name(), "5"); },
       grpc::StatusCode::FAILED_PRECONDITION, "importing results needs it OPEN"},
      {"import a total that is not a decimal", [&] { return import_total(open_->name(), "1e3"); },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].total"},
      {"import a total above the framework's maximum", [&] { return import_total(open_->name(), "10.01"); },
       grpc::StatusCode::INVALID_ARGUMENT, "results[0].total: 10.01 exceeds the framework's maximum 10.00",
       "INVALID_SCORE", "results[0].total"},
      {"framework edit while in use",
       [&] {
         v1::UpdateFrameworkRequest r;
         *r.mutable_framework() = *framework_;
         r.mutable_framework()->mutable_fields(0)->mutable_criteria(0)->set_max_points("5");
         r.mutable_framework()->mutable_fields(0)->clear_max_points();
         return Stub().UpdateFramework(Context(kAdmin).get(), r, &f);
       },
       grpc::StatusCode::FAILED_PRECONDITION, framework_->name() + " (PAR-SO-BAD version 1) is used by a period",
       "FRAMEWORK_IN_USE", "framework.name"},
      {"framework whose field maximum is not the sum of its criteria",
       [&] {
         v1::CreateFrameworkRequest r;
         *r.mutable_framework() = NewFramework("PAR-SO-BAD-2");
         r.mutable_framework()->mutable_fields(0)->set_max_points("7");
         return Stub().CreateFramework(Context(kAdmin).get(), r, &f);
       },
       grpc::StatusCode::INVALID_ARGUMENT,
       "framework.fields[0].max_points: 7.00 differs from the sum of its parts, 6.00"},
      {"framework created by a non-admin",
       [&] {
         v1::CreateFrameworkRequest r;
         *r.mutable_framework() = NewFramework("PAR-SO-BAD-3");
         return Stub().CreateFramework(Context(kScorerD1).get(), r, &f);
       },
       grpc::StatusCode::PERMISSION_DENIED, ""},
      {"ranking of a period not published",
       [&] {
         v1::GetRankingRequest r;
         r.set_period(p.name());
         return Stub().GetRanking(Context(kReader).get(), r, &ranking);
       },
       grpc::StatusCode::FAILED_PRECONDITION, "not published", "WRONG_PERIOD_STATE", "period"},
      {"malformed period name",
       [&] {
         auto r = SelfScore(p, "D1", "1.1", "3");
         r.set_period("periods/abc");
         return self(kScorerD1, r);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "period: must be periods/{id}", "INVALID_NAME", "period"},
  };
  for (const auto& c : cases) {
    std::string before = Snapshot();
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), c.code) << c.what << ": " << s.error_message();
    EXPECT_NE(s.error_message().find(c.message), std::string::npos) << c.what << ": " << s.error_message();
    if (!c.reason.empty()) {
      EXPECT_TRUE(HasDetails(s, c.reason, c.field)) << c.what;
    }
    EXPECT_EQ(Snapshot(), before) << c.what;
  }
}

TEST_F(ScoringBadInputTest, DocumentServiceDownIsUnavailableAndNothingIsSaved) {
  std::string before = Snapshot();
  StopDocument();
  v1::Assessment a;
  auto r = SelfScore(*period_, "D1", "1.1", "3", EvidenceDocument());
  auto s = Stub().SaveSelfAssessment(Context(kScorerD1).get(), r, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("scores[0].evidence_document_codes"), std::string::npos) << s.error_message();
  EXPECT_EQ(Snapshot(), before);
  StartDocument();
  // The scoring service's channel to the document service reconnects after its backoff.
  EXPECT_TRUE(WaitFor([&] { return Stub().SaveSelfAssessment(Context(kScorerD1).get(), r, &a).ok(); },
                      std::chrono::seconds(30)));
  EXPECT_EQ(a.self_total(), "3.00");
}

}  // namespace
}  // namespace cchc::testing
