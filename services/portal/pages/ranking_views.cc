#include "pages/ranking_views.h"

#include <algorithm>

#include "pages/format.h"
#include "pages/render.h"
#include "pages/unit_kinds.h"

namespace cchc::portal::pages {
namespace {

namespace sv1 = cchc::scoring::v1;

double Points(const std::string& s) {
  auto h = ParseHundredths(s);
  return h ? static_cast<double>(*h) / 100.0 : 0.0;
}

// "tăng 6 bậc", "giảm 3 bậc", "giữ nguyên hạng": the mark's words for a screen reader.
std::string RankChangeWords(const sv1::UnitResultDetail& r) {
  if (!r.has_previous()) return "";
  if (r.rank_change() > 0) return "tăng " + std::to_string(r.rank_change()) + " bậc";
  if (r.rank_change() < 0) return "giảm " + std::to_string(-r.rank_change()) + " bậc";
  return "giữ nguyên hạng";
}

std::string ChangeClass(const sv1::UnitResultDetail& r) {
  if (!r.has_previous() || r.rank_change() == 0) return "same";
  return r.rank_change() > 0 ? "up" : "down";
}

}  // namespace

std::string RankingHref(int year, sv1::UnitKind kind) {
  return "/chi-so-cai-cach-hanh-chinh/" + std::to_string(year) + "/" + SlugOfUnitKind(kind);
}

std::string UnitHref(const std::string& unit_code) {
  return "/chi-so-cai-cach-hanh-chinh/don-vi/" + PercentEncode(unit_code);
}

BarChart RankingChart(const sv1::Ranking& ranking) {
  BarChart chart;
  chart.id = "ranking-chart";
  chart.title = "Chỉ số cải cách hành chính năm " + std::to_string(ranking.year()) + " của các " +
                UnitKindName(ranking.unit_kind());
  chart.description = std::to_string(ranking.results_size()) +
                      " đơn vị, xếp theo điểm từ cao xuống thấp; điểm trung bình " + DisplayPoints(ranking.average()) +
                      ".";
  chart.max_value = 100;
  for (const auto& r : ranking.results()) {
    Bar bar;
    bar.label = std::to_string(r.rank()) + ". " + r.unit_name();
    bar.value = Points(r.total());
    chart.max_value = std::max(chart.max_value, bar.value);
    bar.value_text = DisplayPoints(r.total());
    bar.tooltip = r.unit_name() + ": " + DisplayPoints(r.total()) + " điểm, hạng " + std::to_string(r.rank()) + "/" +
                  std::to_string(r.ranked_units());
    chart.bars.push_back(std::move(bar));
  }
  return chart;
}

std::string ImprovedText(const sv1::Ranking& ranking) {
  if (ranking.compared_units() == 0) return "";
  return std::to_string(ranking.improved_units()) + "/" + std::to_string(ranking.compared_units()) + " " +
         UnitKindName(ranking.unit_kind()) + " tăng điểm so với năm " + std::to_string(ranking.year() - 1);
}

PageContent RankingView(const sv1::Ranking& ranking) {
  mstch::array rows;
  bool any_sample = false;
  for (const auto& r : ranking.results()) {
    any_sample = any_sample || r.sample_data();
    rows.push_back(mstch::map{{"rank", std::to_string(r.rank())},
                              {"name", r.unit_name()},
                              {"href", UnitHref(r.unit_code())},
                              {"sample", r.sample_data()},
                              {"total", DisplayPoints(r.total())},
                              {"total_change", DisplayPoints(r.total_change())},
                              {"previous_rank", r.has_previous() ? std::to_string(r.previous_rank()) : std::string()},
                              {"change", RankChangeMark(r.has_previous(), r.rank_change())},
                              {"change_words", RankChangeWords(r)},
                              {"change_class", ChangeClass(r)}});
  }
  mstch::array kinds;
  for (auto kind : {sv1::PROVINCE, sv1::DEPARTMENT, sv1::DISTRICT, sv1::SUBORDINATE_UNIT})
    kinds.push_back(mstch::map{{"href", RankingHref(ranking.year(), kind)},
                               {"name", UnitKindName(kind)},
                               {"current", kind == ranking.unit_kind()}});
  const std::string kind_name = UnitKindName(ranking.unit_kind());
  mstch::map context{{"year", std::to_string(ranking.year())},
                     {"previous_year", std::to_string(ranking.year() - 1)},
                     {"kind_name", kind_name},
                     {"improved", ImprovedText(ranking)},
                     {"average", DisplayPoints(ranking.average())},
                     {"count", std::to_string(ranking.results_size())},
                     {"chart", RenderBarChart(RankingChart(ranking))},
                     {"rows", rows},
                     {"any_sample", any_sample},
                     {"kinds", kinds},
                     {"previous_href", RankingHref(ranking.year() - 1, ranking.unit_kind())}};
  PageContent page;
  page.title = "Chỉ số cải cách hành chính năm " + std::to_string(ranking.year()) + " — " + kind_name;
  page.breadcrumb = {{"Chỉ số cải cách hành chính", RankingHref(ranking.year(), sv1::PROVINCE)},
                     {std::to_string(ranking.year()) + " — " + kind_name, ""}};
  page.main_html = Render("ranking", context);
  page.etag_source = page.title + '\n' + page.main_html;
  return page;
}

PageContent UnitView(const sv1::Unit& unit, const std::vector<sv1::UnitResultDetail>& results) {
  mstch::array rows;
  LineChart points, ranks;
  points.id = "unit-points-chart";
  points.title = "Điểm chỉ số cải cách hành chính của " + unit.display_name() + " qua các năm";
  ranks.id = "unit-rank-chart";
  ranks.title = "Thứ hạng của " + unit.display_name() + " qua các năm";
  ranks.inverted = true;
  ranks.min_value = 1;
  ranks.max_value = 1;
  for (const auto& r : results) {
    rows.push_back(mstch::map{{"year", std::to_string(r.year())},
                              {"href", RankingHref(r.year(), r.unit_kind())},
                              {"total", DisplayPoints(r.total())},
                              {"total_change", DisplayPoints(r.total_change())},
                              {"rank", std::to_string(r.rank()) + "/" + std::to_string(r.ranked_units())},
                              {"change", RankChangeMark(r.has_previous(), r.rank_change())},
                              {"change_words", RankChangeWords(r)},
                              {"change_class", ChangeClass(r)},
                              {"sample", r.sample_data()}});
    const std::string year = std::to_string(r.year());
    points.points.push_back(
        {year, Points(r.total()), DisplayPoints(r.total()), year + ": " + DisplayPoints(r.total()) + " điểm"});
    points.max_value = std::max(points.max_value, Points(r.total()));
    ranks.points.push_back({year, static_cast<double>(r.rank()), std::to_string(r.rank()),
                            year + ": hạng " + std::to_string(r.rank()) + "/" + std::to_string(r.ranked_units())});
    ranks.max_value = std::max(ranks.max_value, static_cast<double>(r.ranked_units()));
  }
  points.description = "Điểm (thang 100) của " + std::to_string(results.size()) + " năm có kết quả công bố.";
  ranks.description = "Hạng 1 ở trên cùng; " + std::to_string(results.size()) + " năm có kết quả công bố.";
  const std::string kind_name = UnitKindName(unit.kind());
  mstch::map context{{"name", unit.display_name()},
                     {"code", unit.code()},
                     {"kind_name", kind_name},
                     {"has_results", !results.empty()},
                     {"rows", rows},
                     {"points_chart", results.empty() ? std::string() : RenderLineChart(points)},
                     {"rank_chart", results.empty() ? std::string() : RenderLineChart(ranks)},
                     {"sample", unit.sample_data()}};
  PageContent page;
  page.title = "Chỉ số cải cách hành chính: " + unit.display_name();
  if (!results.empty())
    page.breadcrumb.emplace_back("Chỉ số cải cách hành chính", RankingHref(results.back().year(), unit.kind()));
  page.breadcrumb.emplace_back(unit.display_name(), "");
  page.main_html = Render("unit", context);
  page.etag_source = page.title + '\n' + page.main_html;
  return page;
}

}  // namespace cchc::portal::pages
