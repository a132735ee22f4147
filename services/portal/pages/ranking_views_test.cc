#include "pages/ranking_views.h"

#include <gtest/gtest.h>

#include "page_test_support.h"
#include "pages/unit_kinds.h"

namespace cchc::portal::pages {
namespace {

using test_support::Count;
using test_support::Readable;

namespace sv1 = cchc::scoring::v1;

constexpr const char* kScriptAttack = "<script>alert('x')</script>";

// The 2015 province ranking's shape: 63 provinces, Sóc Trăng 27th with 86.15 (33rd in 2014), one province
// down 3 places, one first-year province without a previous result.
sv1::Ranking Provinces2015() {
  sv1::Ranking r;
  r.set_period("periods/2");
  r.set_year(2015);
  r.set_unit_kind(sv1::PROVINCE);
  r.set_average("85.11");
  r.set_improved_units(40);
  r.set_compared_units(62);
  for (int i = 1; i <= 63; ++i) {
    auto* u = r.add_results();
    u->set_rank(i);
    u->set_ranked_units(63);
    u->set_year(2015);
    u->set_unit_kind(sv1::PROVINCE);
    u->set_unit_code("P" + std::to_string(i));
    u->set_unit_name("Tỉnh " + std::to_string(i));
    u->set_total(std::to_string(95 - i / 3) + ".50");
    u->set_has_previous(i != 63);
    u->set_previous_rank(i);
    u->set_total_change("+0.10");
  }
  auto* st = r.mutable_results(26);
  st->set_unit_code("SOC_TRANG");
  st->set_unit_name("Sóc Trăng");
  st->set_total("86.15");
  st->set_total_change("+4.43");
  st->set_previous_rank(33);
  st->set_rank_change(6);
  auto* down = r.mutable_results(9);
  down->set_previous_rank(7);
  down->set_rank_change(-3);
  return r;
}

TEST(UnitKinds, SlugsMapBothWays) {
  EXPECT_EQ(UnitKindOfSlug("tinh"), sv1::PROVINCE);
  EXPECT_EQ(UnitKindOfSlug("so-nganh"), sv1::DEPARTMENT);
  EXPECT_EQ(UnitKindOfSlug("huyen"), sv1::DISTRICT);
  EXPECT_EQ(UnitKindOfSlug("don-vi"), sv1::SUBORDINATE_UNIT);
  EXPECT_EQ(UnitKindOfSlug("PROVINCE"), std::nullopt);
  for (auto k : {sv1::PROVINCE, sv1::DEPARTMENT, sv1::DISTRICT, sv1::SUBORDINATE_UNIT})
    EXPECT_EQ(UnitKindOfSlug(SlugOfUnitKind(k)), k);
}

TEST(RankingView, The2015ProvinceRankingHas63BarsAndSocTrang27th) {
  PageContent page = RankingView(Provinces2015());
  const std::string html = Readable(page.main_html);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 63u);
  EXPECT_EQ(Count(html, "<tr><td class=\"rank\">"), 63u);
  EXPECT_NE(
      html.find("<tr><td class=\"rank\">27</td><th scope=\"row\" class=\"unit\"><a "
                "href=\"/chi-so-cai-cach-hanh-chinh/don-vi/SOC_TRANG\">Sóc Trăng</a></th><td "
                "class=\"total\">86,15</td><td class=\"total-change\">+4,43</td><td "
                "class=\"previous-rank\">33</td><td class=\"rank-change up\"><span title=\"tăng 6 bậc\">▲6</span>"),
      std::string::npos)
      << html;
  EXPECT_NE(html.find("<span title=\"giảm 3 bậc\">▼3</span>"), std::string::npos);
  EXPECT_NE(html.find("40/62 tỉnh, thành phố tăng điểm so với năm 2014"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"average\">85,11</span>"), std::string::npos);
  EXPECT_NE(html.find("<title id=\"ranking-chart-title\">Chỉ số cải cách hành chính năm 2015 của các tỉnh, thành phố"
                      "</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<title>Sóc Trăng: 86,15 điểm, hạng 27/63</title>"), std::string::npos);
  EXPECT_EQ(page.title, "Chỉ số cải cách hành chính năm 2015 — tỉnh, thành phố");
  EXPECT_FALSE(page.etag_source.empty());
}

TEST(RankingView, BarLengthsFollowTheTotals) {
  BarChart chart = RankingChart(Provinces2015());
  ASSERT_EQ(chart.bars.size(), 63u);
  EXPECT_EQ(chart.bars[26].label, "27. Sóc Trăng");
  EXPECT_DOUBLE_EQ(chart.bars[26].value, 86.15);
  EXPECT_DOUBLE_EQ(chart.max_value, 100);
  EXPECT_EQ(chart.bars[26].value_text, "86,15");
}

TEST(RankingView, DepartmentsImprovedAsTheSeedSaysIt) {
  sv1::Ranking r;
  r.set_year(2015);
  r.set_unit_kind(sv1::DEPARTMENT);
  r.set_improved_units(14);
  r.set_compared_units(22);
  EXPECT_EQ(ImprovedText(r), "14/22 sở, ban, ngành tăng điểm so với năm 2014");
  r.set_compared_units(0);
  EXPECT_EQ(ImprovedText(r), "");
}

TEST(RankingView, EscapesUnitNamesInTheTableAndTheChart) {
  sv1::Ranking r = Provinces2015();
  r.mutable_results(0)->set_unit_name(kScriptAttack);
  r.mutable_results(0)->set_unit_code("A&B");
  PageContent page = RankingView(r);
  EXPECT_EQ(page.main_html.find("<script"), std::string::npos);
  EXPECT_EQ(page.main_html.find("alert('x')"), std::string::npos);
  EXPECT_EQ(Count(page.main_html, "&lt;script&gt;alert(&#39;x&#39;)&lt;"), 3u);  // table, bar label, bar title
  EXPECT_NE(Readable(page.main_html).find("don-vi/A%26B"), std::string::npos);
}

sv1::UnitResultDetail Result(int year, const std::string& total, int rank, bool has_previous, int change) {
  sv1::UnitResultDetail r;
  r.set_unit_code("SOC_TRANG");
  r.set_unit_name("Sóc Trăng");
  r.set_unit_kind(sv1::PROVINCE);
  r.set_year(year);
  r.set_total(total);
  r.set_rank(rank);
  r.set_ranked_units(63);
  r.set_has_previous(has_previous);
  r.set_rank_change(change);
  return r;
}

TEST(UnitView, PointsAndRankAcrossYearsAsLineCharts) {
  sv1::Unit unit;
  unit.set_code("SOC_TRANG");
  unit.set_display_name("Sóc Trăng");
  unit.set_kind(sv1::PROVINCE);
  PageContent page = UnitView(unit, {Result(2014, "81.72", 33, false, 0), Result(2015, "86.15", 27, true, 6)});
  const std::string html = Readable(page.main_html);
  EXPECT_EQ(Count(html, "<svg "), 2u);
  EXPECT_EQ(Count(html, "<circle class=\"point\""), 4u);
  EXPECT_NE(html.find("<title>2015: hạng 27/63</title>"), std::string::npos) << html;
  EXPECT_NE(html.find("<title>2014: 81,72 điểm</title>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"rank\">27/63</td><td class=\"rank-change up\"><span title=\"tăng 6 bậc\">▲6"),
            std::string::npos);
  EXPECT_NE(html.find("href=\"/chi-so-cai-cach-hanh-chinh/2015/tinh\""), std::string::npos);
  EXPECT_EQ(page.title, "Chỉ số cải cách hành chính: Sóc Trăng");
  ASSERT_EQ(page.breadcrumb.size(), 2u);
  EXPECT_EQ(page.breadcrumb[0].second, "/chi-so-cai-cach-hanh-chinh/2015/tinh");
}

TEST(UnitView, EscapesTheUnitNameAndSaysWhenThereAreNoResults) {
  sv1::Unit unit;
  unit.set_code("X");
  unit.set_display_name(kScriptAttack);
  unit.set_kind(sv1::DISTRICT);
  PageContent empty = UnitView(unit, {});
  EXPECT_NE(empty.main_html.find("Chưa có kết quả"), std::string::npos);
  EXPECT_EQ(empty.main_html.find("<svg"), std::string::npos);
  auto r = Result(2015, "80.00", 2, false, 0);
  r.set_unit_kind(sv1::DISTRICT);
  PageContent page = UnitView(unit, {r});
  EXPECT_EQ(page.main_html.find("<script"), std::string::npos) << page.main_html;
  EXPECT_EQ(page.main_html.find("alert('x')"), std::string::npos);
  EXPECT_NE(page.main_html.find("&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos);
}

}  // namespace
}  // namespace cchc::portal::pages
