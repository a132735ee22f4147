#include "rules/lineage.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

// The demo's lineage: Sóc Trăng, Hậu Giang and Cần Thơ became the new Cần Thơ on 1 July 2025.
std::vector<LineageLink> CanTho() {
  return {{"CAN_THO", "CAN_THO_2025", ChangeKind::kMerge, "2025-07-01"},
          {"HAU_GIANG", "CAN_THO_2025", ChangeKind::kMerge, "2025-07-01"},
          {"SOC_TRANG", "CAN_THO_2025", ChangeKind::kMerge, "2025-07-01"}};
}

TEST(Lineage, ValidityIsInclusiveAndOpenWhenEmpty) {
  EXPECT_TRUE(ValidOn("", "", "2015-12-31"));
  EXPECT_TRUE(ValidOn("", "2025-06-30", "2024-12-31"));
  EXPECT_FALSE(ValidOn("", "2025-06-30", "2025-12-31"));
  EXPECT_TRUE(ValidOn("2025-07-01", "", "2025-12-31"));
  EXPECT_FALSE(ValidOn("2025-07-01", "", "2024-12-31"));
  EXPECT_TRUE(ValidOn("2025-07-01", "2025-07-01", "2025-07-01"));
  EXPECT_EQ(YearEnd(2024), "2024-12-31");
}

TEST(Lineage, DayBeforeCrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(DayBefore("2025-07-01"), "2025-06-30");
  EXPECT_EQ(DayBefore("2025-01-01"), "2024-12-31");
  EXPECT_EQ(DayBefore("2024-03-01"), "2024-02-29");
  EXPECT_EQ(DayBefore("2025-03-01"), "2025-02-28");
  EXPECT_EQ(DayBefore("2025-02-30"), std::nullopt);
  EXPECT_EQ(DayBefore("2025-7-1"), std::nullopt);
  EXPECT_EQ(DayBefore("2025-07-01x"), std::nullopt);
}

TEST(Lineage, ChangeShapes) {
  EXPECT_EQ(CheckChangeShape(ChangeKind::kMerge, 3, 1), std::nullopt);
  EXPECT_EQ(CheckChangeShape(ChangeKind::kMerge, 1, 1), "change.predecessors: a merge joins two or more units");
  EXPECT_EQ(CheckChangeShape(ChangeKind::kMerge, 2, 2), "change.successors: a merge makes exactly one unit");
  EXPECT_EQ(CheckChangeShape(ChangeKind::kSplit, 1, 2), std::nullopt);
  EXPECT_EQ(CheckChangeShape(ChangeKind::kSplit, 2, 2), "change.predecessors: a split divides exactly one unit");
  EXPECT_EQ(CheckChangeShape(ChangeKind::kSplit, 1, 1), "change.successors: a split makes two or more units");
  EXPECT_EQ(CheckChangeShape(ChangeKind::kRename, 1, 1), std::nullopt);
  EXPECT_NE(CheckChangeShape(ChangeKind::kRename, 1, 2), std::nullopt);
  EXPECT_NE(CheckChangeShape(static_cast<ChangeKind>(9), 1, 1), std::nullopt);
}

TEST(Lineage, AMergedUnitComesFromItsPredecessorsAfterTheYearEnd) {
  auto a = AncestorsOn("CAN_THO_2025", CanTho(), "2024-12-31");
  ASSERT_EQ(a.ancestors.size(), 3u);
  EXPECT_EQ(a.ancestors[0].unit_code, "CAN_THO");
  EXPECT_EQ(a.ancestors[1].unit_code, "HAU_GIANG");
  EXPECT_EQ(a.ancestors[2].unit_code, "SOC_TRANG");
  EXPECT_EQ(a.ancestors[2].change, ChangeKind::kMerge);
  EXPECT_FALSE(a.renames_only);
  // A year later the merged unit is its own predecessor: nothing to walk.
  EXPECT_TRUE(AncestorsOn("CAN_THO_2025", CanTho(), "2025-12-31").ancestors.empty());
  // A unit untouched by any change.
  EXPECT_TRUE(AncestorsOn("DA_NANG", CanTho(), "2024-12-31").ancestors.empty());
}

TEST(Lineage, ARenameChainIsLikeWithLikeAndAMixedChainIsNot) {
  std::vector<LineageLink> links{{"A", "B", ChangeKind::kRename, "2025-03-01"},
                                 {"B", "C", ChangeKind::kRename, "2025-09-01"}};
  auto a = AncestorsOn("C", links, "2024-12-31");
  ASSERT_EQ(a.ancestors.size(), 1u);
  EXPECT_EQ(a.ancestors[0].unit_code, "A");  // through B, which no ranking held
  EXPECT_TRUE(a.renames_only);
  links.push_back({"X", "C", ChangeKind::kMerge, "2025-09-01"});
  links[1].kind = ChangeKind::kMerge;
  a = AncestorsOn("C", links, "2024-12-31");
  ASSERT_EQ(a.ancestors.size(), 2u);
  EXPECT_FALSE(a.renames_only);
}

TEST(Lineage, EachPartOfASplitComesFromTheSplitUnit) {
  std::vector<LineageLink> links{{"P", "P_NORTH", ChangeKind::kSplit, "2025-01-01"},
                                 {"P", "P_SOUTH", ChangeKind::kSplit, "2025-01-01"}};
  for (const char* part : {"P_NORTH", "P_SOUTH"}) {
    auto a = AncestorsOn(part, links, "2024-12-31");
    ASSERT_EQ(a.ancestors.size(), 1u);
    EXPECT_EQ(a.ancestors[0].unit_code, "P");
    EXPECT_EQ(a.ancestors[0].change, ChangeKind::kSplit);
    EXPECT_FALSE(a.renames_only);
  }
}

}  // namespace
}  // namespace cchc::scoring
