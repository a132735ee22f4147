// The scoring stores (services/scoring/store/) against a real PostgreSQL cluster: what they return, the domain errors
// they throw (kind and message, as the API shows them), the outbox row each state change subscribers see writes in
// its transaction (and none on a refusal), Vietnamese names and explanations kept as written (NFC).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "results_publishing.h"
#include "store/stores.h"
#include "support/store_suite.h"

namespace cchc::scoring {
namespace {

constexpr int64_t kMissingId = 999999;

class ScoringStoresTest : public testing::StoreSuite<ScoringStoresTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase("scoring", Migrations(), {Statements(), outbox::Statements()});
    UnitStore units(*pool_);
    for (const auto& [code, name, kind] : std::vector<std::tuple<std::string, std::string, v1::UnitKind>>{
             {"SGDDT", "S\u1EDF Gi\u00E1o d\u1EE5c v\u00E0 \u0110\u00E0o t\u1EA1o", v1::DEPARTMENT},
             {"SNV", "S\u1EDF N\u1ED9i v\u1EE5", v1::DEPARTMENT},
             {"STP", "S\u1EDF T\u01B0 ph\u00E1p", v1::DEPARTMENT},
             {"VINH_CHAU", "Th\u1ECB x\u00E3 V\u0129nh Ch\u00E2u", v1::DISTRICT},
             {"NGA_NAM", "Th\u1ECB x\u00E3 Ng\u00E3 N\u0103m", v1::DISTRICT}}) {
      v1::Unit u;
      u.set_code(code);
      u.set_display_name(name);
      u.set_kind(kind);
      units.Create(u);
    }
  }

  // A framework of `kind`: field 1 (20 points: 1.1 range 10 with evidence; 1.2 of 1.2.1 yes/no 5 and 1.2.2
  // range 5) and field 2 (10 points: 2.1 survey 10). Leaves 1.1, 1.2.1, 1.2.2, 2.1.
  static v1::Framework Spec(const std::string& code, v1::UnitKind kind) {
    v1::Framework f;
    f.set_code(code);
    f.set_version(1);
    f.set_title("B\u1ED9 ch\u1EC9 s\u1ED1 c\u1EA3i c\u00E1ch h\u00E0nh ch\u00EDnh");
    f.set_unit_kind(kind);
    f.set_year(2026);
    f.set_source("Quy\u1EBFt \u0111\u1ECBnh 1149/Q\u0110-UBND");
    f.set_total_max("30.00");
    auto* f1 = f.add_fields();
    f1->set_code("1");
    f1->set_name("C\u00F4ng t\u00E1c ch\u1EC9 \u0111\u1EA1o, \u0111i\u1EC1u h\u00E0nh");
    f1->set_max_points("20.00");
    auto* c11 = f1->add_criteria();
    c11->set_code("1.1");
    c11->set_name("K\u1EBF ho\u1EA1ch CCHC n\u0103m");
    c11->set_max_points("10.00");
    c11->set_rule(v1::RANGE);
    c11->set_evidence_required(true);
    c11->set_scoring_guide("Ban h\u00E0nh \u0111\u00FAng h\u1EA1n: 10 \u0111i\u1EC3m");
    auto* c12 = f1->add_criteria();
    c12->set_code("1.2");
    c12->set_name("B\u00E1o c\u00E1o CCHC");
    c12->set_max_points("10.00");
    auto* c121 = c12->add_sub_criteria();
    c121->set_code("1.2.1");
    c121->set_name("\u0110\u1EE7 s\u1ED1 l\u01B0\u1EE3ng");
    c121->set_max_points("5.00");
    c121->set_rule(v1::YES_NO);
    auto* c122 = c12->add_sub_criteria();
    c122->set_code("1.2.2");
    c122->set_name("\u0110\u00FAng th\u1EDDi h\u1EA1n");
    c122->set_max_points("5.00");
    c122->set_rule(v1::RANGE);
    auto* f2 = f.add_fields();
    f2->set_code("2");
    f2->set_name("C\u1EA3i c\u00E1ch th\u1EE7 t\u1EE5c h\u00E0nh ch\u00EDnh");
    f2->set_max_points("10.00");
    auto* c21 = f2->add_criteria();
    c21->set_code("2.1");
    c21->set_name("M\u1EE9c \u0111\u1ED9 h\u00E0i l\u00F2ng");
    c21->set_max_points("10.00");
    c21->set_rule(v1::SURVEY);
    return f;
  }

  static int64_t IdOf(const std::string& name) { return std::stoll(name.substr(name.find('/') + 1)); }

  // A new period of `year` over a new framework of `kind`, in state `state` (stepped there by Advance).
  v1::Period PeriodIn(int year, v1::UnitKind kind, v1::PeriodState state) {
    auto f =
        stores_->frameworks.Create(Spec("CCHC-" + std::to_string(year) + "-" + v1::UnitKind_Name(kind), kind), "VP");
    v1::Period p;
    p.set_year(year);
    p.set_framework(f.name());
    p.set_title("K\u1EF3 \u0111\u00E1nh gi\u00E1 CCHC n\u0103m " + std::to_string(year));
    p.set_self_assessment_deadline(std::to_string(year) + "-10-31");
    auto period = stores_->periods.Create(p, IdOf(f.name()), "VP");
    while (period.state() != state) period = stores_->periods.Advance(IdOf(period.name()), period.state());
    return period;
  }

  static v1::Score Self(const std::string& code, const std::string& points, bool evidence = false) {
    v1::Score s;
    s.set_criterion_code(code);
    s.set_self_points(points);
    s.set_explanation("Gi\u1EA3i tr\u00ECnh ti\u00EAu ch\u00ED " + code);
    if (evidence) s.add_evidence_document_codes("57/Q\u0110-SGD\u0110T");
    return s;
  }
  static v1::Score Appraised(const std::string& code, const std::string& points) {
    v1::Score s;
    s.set_criterion_code(code);
    s.set_appraised_points(points);
    s.set_appraisal_comment("\u0110\u1EA1t y\u00EAu c\u1EA7u");
    return s;
  }
  v1::Assessment SaveSelf(const v1::Period& p, const std::string& unit, std::vector<v1::Score> scores) {
    v1::SaveSelfAssessmentRequest r;
    for (auto& s : scores) *r.add_scores() = std::move(s);
    return stores_->assessments.SaveSelfScores(IdOf(p.name()), unit, r);
  }
  v1::Assessment SaveAppraisal(const v1::Period& p, const std::string& unit, std::vector<v1::Score> scores) {
    v1::SaveAppraisalRequest r;
    for (auto& s : scores) *r.add_scores() = std::move(s);
    return stores_->assessments.SaveAppraisal(IdOf(p.name()), unit, r);
  }
  // Self-scores every criterion of `unit`, submits, and (when the period is in APPRAISAL later) nothing more.
  void SelfScoreAndSubmit(const v1::Period& p, const std::string& unit) {
    SaveSelf(p, unit, {Self("1.1", "9.00", true), Self("1.2.1", "5.00"), Self("1.2.2", "4.50")});
    stores_->assessments.Submit(IdOf(p.name()), unit, unit);
  }

  // The outbox rows about period `name` of event type `type` (cchc.scoring.v1.<type>); every type when empty.
  static int OutboxRows(const std::string& name, const std::string& type = "") {
    std::string sql = "SELECT count(*) FROM scoring.outbox WHERE aggregate_id = '" + name + "'";
    if (!type.empty()) sql += " AND event_type = 'cchc.scoring.v1." + type + "'";
    return std::stoi(pg_->Sql(sql));
  }

  void SetUp() override { stores_ = std::make_unique<Stores>(*pool_, PlanPublication); }

  std::unique_ptr<Stores> stores_;
};

using testing::ExpectDomainError;

TEST_F(ScoringStoresTest, UnitsStoreListByKindAndRefuseATakenCode) {
  auto got = stores_->units.Get("SGDDT");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name(), "units/SGDDT");
  EXPECT_EQ(got->display_name(), "S\u1EDF Gi\u00E1o d\u1EE5c v\u00E0 \u0110\u00E0o t\u1EA1o");
  EXPECT_EQ(got->kind(), v1::DEPARTMENT);
  EXPECT_FALSE(stores_->units.Get("KHONG_CO"));
  v1::Unit school;
  school.set_code("THPT_LTK");
  school.set_display_name("Tr\u01B0\u1EDDng THPT L\u00EA Th\u00E1nh K\u00FDnh");
  school.set_kind(v1::SUBORDINATE_UNIT);
  school.set_parent("SGDDT");
  school.set_sample_data(true);
  auto created = stores_->units.Create(school);
  EXPECT_EQ(created.parent(), "SGDDT");
  EXPECT_TRUE(created.sample_data());
  ExpectDomainError([&] { stores_->units.Create(school); }, DomainErrorKind::kAlreadyExists,
                    "unit.code: THPT_LTK already exists");
  std::vector<std::string> districts;
  for (const auto& u : stores_->units.List(v1::DISTRICT)) districts.push_back(u.code());
  EXPECT_EQ(districts, (std::vector<std::string>{"NGA_NAM", "VINH_CHAU"}));
  auto all = stores_->units.List(v1::UNIT_KIND_UNSPECIFIED);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.front().kind(), v1::DEPARTMENT);  // by kind, then code
  EXPECT_EQ(all.back().code(), "THPT_LTK");
}

TEST_F(ScoringStoresTest, FrameworksKeepTheirTreeVersionAndFreezeOnceUsed) {
  auto created = stores_->frameworks.Create(Spec("PAR-SO", v1::DEPARTMENT), "VP");
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(created.total_max(), "30.00");
  EXPECT_FALSE(created.in_use());
  auto got = stores_->frameworks.Get(IdOf(created.name()));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->fields_size(), 2);
  EXPECT_EQ(got->fields(0).name(), "C\u00F4ng t\u00E1c ch\u1EC9 \u0111\u1EA1o, \u0111i\u1EC1u h\u00E0nh");
  ASSERT_EQ(got->fields(0).criteria_size(), 2);
  EXPECT_TRUE(got->fields(0).criteria(0).evidence_required());
  EXPECT_EQ(got->fields(0).criteria(0).scoring_guide(), "Ban h\u00E0nh \u0111\u00FAng h\u1EA1n: 10 \u0111i\u1EC3m");
  ASSERT_EQ(got->fields(0).criteria(1).sub_criteria_size(), 2);
  EXPECT_EQ(got->fields(0).criteria(1).sub_criteria(0).rule(), v1::YES_NO);
  EXPECT_EQ(got->fields(1).criteria(0).rule(), v1::SURVEY);
  EXPECT_FALSE(stores_->frameworks.Get(kMissingId));
  ExpectDomainError([&] { stores_->frameworks.Create(Spec("PAR-SO", v1::DEPARTMENT), "VP"); },
                    DomainErrorKind::kAlreadyExists, "framework.version: PAR-SO version 1 already exists");

  auto edit = Spec("PAR-SO", v1::DEPARTMENT);
  edit.set_title("B\u1ED9 ch\u1EC9 s\u1ED1 s\u1EEDa \u0111\u1ED5i");
  edit.mutable_fields()->RemoveLast();
  edit.set_total_max("20.00");
  auto updated = stores_->frameworks.Update(IdOf(created.name()), edit);
  EXPECT_EQ(updated.title(), "B\u1ED9 ch\u1EC9 s\u1ED1 s\u1EEDa \u0111\u1ED5i");
  EXPECT_EQ(updated.fields_size(), 1);
  EXPECT_EQ(updated.total_max(), "20.00");
  ExpectDomainError([&] { stores_->frameworks.Update(kMissingId, edit); }, DomainErrorKind::kNotFound,
                    "framework.name: frameworks/999999 does not exist");

  auto v2 = stores_->frameworks.NewVersion(IdOf(created.name()), "TCCB");
  EXPECT_EQ(v2.code(), "PAR-SO");
  EXPECT_EQ(v2.version(), 2);
  EXPECT_EQ(v2.fields_size(), 1);
  EXPECT_EQ(v2.title(), updated.title());
  ExpectDomainError([&] { stores_->frameworks.NewVersion(kMissingId, "TCCB"); }, DomainErrorKind::kNotFound,
                    "name: frameworks/999999 does not exist");
  std::vector<int> versions;
  for (const auto& f : stores_->frameworks.List(v1::DEPARTMENT))
    if (f.code() == "PAR-SO") versions.push_back(f.version());
  EXPECT_EQ(versions, (std::vector<int>{2, 1}));
  EXPECT_EQ(stores_->frameworks.List(v1::PROVINCE).size(), 0u);

  v1::Period p;
  p.set_year(2020);
  p.set_framework(created.name());
  p.set_title("K\u1EF3 2020");
  stores_->periods.Create(p, IdOf(created.name()), "VP");
  EXPECT_TRUE(stores_->frameworks.Get(IdOf(created.name()))->in_use());
  ExpectDomainError([&] { stores_->frameworks.Update(IdOf(created.name()), edit); },
                    DomainErrorKind::kFailedPrecondition,
                    "framework.name: " + created.name() +
                        " (PAR-SO version 1) is used by a period and can no longer change; create a new version");
  EXPECT_EQ(stores_->frameworks.Get(IdOf(created.name()))->title(), updated.title());
}

TEST_F(ScoringStoresTest, PeriodsAreOnePerYearAndKindAndAdvanceOneStepWithTheirEvents) {
  auto f = stores_->frameworks.Create(Spec("PAR-HUYEN", v1::DISTRICT), "VP");
  v1::Period spec;
  spec.set_year(2030);
  spec.set_framework(f.name());
  spec.set_title("K\u1EF3 \u0111\u00E1nh gi\u00E1 c\u1EA5p huy\u1EC7n");
  spec.set_appraisal_deadline("2030-12-15");
  auto p = stores_->periods.Create(spec, IdOf(f.name()), "VP");
  EXPECT_EQ(p.state(), v1::OPEN);
  EXPECT_EQ(p.unit_kind(), v1::DISTRICT) << "the framework's kind";
  EXPECT_EQ(p.appraisal_deadline(), "2030-12-15");
  EXPECT_EQ(p.self_assessment_deadline(), "");
  EXPECT_EQ(p.title(), spec.title());
  ExpectDomainError([&] { stores_->periods.Create(spec, IdOf(f.name()), "VP"); }, DomainErrorKind::kAlreadyExists,
                    "period.year: a period for 2030 and DISTRICT already exists");
  spec.set_framework("frameworks/999999");
  ExpectDomainError([&] { stores_->periods.Create(spec, kMissingId, "VP"); }, DomainErrorKind::kNotFound,
                    "period.framework: frameworks/999999 does not exist");
  EXPECT_EQ(stores_->periods.Find(2030, v1::DISTRICT)->name(), p.name());
  EXPECT_FALSE(stores_->periods.Find(2030, v1::DEPARTMENT));
  EXPECT_FALSE(stores_->periods.Get(kMissingId));
  bool listed = false;
  for (const auto& l : stores_->periods.List(v1::DISTRICT)) listed = listed || l.name() == p.name();
  EXPECT_TRUE(listed);

  const int64_t id = IdOf(p.name());
  ExpectDomainError([&] { stores_->periods.Advance(id, v1::APPRAISAL); }, DomainErrorKind::kFailedPrecondition,
                    "expected_state: " + p.name() + " is OPEN, not APPRAISAL");
  ExpectDomainError([&] { stores_->periods.Advance(kMissingId, v1::OPEN); }, DomainErrorKind::kNotFound,
                    "period: periods/999999 does not exist");
  EXPECT_EQ(OutboxRows(p.name()), 0);
  EXPECT_EQ(stores_->periods.Advance(id, v1::OPEN).state(), v1::SELF_ASSESSMENT);
  EXPECT_EQ(OutboxRows(p.name(), "PeriodOpened"), 1);
  EXPECT_EQ(stores_->periods.Advance(id, v1::SELF_ASSESSMENT).state(), v1::APPRAISAL);
  EXPECT_EQ(OutboxRows(p.name()), 1) << "appraisal opening is no event";
  ExpectDomainError([&] { stores_->periods.Advance(id, v1::APPRAISAL); }, DomainErrorKind::kFailedPrecondition,
                    "name: " + p.name() + " has no appraised assessment");
  EXPECT_EQ(stores_->periods.Get(id)->state(), v1::APPRAISAL);
  EXPECT_EQ(OutboxRows(p.name()), 1);
}

TEST_F(ScoringStoresTest, AssessmentsSelfScoreAndSubmitOnlyInTheirStates) {
  auto p = PeriodIn(2031, v1::DEPARTMENT, v1::OPEN);
  const int64_t id = IdOf(p.name());
  auto fresh = stores_->assessments.Get(id, "SGDDT");
  EXPECT_EQ(fresh.state(), v1::DRAFT);
  EXPECT_EQ(fresh.scores_size(), 0);
  EXPECT_EQ(fresh.self_total(), "0.00");
  ExpectDomainError([&] { stores_->assessments.Get(id, "VINH_CHAU"); }, DomainErrorKind::kInvalid,
                    "unit_code: unit VINH_CHAU is a DISTRICT, the period assesses DEPARTMENT");
  ExpectDomainError([&] { stores_->assessments.Get(id, "KHONG_CO"); }, DomainErrorKind::kNotFound,
                    "unit_code: no unit KHONG_CO");
  ExpectDomainError([&] { stores_->assessments.Get(kMissingId, "SGDDT"); }, DomainErrorKind::kNotFound,
                    "period: periods/999999 does not exist");
  ExpectDomainError([&] { SaveSelf(p, "SGDDT", {Self("1.1", "9.00", true)}); }, DomainErrorKind::kFailedPrecondition,
                    "period: " + p.name() + " is OPEN; self-assessment needs it SELF_ASSESSMENT");

  stores_->periods.Advance(id, v1::OPEN);
  const int opened = OutboxRows(p.name());
  ExpectDomainError([&] { SaveSelf(p, "VINH_CHAU", {Self("1.1", "9.00", true)}); }, DomainErrorKind::kInvalid,
                    "unit_code: unit VINH_CHAU is a DISTRICT, the period assesses DEPARTMENT");
  auto saved = SaveSelf(p, "SGDDT", {Self("1.2.1", "5.00"), Self("1.1", "8.50")});
  ASSERT_EQ(saved.scores_size(), 2);
  EXPECT_EQ(saved.scores(0).criterion_code(), "1.1") << "in framework order";
  EXPECT_EQ(saved.scores(0).explanation(), "Gi\u1EA3i tr\u00ECnh ti\u00EAu ch\u00ED 1.1");
  EXPECT_EQ(saved.self_total(), "13.50");
  ExpectDomainError([&] { stores_->assessments.Submit(id, "SGDDT", "SGDDT"); }, DomainErrorKind::kFailedPrecondition,
                    "scores: criterion 1.1 requires evidence (t\u00E0i li\u1EC7u ki\u1EC3m ch\u1EE9ng)");
  SaveSelf(p, "SGDDT", {Self("1.1", "8.50", true)});
  ExpectDomainError([&] { stores_->assessments.Submit(id, "SGDDT", "SGDDT"); }, DomainErrorKind::kFailedPrecondition,
                    "scores: criterion 1.2.2 is not self-scored yet");
  EXPECT_EQ(OutboxRows(p.name()), opened) << "a refused submission writes no event";

  SaveSelf(p, "SGDDT", {Self("1.2.2", "4.00")});
  auto submitted = stores_->assessments.Submit(id, "SGDDT", "SGDDT");
  EXPECT_EQ(submitted.state(), v1::SUBMITTED);
  EXPECT_EQ(submitted.submitted_by(), "SGDDT");
  EXPECT_EQ(submitted.self_total(), "17.50");
  ASSERT_EQ(submitted.scores_size(), 3);
  EXPECT_EQ(submitted.scores(0).evidence_document_codes(0), "57/Q\u0110-SGD\u0110T");
  EXPECT_EQ(OutboxRows(p.name(), "AssessmentSubmitted"), 1);
  ExpectDomainError([&] { stores_->assessments.Submit(id, "SGDDT", "SGDDT"); }, DomainErrorKind::kFailedPrecondition,
                    "unit_code: the assessment of SGDDT is SUBMITTED; submitting needs it DRAFT");
  ExpectDomainError([&] { SaveSelf(p, "SGDDT", {Self("1.1", "10.00", true)}); }, DomainErrorKind::kFailedPrecondition,
                    "unit_code: the assessment of SGDDT is SUBMITTED; self-assessment needs it DRAFT");
  ExpectDomainError([&] { SaveAppraisal(p, "SGDDT", {Appraised("1.1", "8.00")}); },
                    DomainErrorKind::kFailedPrecondition,
                    "period: " + p.name() + " is SELF_ASSESSMENT; appraisal needs it APPRAISAL");
  EXPECT_EQ(stores_->assessments.Get(id, "SGDDT").scores(0).self_points(), "8.50");
  EXPECT_EQ(OutboxRows(p.name(), "AssessmentSubmitted"), 1);
}

TEST_F(ScoringStoresTest, AppraisalCompletesOnceEveryCriterionIsAppraisedAndPublishingRanksTheAppraised) {
  auto p = PeriodIn(2032, v1::DEPARTMENT, v1::SELF_ASSESSMENT);
  const int64_t id = IdOf(p.name());
  SelfScoreAndSubmit(p, "SGDDT");
  SelfScoreAndSubmit(p, "SNV");
  SaveSelf(p, "STP", {Self("1.1", "2.00", true)});  // never submitted: not ranked
  stores_->periods.Advance(id, v1::SELF_ASSESSMENT);
  ASSERT_EQ(OutboxRows(p.name(), "AssessmentSubmitted"), 2);

  ExpectDomainError([&] { SaveAppraisal(p, "STP", {Appraised("1.1", "1.00")}); }, DomainErrorKind::kFailedPrecondition,
                    "unit_code: the assessment of STP is DRAFT; appraisal needs it SUBMITTED");
  auto partial = SaveAppraisal(p, "SGDDT", {Appraised("1.1", "8.00"), Appraised("1.2.1", "5.00")});
  EXPECT_EQ(partial.appraised_total(), "13.00");
  EXPECT_EQ(partial.self_total(), "18.50") << "self-scores stay";
  ExpectDomainError([&] { stores_->assessments.CompleteAppraisal(id, "SGDDT", "TDKT"); },
                    DomainErrorKind::kFailedPrecondition, "scores: criterion 1.2.2 is not appraised yet");
  EXPECT_EQ(OutboxRows(p.name(), "AssessmentAppraised"), 0);
  SaveAppraisal(p, "SGDDT", {Appraised("1.2.2", "4.00"), Appraised("2.1", "7.50")});
  auto appraised = stores_->assessments.CompleteAppraisal(id, "SGDDT", "TDKT");
  EXPECT_EQ(appraised.state(), v1::APPRAISED);
  EXPECT_EQ(appraised.appraised_by(), "TDKT");
  EXPECT_EQ(appraised.appraised_total(), "24.50");
  EXPECT_EQ(OutboxRows(p.name(), "AssessmentAppraised"), 1);
  ExpectDomainError([&] { stores_->assessments.CompleteAppraisal(id, "SGDDT", "TDKT"); },
                    DomainErrorKind::kFailedPrecondition,
                    "unit_code: the assessment of SGDDT is APPRAISED; completing an appraisal needs it SUBMITTED");

  ExpectDomainError([&] { stores_->periods.Advance(id, v1::APPRAISAL); }, DomainErrorKind::kFailedPrecondition,
                    "name: the assessment of SNV is submitted but not appraised yet");
  EXPECT_EQ(OutboxRows(p.name(), "ResultsPublished"), 0);
  SaveAppraisal(
      p, "SNV",
      {Appraised("1.1", "10.00"), Appraised("1.2.1", "5.00"), Appraised("1.2.2", "5.00"), Appraised("2.1", "9.00")});
  stores_->assessments.CompleteAppraisal(id, "SNV", "TDKT");

  auto published = stores_->periods.Advance(id, v1::APPRAISAL);
  EXPECT_EQ(published.state(), v1::PUBLISHED);
  EXPECT_FALSE(published.imported());
  EXPECT_EQ(OutboxRows(p.name(), "ResultsPublished"), 1);
  auto results = stores_->results.Results(id);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].unit_code(), "SNV");
  EXPECT_EQ(results[0].unit_name(), "S\u1EDF N\u1ED9i v\u1EE5");
  EXPECT_EQ(results[0].total(), "29.00");
  EXPECT_EQ(results[0].rank(), 1);
  EXPECT_EQ(results[1].unit_code(), "SGDDT");
  EXPECT_EQ(results[1].total(), "24.50");
  // The appraised points per criterion are kept for the what-if plan.
  EXPECT_EQ(stores_->results.CriterionPoints(id, "SGDDT"),
            (std::map<std::string, Centi>{{"1.1", 800}, {"1.2.1", 500}, {"1.2.2", 400}, {"2.1", 750}}));
  EXPECT_EQ(results[1].rank(), 2);
  EXPECT_EQ(results[1].ranked_units(), 2);
  EXPECT_FALSE(results[1].has_previous());
  auto one = stores_->results.Result(id, "SGDDT");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->fields_size(), 2);
  std::map<std::string, std::string> fields;
  for (const auto& f : one->fields()) fields[f.code()] = f.points();
  EXPECT_EQ(fields, (std::map<std::string, std::string>{{"1", "17.00"}, {"2", "7.50"}}));
  EXPECT_EQ(one->year(), 2032);
  EXPECT_EQ(one->period(), p.name());
  EXPECT_FALSE(stores_->results.Result(id, "STP"));

  EXPECT_EQ(stores_->periods.Advance(id, v1::PUBLISHED).state(), v1::CLOSED);
  ExpectDomainError([&] { stores_->periods.Advance(id, v1::CLOSED); }, DomainErrorKind::kFailedPrecondition,
                    "name: " + p.name() + " is closed");
  EXPECT_EQ(OutboxRows(p.name(), "ResultsPublished"), 1);
  EXPECT_EQ(stores_->results.Results(id).size(), 2u);
}

TEST_F(ScoringStoresTest, ImportResultsPublishesAnOpenPeriodOnceAndComparesWithThePreviousYear) {
  auto before = PeriodIn(2033, v1::DISTRICT, v1::OPEN);
  stores_->periods.ImportResults(IdOf(before.name()), {UnitTotals{"VINH_CHAU", 1500, {{"1", 1500}}, false},
                                                       UnitTotals{"NGA_NAM", 2000, {{"1", 2000}}, false}});
  auto p = PeriodIn(2034, v1::DISTRICT, v1::OPEN);
  const int64_t id = IdOf(p.name());
  auto refused = [&](std::vector<UnitTotals> results, DomainErrorKind kind, const std::string& message) {
    ExpectDomainError([&] { stores_->periods.ImportResults(id, results); }, kind, message);
  };
  refused({{"SGDDT", 1000, {}, false}}, DomainErrorKind::kInvalid,
          "results[0].unit_code: unit SGDDT is a DEPARTMENT, the period assesses DISTRICT");
  refused({{"VINH_CHAU", 1000, {}, false}, {"KHONG_CO", 1000, {}, false}}, DomainErrorKind::kNotFound,
          "results[1].unit_code: no unit KHONG_CO");
  refused({{"VINH_CHAU", 1000, {{"9", 100}}, false}}, DomainErrorKind::kInvalid,
          "results[0].fields: no field 9 in the framework");
  refused({{"VINH_CHAU", 1000, {{"1", 1000}}, false}, {"NGA_NAM", 3000, {{"1", 2000}, {"2", 1050}}, false}},
          DomainErrorKind::kInvalid, "results[1].fields: 10.50 exceeds field 2's maximum 10.00");
  EXPECT_EQ(OutboxRows(p.name()), 0);
  EXPECT_EQ(stores_->periods.Get(id)->state(), v1::OPEN);

  auto published = stores_->periods.ImportResults(id, {UnitTotals{"VINH_CHAU", 2575, {{"1", 1800}, {"2", 775}}, true},
                                                       UnitTotals{"NGA_NAM", 1990, {{"1", 1990}}, false}});
  EXPECT_EQ(published.state(), v1::PUBLISHED);
  EXPECT_TRUE(published.imported());
  EXPECT_TRUE(stores_->periods.Get(id)->imported());
  EXPECT_EQ(OutboxRows(p.name(), "ResultsPublished"), 1);
  EXPECT_EQ(OutboxRows(p.name()), 1);
  auto results = stores_->results.Results(id);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].unit_code(), "VINH_CHAU");
  EXPECT_EQ(results[0].total(), "25.75");
  EXPECT_TRUE(results[0].sample_data());
  ASSERT_TRUE(results[0].has_previous());
  EXPECT_EQ(results[0].previous_total(), "15.00");
  EXPECT_EQ(results[0].previous_rank(), 2);
  EXPECT_EQ(results[0].total_change(), "+10.75");
  EXPECT_EQ(results[0].rank_change(), 1);
  EXPECT_EQ(results[1].unit_code(), "NGA_NAM");
  EXPECT_EQ(results[1].total_change(), "-0.10");
  EXPECT_EQ(results[1].rank_change(), -1);
  EXPECT_EQ(results[1].unit_kind(), v1::DISTRICT);

  ExpectDomainError(
      [&] {
        stores_->periods.ImportResults(id, {UnitTotals{"VINH_CHAU", 100, {}, false}});
      },
      DomainErrorKind::kFailedPrecondition, "period: " + p.name() + " is PUBLISHED; importing results needs it OPEN");
  EXPECT_EQ(OutboxRows(p.name()), 1);
  EXPECT_EQ(stores_->results.Result(id, "VINH_CHAU")->total(), "25.75");
}

// Units across a change (rules/lineage.h): a new unit `code` of `kind`, valid from the start.
void NewUnit(UnitStore& units, const std::string& code, const std::string& name, v1::UnitKind kind) {
  v1::Unit u;
  u.set_code(code);
  u.set_display_name(name);
  u.set_kind(kind);
  units.Create(u);
}

v1::UnitChange Change(v1::UnitChangeKind kind, const std::string& date, std::vector<std::string> from,
                      std::vector<std::pair<std::string, std::string>> to) {
  v1::UnitChange c;
  c.set_kind(kind);
  c.set_effective_date(date);
  c.set_source("Ngh\u1ECB quy\u1EBFt 202/2025/QH15");
  for (auto& f : from) c.add_predecessors(f);
  for (auto& [code, name] : to) {
    auto* u = c.add_successors();
    u->set_code(code);
    u->set_display_name(name);
    u->set_valid_from(date);
  }
  return c;
}

// Sóc Trăng, Hậu Giang and Cần Thơ became the new Cần Thơ on 1 July 2025: the 2025 ranking holds the new
// Cần Thơ, not its predecessors, and shows their 2024 results and ranks without a change in points or places.
TEST_F(ScoringStoresTest, AMergedUnitIsRankedAloneAndShowsItsPredecessorsPreviousResultsWithoutADelta) {
  for (const auto& [code, name] :
       std::vector<std::pair<std::string, std::string>>{{"DA_NANG", "\u0110\u00E0 N\u1EB5ng"},
                                                        {"CAN_THO", "C\u1EA7n Th\u01A1"},
                                                        {"SOC_TRANG", "S\u00F3c Tr\u0103ng"},
                                                        {"HAU_GIANG", "H\u1EADu Giang"}})
    NewUnit(stores_->units, code, name, v1::PROVINCE);
  auto y2024 = PeriodIn(2024, v1::PROVINCE, v1::OPEN);
  stores_->periods.ImportResults(IdOf(y2024.name()),
                                 {UnitTotals{"DA_NANG", 2800, {}, false}, UnitTotals{"CAN_THO", 2500, {}, false},
                                  UnitTotals{"SOC_TRANG", 2200, {}, false}, UnitTotals{"HAU_GIANG", 2100, {}, false}});

  auto merge = Change(v1::MERGE, "2025-07-01", {"SOC_TRANG", "HAU_GIANG", "CAN_THO"},
                      {{"CAN_THO_2025", "Th\u00E0nh ph\u1ED1 C\u1EA7n Th\u01A1"}});
  auto recorded = stores_->units.RecordChange(merge, "VP");
  ASSERT_EQ(recorded.successors_size(), 1);
  EXPECT_EQ(recorded.successors(0).kind(), v1::PROVINCE);
  EXPECT_EQ(recorded.successors(0).valid_from(), "2025-07-01");
  EXPECT_EQ(std::vector<std::string>(recorded.successors(0).predecessors().begin(),
                                     recorded.successors(0).predecessors().end()),
            (std::vector<std::string>{"CAN_THO", "HAU_GIANG", "SOC_TRANG"}));
  auto soc_trang = stores_->units.Get("SOC_TRANG");
  EXPECT_EQ(soc_trang->valid_to(), "2025-06-30");
  ASSERT_EQ(soc_trang->successors_size(), 1);
  EXPECT_EQ(soc_trang->successors(0), "CAN_THO_2025");
  // The same change again (an import run twice) changes nothing; another one ending the same unit is refused.
  EXPECT_EQ(stores_->units.RecordChange(merge, "VP").successors(0).code(), "CAN_THO_2025");
  EXPECT_EQ(std::stoi(pg_->Sql("SELECT count(*) FROM scoring.unit_lineage WHERE successor = 'CAN_THO_2025'")), 3);
  EXPECT_EQ(std::stoi(pg_->Sql("SELECT count(*) FROM scoring.outbox WHERE aggregate_id = 'units/CAN_THO_2025' AND "
                               "event_type = 'cchc.scoring.v1.UnitsChanged'")),
            1)
      << "one event, through the outbox, for the change recorded once";
  ExpectDomainError(
      [&] {
        stores_->units.RecordChange(Change(v1::MERGE, "2025-07-01", {"SOC_TRANG", "DA_NANG"}, {{"KHAC", "Kh\u00E1c"}}),
                                    "VP");
      },
      DomainErrorKind::kFailedPrecondition,
      "change.predecessors: SOC_TRANG already ended on 2025-06-30 in another change");
  ExpectDomainError(
      [&] {
        stores_->units.RecordChange(Change(v1::RENAME, "2025-07-01", {"DA_NANG"}, {{"CAN_THO", "x"}}), "VP");
      },
      DomainErrorKind::kAlreadyExists, "change.successors: CAN_THO already exists");
  ExpectDomainError(
      [&] {
        stores_->units.RecordChange(Change(v1::RENAME, "2025-07-01", {"KHONG_CO"}, {{"MOI", "x"}}), "VP");
      },
      DomainErrorKind::kNotFound, "change.predecessors[0]: no unit KHONG_CO");
  EXPECT_FALSE(stores_->units.Get("KHAC"));
  EXPECT_EQ(
      std::stoi(pg_->Sql("SELECT count(*) FROM scoring.outbox WHERE aggregate_id IN ('units/KHAC', 'units/MOI')")), 0)
      << "no event for a refused change";
  EXPECT_EQ(stores_->units.Get("DA_NANG")->valid_to(), "");

  auto y2025 = PeriodIn(2025, v1::PROVINCE, v1::OPEN);
  const int64_t id = IdOf(y2025.name());
  ExpectDomainError(
      [&] {
        stores_->periods.ImportResults(
            id, {UnitTotals{"DA_NANG", 2900, {}, false}, UnitTotals{"SOC_TRANG", 2000, {}, false}});
      },
      DomainErrorKind::kInvalid,
      "results[1].unit_code: SOC_TRANG is not valid on 2025-12-31 (valid to 2025-06-30); a ranking holds the units "
      "valid on 31 December of its year");
  stores_->periods.ImportResults(id,
                                 {UnitTotals{"DA_NANG", 2900, {}, false}, UnitTotals{"CAN_THO_2025", 2600, {}, false}});
  auto results = stores_->results.Results(id);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].unit_code(), "DA_NANG");
  EXPECT_TRUE(results[0].has_previous());
  EXPECT_EQ(results[0].total_change(), "+1.00");
  EXPECT_EQ(results[0].predecessors_size(), 0);
  const auto& can_tho = results[1];
  EXPECT_EQ(can_tho.unit_code(), "CAN_THO_2025");
  EXPECT_EQ(can_tho.rank(), 2);
  EXPECT_EQ(can_tho.ranked_units(), 2);
  EXPECT_FALSE(can_tho.has_previous()) << "no invented delta";
  EXPECT_EQ(can_tho.total_change(), "");
  EXPECT_EQ(can_tho.rank_change(), 0);
  ASSERT_EQ(can_tho.predecessors_size(), 3);
  std::vector<std::tuple<std::string, std::string, int, int>> got;
  for (const auto& p : can_tho.predecessors()) {
    EXPECT_EQ(p.change(), v1::MERGE);
    EXPECT_TRUE(p.has_result());
    got.emplace_back(p.unit_code(), p.total(), p.rank(), p.ranked_units());
  }
  EXPECT_EQ(got, (std::vector<std::tuple<std::string, std::string, int, int>>{
                     {"CAN_THO", "25.00", 2, 4}, {"HAU_GIANG", "21.00", 4, 4}, {"SOC_TRANG", "22.00", 3, 4}}));
  EXPECT_EQ(can_tho.predecessors(2).unit_name(), "S\u00F3c Tr\u0103ng");
  auto one = stores_->results.Result(id, "CAN_THO_2025");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->predecessors_size(), 3);
  EXPECT_FALSE(one->has_previous());
  // 2024 is as it was published: the four provinces valid on 31/12/2024.
  EXPECT_EQ(stores_->results.Results(IdOf(y2024.name())).size(), 4u);
}

// A split (chia tách) and a rename (đổi tên) in one year: each part shows the split unit's previous result
// with no delta; the renamed unit continues (its change in points and places) and names where it came from.
TEST_F(ScoringStoresTest, ASplitShowsThePreviousWholeAndARenameContinuesTheRenamedUnit) {
  for (const auto& code : {"TRUONG_A", "TRUONG_B", "TRUONG_C"})
    NewUnit(stores_->units, code, std::string("Tr\u01B0\u1EDDng ") + code, v1::SUBORDINATE_UNIT);
  auto y2024 = PeriodIn(2024, v1::SUBORDINATE_UNIT, v1::OPEN);
  stores_->periods.ImportResults(IdOf(y2024.name()),
                                 {UnitTotals{"TRUONG_A", 2500, {}, false}, UnitTotals{"TRUONG_B", 2000, {}, false},
                                  UnitTotals{"TRUONG_C", 1500, {}, false}});
  stores_->units.RecordChange(
      Change(v1::SPLIT, "2025-01-01", {"TRUONG_A"},
             {{"TRUONG_A_BAC", "Ph\u00E2n hi\u1EC7u B\u1EAFc"}, {"TRUONG_A_NAM", "Ph\u00E2n hi\u1EC7u Nam"}}),
      "VP");
  stores_->units.RecordChange(
      Change(v1::RENAME, "2025-09-01", {"TRUONG_C"}, {{"TRUONG_C_MOI", "Tr\u01B0\u1EDDng C (t\u00EAn m\u1EDBi)"}}),
      "VP");
  EXPECT_EQ(stores_->units.Get("TRUONG_A")->valid_to(), "2024-12-31");
  EXPECT_EQ(stores_->units.Get("TRUONG_A")->successors_size(), 2);

  auto y2025 = PeriodIn(2025, v1::SUBORDINATE_UNIT, v1::OPEN);
  const int64_t id = IdOf(y2025.name());
  stores_->periods.ImportResults(
      id, {UnitTotals{"TRUONG_A_BAC", 2400, {}, false}, UnitTotals{"TRUONG_A_NAM", 1800, {}, false},
           UnitTotals{"TRUONG_B", 2100, {}, false}, UnitTotals{"TRUONG_C_MOI", 1600, {}, false}});
  std::map<std::string, v1::UnitResultDetail> by_code;
  for (auto& r : stores_->results.Results(id)) by_code[r.unit_code()] = r;
  ASSERT_EQ(by_code.size(), 4u);
  for (const auto& part : {"TRUONG_A_BAC", "TRUONG_A_NAM"}) {
    const auto& r = by_code[part];
    EXPECT_FALSE(r.has_previous()) << part;
    ASSERT_EQ(r.predecessors_size(), 1) << part;
    EXPECT_EQ(r.predecessors(0).unit_code(), "TRUONG_A");
    EXPECT_EQ(r.predecessors(0).change(), v1::SPLIT);
    EXPECT_EQ(r.predecessors(0).total(), "25.00");
    EXPECT_EQ(r.predecessors(0).rank(), 1);
  }
  const auto& b = by_code["TRUONG_B"];
  EXPECT_TRUE(b.has_previous());
  EXPECT_EQ(b.total_change(), "+1.00");
  EXPECT_EQ(b.rank(), 2);
  EXPECT_EQ(b.rank_change(), 0);
  const auto& c = by_code["TRUONG_C_MOI"];
  ASSERT_TRUE(c.has_previous());
  EXPECT_EQ(c.previous_total(), "15.00");
  EXPECT_EQ(c.total_change(), "+1.00");
  EXPECT_EQ(c.previous_rank(), 3);
  EXPECT_EQ(c.rank(), 4);
  EXPECT_EQ(c.rank_change(), -1);
  ASSERT_EQ(c.predecessors_size(), 1);
  EXPECT_EQ(c.predecessors(0).unit_code(), "TRUONG_C");
  EXPECT_EQ(c.predecessors(0).change(), v1::RENAME);
}

// An appraised unit that a change ended before 31 December is not ranked that year.
TEST_F(ScoringStoresTest, PublishingLeavesOutAnAppraisedUnitNotValidOnTheYearEnd) {
  NewUnit(stores_->units, "S_X", "\u0110\u01A1n v\u1ECB X", v1::SUBORDINATE_UNIT);
  NewUnit(stores_->units, "S_Y", "\u0110\u01A1n v\u1ECB Y", v1::SUBORDINATE_UNIT);
  auto p = PeriodIn(2026, v1::SUBORDINATE_UNIT, v1::SELF_ASSESSMENT);
  const int64_t id = IdOf(p.name());
  SelfScoreAndSubmit(p, "S_X");
  SelfScoreAndSubmit(p, "S_Y");
  stores_->periods.Advance(id, v1::SELF_ASSESSMENT);
  for (const char* unit : {"S_X", "S_Y"}) {
    SaveAppraisal(
        p, unit,
        {Appraised("1.1", "9.00"), Appraised("1.2.1", "5.00"), Appraised("1.2.2", "4.00"), Appraised("2.1", "8.00")});
    stores_->assessments.CompleteAppraisal(id, unit, "TDKT");
  }
  stores_->units.RecordChange(
      Change(v1::RENAME, "2026-10-01", {"S_Y"}, {{"S_Y_MOI", "\u0110\u01A1n v\u1ECB Y m\u1EDBi"}}), "VP");
  stores_->periods.Advance(id, v1::APPRAISAL);
  auto results = stores_->results.Results(id);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].unit_code(), "S_X");
  EXPECT_EQ(results[0].ranked_units(), 1);
  EXPECT_EQ(stores_->results.CriterionPoints(id, "S_X").size(), 4u);
}

}  // namespace
}  // namespace cchc::scoring
