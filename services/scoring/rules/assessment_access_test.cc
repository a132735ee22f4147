#include "rules/assessment_access.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

auth::Principal Of(const std::string& unit, std::set<auth::Role> roles) {
  return {unit, std::move(roles)};
}

TEST(AssessmentAccess, BeforePublicationOnlyTheUnitsScorersOtherUnitsAppraisersAndAdmin) {
  for (auto state : {v1::OPEN, v1::SELF_ASSESSMENT, v1::APPRAISAL}) {
    SCOPED_TRACE(v1::PeriodState_Name(state));
    EXPECT_TRUE(MayReadAssessment(Of("SGDDT", {auth::Role::kScorer}), "SGDDT", state));
    EXPECT_TRUE(MayReadAssessment(Of("SNV", {auth::Role::kAppraiser}), "SGDDT", state));
    EXPECT_TRUE(MayReadAssessment(Of("SNV", {auth::Role::kAdmin}), "SGDDT", state));
    EXPECT_FALSE(MayReadAssessment(Of("PUBLIC", {auth::Role::kReader}), "SGDDT", state));
    EXPECT_FALSE(MayReadAssessment(Of("SGDDT", {auth::Role::kReader}), "SGDDT", state));  // same unit, not a scorer
    EXPECT_FALSE(MayReadAssessment(Of("SGDDT", {auth::Role::kEditor, auth::Role::kModerator}), "SGDDT", state));
    EXPECT_FALSE(MayReadAssessment(Of("STP", {auth::Role::kScorer}), "SGDDT", state));       // another unit's scorer
    EXPECT_FALSE(MayReadAssessment(Of("SGDDT", {auth::Role::kAppraiser}), "SGDDT", state));  // its own unit
  }
}

TEST(AssessmentAccess, FromPublicationEveryReader) {
  for (auto state : {v1::PUBLISHED, v1::CLOSED}) {
    EXPECT_TRUE(MayReadAssessment(Of("PUBLIC", {auth::Role::kReader}), "SGDDT", state));
    EXPECT_TRUE(MayReadAssessment(Of("STP", {auth::Role::kScorer}), "SGDDT", state));
  }
}

TEST(AssessmentAccess, UnknownStatesAreNotPublished) {
  EXPECT_FALSE(MayReadAssessment(Of("PUBLIC", {auth::Role::kReader}), "SGDDT", v1::PERIOD_STATE_UNSPECIFIED));
  EXPECT_FALSE(MayReadAssessment(Of("PUBLIC", {auth::Role::kReader}), "SGDDT", static_cast<v1::PeriodState>(42)));
}

}  // namespace
}  // namespace cchc::scoring
