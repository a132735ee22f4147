#pragma once
// Publishing a period's results (công bố kết quả), the use case: rank the units' totals against the previous
// year's and build the ResultsPublished event. Pure; the period store runs it inside the publishing transaction
// (store/periods.h) and writes what it returns.
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/results.h"

namespace cchc::scoring {

// Dense ranks of `totals` (rules/ranking.h) with their changes against `previous` (by unit code), and the event
// that announces them: period, year, kind, how many units improved, and each ranked unit with its display name
// from `names` (by unit code; every unit of `totals` must be there).
Publication PlanPublication(const v1::Period& period, const std::vector<UnitTotals>& totals,
                            const std::unordered_map<std::string, PreviousResult>& previous,
                            const std::map<std::string, std::string>& names);

}  // namespace cchc::scoring
