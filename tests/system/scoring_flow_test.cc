// The scoring workflow over gRPC as admins, scorers, appraisers and readers use it: a framework, last year's
// results imported, this year's period from self-assessment to published ranking, and the events on the topic.
#include "cchc/scoring/v1/events.pb.h"
#include "scoring_fixture.h"
#include "support/kafka_reader.h"

namespace cchc::testing {
namespace {

namespace v1 = scoring::v1;

v1::Score Scored(const std::string& code, const std::string& points, const std::string& evidence = "") {
  v1::Score s;
  s.set_criterion_code(code);
  s.set_self_points(points);
  s.set_explanation("Đã thực hiện theo kế hoạch");
  if (!evidence.empty()) s.add_evidence_document_codes(evidence);
  return s;
}

v1::Score Appraised(const std::string& code, const std::string& points) {
  v1::Score s;
  s.set_criterion_code(code);
  s.set_appraised_points(points);
  s.set_appraisal_comment("Thống nhất");
  return s;
}

// Self-assesses `unit` with `self` points (1.1, 1.2, 2.1.1, 2.1.2) and submits it.
void SelfAssess(const v1::Period& p, const std::string& unit, const std::string& token,
                const std::vector<std::string>& self) {
  v1::SaveSelfAssessmentRequest save;
  save.set_period(p.name());
  save.set_unit_code(unit);
  *save.add_scores() = Scored("1.1", self[0], "998/qd-sgddt");  // tolerant lookup; stored as written there
  *save.add_scores() = Scored("1.2", self[1]);
  *save.add_scores() = Scored("2.1.1", self[2]);
  *save.add_scores() = Scored("2.1.2", self[3]);
  v1::Assessment saved, submitted;
  auto s = ScoringServiceTest::Stub().SaveSelfAssessment(ScoringServiceTest::Context(token).get(), save, &saved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(saved.state(), v1::DRAFT);
  ASSERT_EQ(saved.scores_size(), 4);
  EXPECT_EQ(saved.scores(0).evidence_document_codes(0), "998/QĐ-SGDĐT");
  v1::SubmitAssessmentRequest submit;
  submit.set_period(p.name());
  submit.set_unit_code(unit);
  s = ScoringServiceTest::Stub().SubmitAssessment(ScoringServiceTest::Context(token).get(), submit, &submitted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(submitted.state(), v1::SUBMITTED);
  EXPECT_EQ(submitted.submitted_by(), unit);
}

// Appraises every criterion of `unit` (1.1, 1.2, 2.1.1, 2.1.2, 2.2) and completes the appraisal.
void Appraise(const v1::Period& p, const std::string& unit, const std::vector<std::string>& points) {
  v1::SaveAppraisalRequest save;
  save.set_period(p.name());
  save.set_unit_code(unit);
  const char* codes[] = {"1.1", "1.2", "2.1.1", "2.1.2", "2.2"};
  for (int i = 0; i < 5; ++i) *save.add_scores() = Appraised(codes[i], points[i]);
  v1::Assessment saved, done;
  auto ctx = ScoringServiceTest::Context(ScoringServiceTest::kAppraiser);
  auto s = ScoringServiceTest::Stub().SaveAppraisal(ctx.get(), save, &saved);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::CompleteAppraisalRequest complete;
  complete.set_period(p.name());
  complete.set_unit_code(unit);
  s = ScoringServiceTest::Stub().CompleteAppraisal(ScoringServiceTest::Context(ScoringServiceTest::kAppraiser).get(),
                                                   complete, &done);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(done.state(), v1::APPRAISED);
  EXPECT_EQ(done.appraised_by(), "SNV");
}

// GetAssessment of `unit` as `token`; the assessment goes to *out when given.
grpc::Status ReadAssessment(const v1::Period& p, const std::string& unit, const std::string& token,
                            v1::Assessment* out = nullptr) {
  v1::GetAssessmentRequest req;
  req.set_period(p.name());
  req.set_unit_code(unit);
  v1::Assessment ignored;
  return ScoringServiceTest::Stub().GetAssessment(ScoringServiceTest::Context(token).get(), req, out ? out : &ignored);
}

// Before publication D1's assessment is for D1's scorer, an appraiser of another unit and admin only.
void ExpectOnlyInsidersRead(const v1::Period& p) {
  using T = ScoringServiceTest;
  for (const char* token : {T::kScorerD1, T::kAppraiser, T::kAdmin}) {
    v1::Assessment a;
    auto s = ReadAssessment(p, "D1", token, &a);
    EXPECT_TRUE(s.ok()) << token << ": " << s.error_message();
    EXPECT_EQ(a.self_total(), "8.00") << token;
  }
  for (const char* token : {T::kReader, T::kScorerD2, T::kAppraiserD1}) {
    auto s = ReadAssessment(p, "D1", token);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token << " in " << v1::PeriodState_Name(p.state());
    EXPECT_EQ(s.error_message().rfind("unit_code: ", 0), 0u) << s.error_message();
  }
}

TEST_F(ScoringServiceTest, PeriodGoesFromSelfAssessmentToAPublishedRankingWithChangesAndEvents) {
  EvidenceDocument();
  EnsureUnits();
  v1::Framework framework = CreateFramework("PAR-SO-FLOW");
  EXPECT_EQ(framework.total_max(), "10.00");
  EXPECT_EQ(framework.fields(1).criteria(0).max_points(), "2.00");  // 1.5 + 0.5 filled in

  // Last year's published results, imported: D1 9.00 (1st), D3 7.50 (2nd), D2 7.00 (3rd).
  v1::Period last = CreatePeriod(2014, framework);
  v1::ImportResultsRequest import;
  import.set_period(last.name());
  for (auto [unit, total] : {std::pair{"D1", "9"}, {"D2", "7.00"}, {"D3", "7.5"}}) {
    auto* r = import.add_results();
    r->set_unit_code(unit);
    r->set_total(total);
  }
  v1::Period imported;
  auto s = Stub().ImportResults(Context(kAdmin).get(), import, &imported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(imported.state(), v1::PUBLISHED);
  EXPECT_TRUE(imported.imported());

  // This year, the real workflow.
  v1::Period period = CreatePeriod(2015, framework);
  EXPECT_EQ(period.state(), v1::OPEN);
  EXPECT_EQ(period.unit_kind(), v1::DEPARTMENT);
  period = Advance(period);
  ASSERT_EQ(period.state(), v1::SELF_ASSESSMENT);
  SelfAssess(period, "D1", kScorerD1, {"4", "2", "1.5", "0.5"});
  SelfAssess(period, "D2", kScorerD2, {"4", "2", "1.5", "0.5"});
  SelfAssess(period, "D3", kScorerD3, {"3.5", "2", "1.25", "0.5"});
  ExpectOnlyInsidersRead(period);
  period = Advance(period);
  ASSERT_EQ(period.state(), v1::APPRAISAL);
  Appraise(period, "D1", {"3.5", "2", "1.5", "0.5", "1.25"});  // 8.75
  Appraise(period, "D2", {"4", "2", "1.5", "0.5", "1.25"});    // 9.25
  Appraise(period, "D3", {"3.5", "2", "1.25", "0.5", "1.5"});  // 8.75: ties D1
  ExpectOnlyInsidersRead(period);                              // the appraisers' scores and comments too
  period = Advance(period);
  ASSERT_EQ(period.state(), v1::PUBLISHED);
  v1::Assessment d1_sheet;  // published: every reader, appraisal comments included
  s = ReadAssessment(period, "D1", kReader, &d1_sheet);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(d1_sheet.appraised_total(), "8.75");
  EXPECT_EQ(d1_sheet.scores(0).appraisal_comment(), "Thống nhất");

  v1::GetRankingRequest ranking_req;
  ranking_req.set_year(2015);
  ranking_req.set_unit_kind(v1::DEPARTMENT);
  v1::Ranking ranking;
  s = Stub().GetRanking(Context(kReader).get(), ranking_req, &ranking);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(ranking.results_size(), 3);
  EXPECT_EQ(ranking.results(0).unit_code(), "D2");
  EXPECT_EQ(ranking.results(0).total(), "9.25");
  EXPECT_EQ(ranking.results(0).rank(), 1);
  EXPECT_EQ(ranking.results(0).total_change(), "+2.25");
  EXPECT_EQ(ranking.results(0).rank_change(), 2);  // 3rd → 1st
  EXPECT_EQ(ranking.results(1).unit_code(), "D1");
  EXPECT_EQ(ranking.results(1).rank(), 2);
  EXPECT_EQ(ranking.results(1).total_change(), "-0.25");
  EXPECT_EQ(ranking.results(1).rank_change(), -1);
  EXPECT_EQ(ranking.results(2).unit_code(), "D3");
  EXPECT_EQ(ranking.results(2).rank(), 2);  // equal totals share a rank
  EXPECT_EQ(ranking.results(2).rank_change(), 0);
  EXPECT_EQ(ranking.improved_units(), 2);
  EXPECT_EQ(ranking.compared_units(), 3);
  EXPECT_EQ(ranking.average(), "8.92");  // 26.75 / 3 = 8.9166…

  v1::GetResultRequest result_req;
  result_req.set_period(period.name());
  result_req.set_unit_code("D1");
  v1::UnitResultDetail d1;
  s = Stub().GetResult(Context(kReader).get(), result_req, &d1);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(d1.total(), "8.75");
  EXPECT_EQ(d1.previous_total(), "9.00");
  EXPECT_EQ(d1.previous_rank(), 1);
  ASSERT_EQ(d1.fields_size(), 2);
  EXPECT_EQ(d1.fields(0).points(), "5.50");
  EXPECT_EQ(d1.fields(0).max_points(), "6.00");
  EXPECT_EQ(d1.fields(0).percent(), "91.67");
  EXPECT_EQ(d1.fields(1).percent(), "81.25");
  EXPECT_EQ(d1.fields(1).name(), "Cải cách thủ tục hành chính");
  EXPECT_EQ(Sql("SELECT total::text FROM scoring.results r JOIN scoring.periods p ON p.id = r.period_id "
                "WHERE p.year = 2015 AND p.unit_kind = 1 AND r.unit_code = 'D3'"),
            "8.75");

  // The framework is in use now: it cannot change, a new version can.
  v1::UpdateFrameworkRequest update;
  *update.mutable_framework() = framework;
  update.mutable_framework()->set_title("Đổi tên");
  v1::Framework unchanged, copy;
  s = Stub().UpdateFramework(Context(kAdmin).get(), update, &unchanged);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find(framework.name()), std::string::npos) << s.error_message();
  v1::NewFrameworkVersionRequest version;
  version.set_name(framework.name());
  ASSERT_TRUE(Stub().NewFrameworkVersion(Context(kAdmin).get(), version, &copy).ok());
  EXPECT_EQ(copy.version(), 2);
  EXPECT_FALSE(copy.in_use());
  EXPECT_EQ(copy.fields_size(), 2);
  *update.mutable_framework() = copy;
  update.mutable_framework()->set_title("Bộ chỉ số 2016");
  v1::Framework changed;
  s = Stub().UpdateFramework(Context(kAdmin).get(), update, &changed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(changed.title(), "Bộ chỉ số 2016");

  // Every state change reached the broker through the outbox, keyed by the period.
  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.scoring.v1", 9);
  std::map<std::string, int> types;
  v1::ResultsPublished published;
  for (const auto& m : messages) {
    if (m.key != period.name() && m.key != last.name()) continue;
    types[m.headers.at("ce_type")]++;
    EXPECT_EQ(m.headers.at("ce_source"), "/cchc/scoring");
    if (m.key == period.name() && m.headers.at("ce_type") == "cchc.scoring.v1.ResultsPublished") {
      ASSERT_TRUE(published.ParseFromString(m.value));
    }
  }
  EXPECT_EQ(types["cchc.scoring.v1.PeriodOpened"], 1);
  EXPECT_EQ(types["cchc.scoring.v1.AssessmentSubmitted"], 3);
  EXPECT_EQ(types["cchc.scoring.v1.AssessmentAppraised"], 3);
  EXPECT_EQ(types["cchc.scoring.v1.ResultsPublished"], 2);  // the import and the publication
  ASSERT_EQ(published.results_size(), 3);
  EXPECT_EQ(published.year(), 2015);
  EXPECT_EQ(published.unit_kind(), "DEPARTMENT");
  EXPECT_EQ(published.improved_units(), 2);
  EXPECT_EQ(published.compared_units(), 3);
  EXPECT_EQ(published.results(0).unit_name(), "Sở Tư pháp");
  EXPECT_EQ(published.results(0).total_change(), "+2.25");
  EXPECT_EQ(published.results(0).rank_change(), 2);
  EXPECT_EQ(published.results(0).ranked_units(), 3);
}

}  // namespace
}  // namespace cchc::testing
