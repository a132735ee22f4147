#include "rules/score.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

std::vector<Leaf> Sheet() {
  return {{"1.1", "Kế hoạch", "1", 250, v1::RANGE, true},
          {"1.2", "Ban hành đúng hạn", "1", 100, v1::YES_NO, false},
          {"2.1", "Khảo sát", "2", 500, v1::SURVEY, false}};
}

v1::Score Self(const std::string& code, const std::string& points) {
  v1::Score s;
  s.set_criterion_code(code);
  s.set_self_points(points);
  return s;
}

FieldError SelfError(std::vector<v1::Score> given) {
  Scores scores(given.begin(), given.end());
  auto e = ValidateSelfScores(Sheet(), &scores);
  return e.value_or(FieldError{"", "no error"});
}

TEST(ScoreRules, SelfScoresWithinTheirMaximaAreNormalised) {
  Scores scores;
  *scores.Add() = Self("1.1", "2.5");
  *scores.Add() = Self("1.2", "0");
  ASSERT_FALSE(ValidateSelfScores(Sheet(), &scores));
  EXPECT_EQ(scores[0].self_points(), "2.50");
  EXPECT_EQ(scores[1].self_points(), "0.00");
}

TEST(ScoreRules, TheBadInputTableNamesTheField) {
  EXPECT_EQ(SelfError({Self("1.1", "2.51")}).field, "scores[0].self_points");  // over the maximum
  EXPECT_NE(SelfError({Self("1.1", "2.51")}).description.find("exceeds the maximum 2.50"), std::string::npos);
  EXPECT_EQ(SelfError({Self("1.1", "-1")}).field, "scores[0].self_points");  // negative
  EXPECT_NE(SelfError({Self("1.1", "-1")}).description.find("negative"), std::string::npos);
  EXPECT_EQ(SelfError({Self("1.1", "1.234")}).field, "scores[0].self_points");
  EXPECT_EQ(SelfError({Self("1.1", "NaN")}).field, "scores[0].self_points");
  EXPECT_EQ(SelfError({Self("1.1", "1"), Self("9.9", "1")}).field, "scores[1].criterion_code");  // unknown
  EXPECT_EQ(SelfError({Self("1.1", "1"), Self("1.1", "1")}).field, "scores[1].criterion_code");  // twice
  EXPECT_EQ(SelfError({Self("1.2", "0.5")}).field, "scores[0].self_points");                     // yes/no
  EXPECT_EQ(SelfError({Self("2.1", "1")}).field, "scores[0].self_points");                       // survey
  EXPECT_EQ(SelfError({}).field, "scores");
}

TEST(ScoreRules, SubmissionNeedsEveryNonSurveyCriterionAndRequiredEvidence) {
  std::map<std::string, v1::Score> stored{{"1.1", Self("1.1", "2.00")}};
  auto e = MissingForSubmission(Sheet(), stored);
  ASSERT_TRUE(e);
  EXPECT_NE(e->description.find("1.1 requires evidence"), std::string::npos);
  stored["1.1"].add_evidence_document_codes("998/QĐ-SGDĐT");
  e = MissingForSubmission(Sheet(), stored);
  ASSERT_TRUE(e);
  EXPECT_NE(e->description.find("1.2 is not self-scored"), std::string::npos);
  stored["1.2"] = Self("1.2", "1.00");
  EXPECT_FALSE(MissingForSubmission(Sheet(), stored));  // 2.1 is the survey's
}

TEST(ScoreRules, AppraisalNeedsEveryCriterionAndSumsPerField) {
  std::map<std::string, v1::Score> stored{{"1.1", Self("1.1", "2.00")}, {"1.2", Self("1.2", "1.00")}};
  stored["1.1"].set_appraised_points("1.75");
  stored["1.2"].set_appraised_points("1.00");
  EXPECT_TRUE(MissingForAppraisal(Sheet(), stored));
  stored["2.1"].set_appraised_points("4.30");
  EXPECT_FALSE(MissingForAppraisal(Sheet(), stored));
  auto self = SumScores(Sheet(), stored, false);
  EXPECT_EQ(self.total, 300);
  auto appraised = SumScores(Sheet(), stored, true);
  EXPECT_EQ(appraised.total, 705);
  EXPECT_EQ(appraised.by_field["1"], 275);
  EXPECT_EQ(appraised.by_field["2"], 430);
}

TEST(ScoreRules, AppraisalMayNotTouchTheUnitsEntries) {
  Scores scores;
  auto* s = scores.Add();
  s->set_criterion_code("2.1");
  s->set_appraised_points("5");
  ASSERT_FALSE(ValidateAppraisalScores(Sheet(), &scores));
  EXPECT_EQ(scores[0].appraised_points(), "5.00");
  s->set_self_points("1");
  EXPECT_EQ(ValidateAppraisalScores(Sheet(), &scores)->field, "scores[0].self_points");
  s->clear_self_points();
  s->set_appraised_points("5.01");
  EXPECT_EQ(ValidateAppraisalScores(Sheet(), &scores)->field, "scores[0].appraised_points");
}

}  // namespace
}  // namespace cchc::scoring
