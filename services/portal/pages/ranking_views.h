#pragma once
// The PAR INDEX pages' views (pure): a ranking → table + SVG bar chart (templates/ranking.mustache); a unit's
// results across years → table + SVG line charts (templates/unit.mustache).
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "page.h"
#include "pages/svg_charts.h"

namespace cchc::portal::pages {

// "/chi-so-cai-cach-hanh-chinh/2015/tinh" and "/chi-so-cai-cach-hanh-chinh/don-vi/SOC_TRANG".
std::string RankingHref(int year, cchc::scoring::v1::UnitKind kind);
std::string UnitHref(const std::string& unit_code);

// One bar per result, in the ranking's order; lengths are the totals on a 0..100 scale (further when a total
// passes 100).
BarChart RankingChart(const cchc::scoring::v1::Ranking& ranking);
// "14/22 sở, ban, ngành tăng điểm so với năm 2014"; empty when no unit had a previous result.
std::string ImprovedText(const cchc::scoring::v1::Ranking& ranking);
PageContent RankingView(const cchc::scoring::v1::Ranking& ranking);

// `results`: the unit's published results, one per year, in year order.
PageContent UnitView(const cchc::scoring::v1::Unit& unit,
                     const std::vector<cchc::scoring::v1::UnitResultDetail>& results);

}  // namespace cchc::portal::pages
