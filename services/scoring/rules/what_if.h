#pragma once
// The what-if improvement plan (kế hoạch cải thiện): for a unit's published result, each criterion where it
// lost points, the dense rank (rules/ranking.h) it would reach by recovering all of them while every other
// unit keeps its total, and the places gained per point. Ordered by places per point, descending; ties by
// fewer lost points, then by criterion code. Exact: points in hundredths, ratios compared by cross-multiplying.
#include <string>
#include <vector>

#include "rules/points.h"

namespace cchc::scoring {

struct CriterionLoss {
  std::string code;
  Centi lost = 0;  // maximum − points; criteria with nothing lost are left out of the plan
};

struct WhatIfStep {
  std::string code;
  Centi lost = 0;
  Centi new_total = 0;
  int new_rank = 0;
  int places_gained = 0;
};

// The dense rank of `total` among `others` (the other units' totals): 1 + how many distinct totals are higher.
int DenseRankAmong(Centi total, const std::vector<Centi>& others);

// The plan for a unit with `total`, the other units' `others`, and its losses per criterion.
std::vector<WhatIfStep> PlanImprovements(Centi total, const std::vector<Centi>& others,
                                         const std::vector<CriterionLoss>& losses);

// places ÷ (lost hundredths ÷ 100) in hundredths, half-up: 3 places for 1.50 points → 200 ("2.00").
Centi GainPerPoint(int places, Centi lost);

}  // namespace cchc::scoring
