#include "results_publishing.h"

namespace cchc::scoring {

Publication PlanPublication(const v1::Period& period, const std::vector<UnitTotals>& totals,
                            const std::unordered_map<std::string, PreviousResult>& previous,
                            const std::map<std::string, std::string>& names) {
  std::vector<RankInput> inputs;
  std::map<std::string, bool> sample_data;
  for (const auto& t : totals) {
    inputs.push_back({t.unit_code, t.total});
    sample_data[t.unit_code] = t.sample_data;
  }
  Publication out;
  out.ranked = RankUnits(std::move(inputs), previous);
  auto summary = Summarize(out.ranked);
  v1::ResultsPublished& event = out.event;
  event.set_period(period.name());
  event.set_year(period.year());
  event.set_unit_kind(v1::UnitKind_Name(period.unit_kind()));
  event.set_improved_units(summary.improved_units);
  event.set_compared_units(summary.compared_units);
  for (const auto& r : out.ranked) {
    auto* u = event.add_results();
    u->set_unit_code(r.unit_code);
    u->set_unit_name(names.at(r.unit_code));
    u->set_total(FormatPoints(r.total));
    u->set_rank(r.rank);
    u->set_ranked_units(r.ranked_units);
    u->set_has_previous(r.has_previous);
    if (r.has_previous) {
      u->set_total_change(FormatSignedPoints(r.total_change));
      u->set_rank_change(r.rank_change);
    }
    u->set_sample_data(sample_data.at(r.unit_code));
  }
  return out;
}

}  // namespace cchc::scoring
