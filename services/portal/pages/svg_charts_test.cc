#include "pages/svg_charts.h"

#include <gtest/gtest.h>

#include <regex>

#include "page_test_support.h"

namespace cchc::portal::pages {
namespace {

using test_support::Count;

// The width="…" of every <rect class="bar">, in order.
std::vector<double> BarWidths(const std::string& svg) {
  std::vector<double> out;
  std::regex bar(R"re(<rect class="bar" [^>]*width="([0-9.]+)")re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), bar), end; it != end; ++it)
    out.push_back(std::stod((*it)[1].str()));
  return out;
}

BarChart Sample(size_t n) {
  BarChart chart;
  chart.id = "c";
  chart.title = "Chỉ số CCHC 2015";
  chart.description = "d";
  for (size_t i = 0; i < n; ++i)
    chart.bars.push_back({"Đơn vị " + std::to_string(i), 100.0 * static_cast<double>(n - i) / static_cast<double>(n),
                          std::to_string(i), "t"});
  return chart;
}

TEST(BarChartSvg, OneBarPerUnitWithAnAccessibleTitle) {
  std::string svg = RenderBarChart(Sample(63));
  EXPECT_EQ(Count(svg, "<rect class=\"bar\""), 63u);
  EXPECT_EQ(Count(svg, "<rect"), 63u);  // no other rectangles
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"c-title c-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"c-title\">Chỉ số CCHC 2015</title>"), std::string::npos);
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  EXPECT_EQ(svg.find("style"), std::string::npos);  // the CSP forbids inline styles
}

TEST(BarChartSvg, SizesComeFromTheData) {
  BarChart chart = Sample(0);
  chart.bars = {
      {"a", 100, "100", ""}, {"b", 50, "50", ""}, {"c", 0, "0", ""}, {"d", 150, "150", ""}, {"e", -5, "-5", ""}};
  std::string svg = RenderBarChart(chart);
  auto widths = BarWidths(svg);
  ASSERT_EQ(widths.size(), 5u);
  EXPECT_GT(widths[0], 0);
  EXPECT_DOUBLE_EQ(widths[1], widths[0] / 2);
  EXPECT_DOUBLE_EQ(widths[2], 0);
  EXPECT_DOUBLE_EQ(widths[3], widths[0]);  // clamped to the plot
  EXPECT_DOUBLE_EQ(widths[4], 0);
  // The height grows with the number of bars.
  std::smatch m10, m20;
  std::string s10 = RenderBarChart(Sample(10)), s20 = RenderBarChart(Sample(20));
  std::regex height(R"re(<svg [^>]*height="([0-9.]+)")re");
  ASSERT_TRUE(std::regex_search(s10, m10, height));
  ASSERT_TRUE(std::regex_search(s20, m20, height));
  EXPECT_DOUBLE_EQ(std::stod(m20[1].str()) - std::stod(m10[1].str()), 10 * 20.0);
}

TEST(BarChartSvg, EscapesLabelsTitlesAndTooltips) {
  BarChart chart;
  chart.id = "x";
  chart.title = "<script>alert(1)</script>";
  chart.description = "a & b";
  chart.bars = {{"<img src=x onerror=alert(1)>", 10, "\"><b>", "' onload='x"}};
  std::string svg = RenderBarChart(chart);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("<img"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(svg.find("' onload"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(svg.find("a &amp; b"), std::string::npos);
}

TEST(LineChartSvg, OnePointPerYearAndInvertedRanks) {
  LineChart chart;
  chart.id = "r";
  chart.title = "Hạng <qua> các năm";
  chart.inverted = true;
  chart.min_value = 1;
  chart.max_value = 63;
  chart.points = {{"2014", 33, "33", "2014: hạng 33"}, {"2015", 27, "27", "2015: hạng 27"}, {"2016", 1, "1", "x"}};
  std::string svg = RenderLineChart(chart);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 3u);
  EXPECT_EQ(Count(svg, "<polyline"), 1u);
  EXPECT_NE(svg.find("Hạng &lt;qua&gt; các năm"), std::string::npos);
  std::regex cy(R"re(<circle class="point" cx="([0-9.]+)" cy="([0-9.]+)")re");
  std::vector<double> ys, xs;
  for (std::sregex_iterator it(svg.begin(), svg.end(), cy), end; it != end; ++it) {
    xs.push_back(std::stod((*it)[1].str()));
    ys.push_back(std::stod((*it)[2].str()));
  }
  ASSERT_EQ(ys.size(), 3u);
  EXPECT_LT(xs[0], xs[1]);
  EXPECT_LT(xs[1], xs[2]);
  EXPECT_GT(ys[0], ys[1]);  // rank 33 lower on the chart than rank 27
  EXPECT_GT(ys[1], ys[2]);  // rank 1 on top
}

TEST(LineChartSvg, OnePointHasNoLine) {
  LineChart chart;
  chart.id = "p";
  chart.points = {{"2015", 86.15, "86,15", "2015"}};
  std::string svg = RenderLineChart(chart);
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 1u);
  EXPECT_EQ(svg.find("<polyline"), std::string::npos);
}

}  // namespace
}  // namespace cchc::portal::pages
