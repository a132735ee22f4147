#pragma once
// Ranking (xếp hạng) of units of one kind in one period, and the comparison with the previous year.
//
// Ties: the Ministry's method does not define them (reference/par-index.md §1.5). We use dense ranking —
// equal totals share a rank and the next total gets the next rank (93.31, 92.59, 92.59, 92.53 → 1, 2, 2, 3)
// — as the public scoring software does. Units with equal totals are listed by code.
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/points.h"

namespace cchc::scoring {

struct RankInput {
  std::string unit_code;
  Centi total = 0;
};

struct PreviousResult {
  Centi total = 0;
  int rank = 0;
  int ranked_units = 0;
};

struct RankedUnit {
  std::string unit_code;
  Centi total = 0;
  int rank = 0;          // 1-based, dense
  int ranked_units = 0;  // how many were ranked
  bool has_previous = false;
  Centi previous_total = 0;
  int previous_rank = 0;
  Centi total_change = 0;  // total − previous total
  int rank_change = 0;     // previous rank − rank: 33 → 27 is +6
};

struct RankingSummary {
  int improved_units = 0;  // with a previous result whose total rose
  int compared_units = 0;  // with a previous result
  Centi average = 0;       // mean total, half-up
};

// Sorts best first (ties by code) and assigns dense ranks; `previous` (by unit code) fills the changes.
std::vector<RankedUnit> RankUnits(std::vector<RankInput> units,
                                  const std::unordered_map<std::string, PreviousResult>& previous = {});

RankingSummary Summarize(const std::vector<RankedUnit>& ranked);

// "▲6", "▼2", "=" for a rank change; "" without a previous result.
std::string RankChangeArrow(bool has_previous, int rank_change);

}  // namespace cchc::scoring
