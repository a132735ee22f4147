#include "rules/what_if.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "rules/ranking.h"

namespace cchc::scoring {
namespace {

TEST(WhatIf, DenseRankAmongOthers) {
  EXPECT_EQ(DenseRankAmong(9000, {}), 1);
  EXPECT_EQ(DenseRankAmong(9000, {9100, 9100, 8000}), 2);  // equal totals are one rank above
  EXPECT_EQ(DenseRankAmong(9100, {9100, 9200}), 2);        // a tie shares the rank
}

TEST(WhatIf, OrderedByPlacesPerPointThenFewerPoints) {
  // The unit has 80.00 and is 5th behind 90, 85, 82, 80.50.
  std::vector<Centi> others{9000, 8500, 8200, 8050};
  auto plan = PlanImprovements(8000, others,
                               {{"1.1", 100}, {"2.1", 250}, {"3.1", 0}, {"4.1", 60}, {"5.1", 1100}, {"6.1", 500}});
  ASSERT_EQ(plan.size(), 5u);  // 3.1 lost nothing
  // 4.1: 80.60 passes 80.50 → 1 place for 0.60 (1.67/pt); 1.1: 81.00 → 1 place for 1.00 (1/pt);
  // 2.1: 82.50 → 2 places for 2.50 (0.80/pt); 6.1: 85.00 ties 85, 2nd → 3 places for 5.00 (0.60/pt);
  // 5.1: 91.00 → 1st, 4 places for 11.00 (0.36/pt).
  EXPECT_EQ(plan[0].code, "4.1");
  EXPECT_EQ(plan[0].new_rank, 4);
  EXPECT_EQ(plan[0].places_gained, 1);
  EXPECT_EQ(plan[1].code, "1.1");
  EXPECT_EQ(plan[2].code, "2.1");
  EXPECT_EQ(plan[2].new_rank, 3);
  EXPECT_EQ(plan[3].code, "6.1");
  EXPECT_EQ(plan[3].new_rank, 2);
  EXPECT_EQ(plan[3].places_gained, 3);
  EXPECT_EQ(plan[4].code, "5.1");
  EXPECT_EQ(plan[4].new_rank, 1);
  EXPECT_EQ(plan[4].new_total, 9100);
  EXPECT_EQ(GainPerPoint(1, 60), 167);
  EXPECT_EQ(GainPerPoint(3, 500), 60);
  EXPECT_EQ(GainPerPoint(4, 1100), 36);
  EXPECT_EQ(GainPerPoint(0, 100), 0);
}

TEST(WhatIf, EqualRatiosGoToFewerPoints) {
  auto plan = PlanImprovements(5000, {5100, 5200, 5300, 5400}, {{"b", 400}, {"a", 200}, {"c", 200}});
  ASSERT_EQ(plan.size(), 3u);
  // a and c: 52.00 ties 52 → 2 places for 2.00 (1/pt); b: 54.00 ties 54 → 4 places for 4.00 (1/pt).
  EXPECT_EQ(plan[0].code, "a");
  EXPECT_EQ(plan[1].code, "c");
  EXPECT_EQ(plan[2].code, "b");
}

// Brute force: for each criterion rebuild the whole ranking with the unit's new total (RankUnits, the
// ranking the service publishes) and order by the ratio in floating point (IEEE division is correctly
// rounded, so equal ratios of these small integers compare equal).
TEST(WhatIf, MatchesABruteForceRecomputationOnRandomData) {
  std::mt19937 rng(29);
  for (int round = 0; round < 300; ++round) {
    int n = std::uniform_int_distribution<int>(1, 40)(rng);
    std::uniform_int_distribution<Centi> totals(std::uniform_int_distribution<Centi>(0, 5000)(rng), 10000);
    std::vector<Centi> others;
    std::vector<RankInput> base;
    for (int i = 0; i < n; ++i) {
      Centi t = round % 3 == 0 ? totals(rng) / 100 * 100 : totals(rng);  // many ties on whole points
      others.push_back(t);
      base.push_back({"U" + std::to_string(i), t});
    }
    Centi mine = totals(rng);
    std::vector<CriterionLoss> losses;
    int criteria = std::uniform_int_distribution<int>(0, 25)(rng);
    for (int c = 0; c < criteria; ++c)
      losses.push_back({"C" + std::to_string(c),
                        std::uniform_int_distribution<Centi>(0, 600)(rng) / (c % 2 ? 50 : 1) * (c % 2 ? 50 : 1)});

    auto rank_of = [&](Centi total) {
      auto all = base;
      all.push_back({"ME", total});
      for (const auto& r : RankUnits(all))
        if (r.unit_code == "ME") return r.rank;
      return -1;
    };
    int rank = rank_of(mine);
    struct Expected {
      std::string code;
      Centi lost;
      int new_rank;
      double ratio;
    };
    std::vector<Expected> expected;
    for (const auto& l : losses) {
      if (l.lost == 0) continue;
      int r = rank_of(mine + l.lost);
      expected.push_back({l.code, l.lost, r, static_cast<double>(rank - r) / static_cast<double>(l.lost)});
    }
    std::sort(expected.begin(), expected.end(), [](const Expected& a, const Expected& b) {
      if (a.ratio != b.ratio) return a.ratio > b.ratio;
      if (a.lost != b.lost) return a.lost < b.lost;
      return a.code < b.code;
    });

    auto plan = PlanImprovements(mine, others, losses);
    ASSERT_EQ(plan.size(), expected.size()) << "round " << round;
    EXPECT_EQ(DenseRankAmong(mine, others), rank);
    for (size_t i = 0; i < plan.size(); ++i) {
      SCOPED_TRACE("round " + std::to_string(round) + " step " + std::to_string(i));
      EXPECT_EQ(plan[i].code, expected[i].code);
      EXPECT_EQ(plan[i].lost, expected[i].lost);
      EXPECT_EQ(plan[i].new_total, mine + expected[i].lost);
      EXPECT_EQ(plan[i].new_rank, expected[i].new_rank);
      EXPECT_EQ(plan[i].places_gained, rank - expected[i].new_rank);
    }
  }
}

}  // namespace
}  // namespace cchc::scoring
