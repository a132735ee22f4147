#include "rules/what_if.h"

#include <algorithm>
#include <functional>

namespace cchc::scoring {
namespace {

// Distinct totals, highest first.
std::vector<Centi> DistinctDescending(std::vector<Centi> totals) {
  std::sort(totals.begin(), totals.end(), std::greater<>());
  totals.erase(std::unique(totals.begin(), totals.end()), totals.end());
  return totals;
}

int RankIn(Centi total, const std::vector<Centi>& distinct_desc) {
  auto higher = std::lower_bound(distinct_desc.begin(), distinct_desc.end(), total, std::greater<>());
  return static_cast<int>(higher - distinct_desc.begin()) + 1;
}

}  // namespace

int DenseRankAmong(Centi total, const std::vector<Centi>& others) {
  return RankIn(total, DistinctDescending(others));
}

std::vector<WhatIfStep> PlanImprovements(Centi total, const std::vector<Centi>& others,
                                         const std::vector<CriterionLoss>& losses) {
  auto distinct = DistinctDescending(others);
  int rank = RankIn(total, distinct);
  std::vector<WhatIfStep> steps;
  for (const auto& l : losses) {
    if (l.lost <= 0) continue;
    WhatIfStep s{l.code, l.lost, total + l.lost, 0, 0};
    s.new_rank = RankIn(s.new_total, distinct);
    s.places_gained = rank - s.new_rank;
    steps.push_back(std::move(s));
  }
  std::sort(steps.begin(), steps.end(), [](const WhatIfStep& a, const WhatIfStep& b) {
    // a.places / a.lost > b.places / b.lost, without division (both lost > 0; places × lost stays far below 2^63).
    int64_t left = static_cast<int64_t>(a.places_gained) * b.lost;
    int64_t right = static_cast<int64_t>(b.places_gained) * a.lost;
    if (left != right) return left > right;
    if (a.lost != b.lost) return a.lost < b.lost;
    return a.code < b.code;
  });
  return steps;
}

Centi GainPerPoint(int places, Centi lost) {
  if (lost <= 0) return 0;
  // places / (lost / 100) × 100 = places × 10000 / lost, rounded half-up.
  int64_t scaled = static_cast<int64_t>(places) * 10000;
  return static_cast<Centi>((2 * scaled + lost) / (2 * lost));
}

}  // namespace cchc::scoring
