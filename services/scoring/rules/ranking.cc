#include "rules/ranking.h"

#include <algorithm>

namespace cchc::scoring {

std::vector<RankedUnit> RankUnits(std::vector<RankInput> units,
                                  const std::unordered_map<std::string, PreviousResult>& previous) {
  std::sort(units.begin(), units.end(), [](const RankInput& a, const RankInput& b) {
    return a.total != b.total ? a.total > b.total : a.unit_code < b.unit_code;
  });
  std::vector<RankedUnit> out;
  out.reserve(units.size());
  int rank = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    if (i == 0 || units[i].total != units[i - 1].total) ++rank;
    RankedUnit r;
    r.unit_code = std::move(units[i].unit_code);
    r.total = units[i].total;
    r.rank = rank;
    r.ranked_units = static_cast<int>(units.size());
    if (auto it = previous.find(r.unit_code); it != previous.end()) {
      r.has_previous = true;
      r.previous_total = it->second.total;
      r.previous_rank = it->second.rank;
      r.total_change = r.total - r.previous_total;
      r.rank_change = r.previous_rank - r.rank;
    }
    out.push_back(std::move(r));
  }
  return out;
}

RankingSummary Summarize(const std::vector<RankedUnit>& ranked) {
  RankingSummary s;
  Centi sum = 0;
  for (const auto& r : ranked) {
    sum += r.total;
    if (!r.has_previous) continue;
    ++s.compared_units;
    if (r.total_change > 0) ++s.improved_units;
  }
  s.average = MeanOf(sum, static_cast<int64_t>(ranked.size()));
  return s;
}

std::string RankChangeArrow(bool has_previous, int rank_change) {
  if (!has_previous) return "";
  if (rank_change > 0) return "▲" + std::to_string(rank_change);
  if (rank_change < 0) return "▼" + std::to_string(-rank_change);
  return "=";
}

}  // namespace cchc::scoring
