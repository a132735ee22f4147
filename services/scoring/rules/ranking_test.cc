#include "rules/ranking.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

TEST(Ranking, EqualTotalsShareARankAndTheNextRankFollowsDensely) {
  auto ranked = RankUnits({{"DONG_NAI", 9253}, {"DA_NANG", 9331}, {"HAI_PHONG", 9259}, {"B_TIE", 9259}});
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].unit_code, "DA_NANG");
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].unit_code, "B_TIE");  // ties listed by code
  EXPECT_EQ(ranked[1].rank, 2);
  EXPECT_EQ(ranked[2].unit_code, "HAI_PHONG");
  EXPECT_EQ(ranked[2].rank, 2);
  EXPECT_EQ(ranked[3].rank, 3);  // dense: not 4
  for (const auto& r : ranked) EXPECT_EQ(r.ranked_units, 4);
}

TEST(Ranking, YearOverYearChangesInPointsAndPlaces) {
  std::unordered_map<std::string, PreviousResult> previous{{"SOC_TRANG", {8172, 33}}, {"MY_XUYEN", {7000, 8}}};
  auto ranked = RankUnits({{"SOC_TRANG", 8615}, {"MY_XUYEN", 6900}, {"NEW", 9000}}, previous);
  const RankedUnit& st = ranked[1];
  EXPECT_EQ(st.unit_code, "SOC_TRANG");
  EXPECT_TRUE(st.has_previous);
  EXPECT_EQ(FormatSignedPoints(st.total_change), "+4.43");
  EXPECT_EQ(st.rank_change, 33 - 2);
  EXPECT_EQ(ranked[2].rank_change, 8 - 3);
  EXPECT_EQ(FormatSignedPoints(ranked[2].total_change), "-1.00");
  EXPECT_FALSE(ranked[0].has_previous);
  EXPECT_EQ(ranked[0].rank_change, 0);
}

TEST(Ranking, SummaryCountsUnitsWhoseTotalRoseAmongThoseCompared) {
  std::unordered_map<std::string, PreviousResult> previous{{"A", {5000, 1}}, {"B", {5000, 1}}, {"C", {5000, 1}}};
  auto ranked = RankUnits({{"A", 5100}, {"B", 5000}, {"C", 4900}, {"D", 8000}}, previous);
  auto s = Summarize(ranked);
  EXPECT_EQ(s.improved_units, 1);  // B stayed level: not improved
  EXPECT_EQ(s.compared_units, 3);  // D has no previous result
  EXPECT_EQ(FormatPoints(s.average), "57.50");
}

TEST(Ranking, Arrows) {
  EXPECT_EQ(RankChangeArrow(true, 6), "▲6");
  EXPECT_EQ(RankChangeArrow(true, -2), "▼2");
  EXPECT_EQ(RankChangeArrow(true, 0), "=");
  EXPECT_EQ(RankChangeArrow(false, 0), "");
}

TEST(Ranking, EmptyInputRanksNothing) {
  EXPECT_TRUE(RankUnits({}).empty());
  EXPECT_EQ(Summarize({}).average, 0);
}

}  // namespace
}  // namespace cchc::scoring
