#include "pages/svg_charts.h"

#include <algorithm>
#include <cstdio>

#include "pages/format.h"

namespace cchc::portal::pages {
namespace {

// A coordinate with one decimal, the C locale's dot whatever the process locale.
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Open(const std::string& kind, const std::string& id, double width, double height, const std::string& title,
                 const std::string& description) {
  std::string id_title = EscapeXml(id) + "-title", id_desc = EscapeXml(id) + "-desc";
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " + kind + "\" id=\"" + EscapeXml(id) +
         "\" viewBox=\"0 0 " + Num(width) + " " + Num(height) + "\" width=\"" + Num(width) + "\" height=\"" +
         Num(height) + "\" role=\"img\" aria-labelledby=\"" + id_title + " " + id_desc + "\">\n<title id=\"" +
         id_title + "\">" + EscapeXml(title) + "</title>\n<desc id=\"" + id_desc + "\">" + EscapeXml(description) +
         "</desc>\n";
}

// A scale's tick: "25" for a whole number, "12,5" otherwise.
std::string Tick(double v) {
  if (v == static_cast<double>(static_cast<long long>(v))) return std::to_string(static_cast<long long>(v));
  return DisplayPoints(Num(v));
}

}  // namespace

std::string RenderBarChart(const BarChart& chart) {
  constexpr double kLabelWidth = 230, kPlotWidth = 420, kValueWidth = 60, kRow = 20, kBar = 14, kTop = 24, kBottom = 8;
  const double width = kLabelWidth + kPlotWidth + kValueWidth;
  const double height = kTop + kRow * static_cast<double>(chart.bars.size()) + kBottom;
  const double max_value = chart.max_value > 0 ? chart.max_value : 1;
  std::string svg = Open("bar-chart", chart.id, width, height, chart.title, chart.description);
  svg += "<g class=\"grid\" aria-hidden=\"true\">\n";
  for (int q = 0; q <= 4; ++q) {
    double x = kLabelWidth + kPlotWidth * q / 4.0;
    svg += "<line x1=\"" + Num(x) + "\" y1=\"" + Num(kTop - 4) + "\" x2=\"" + Num(x) + "\" y2=\"" +
           Num(height - kBottom) + "\" stroke=\"#d0d7de\" stroke-width=\"1\"/>";
    svg += "<text x=\"" + Num(x) + "\" y=\"" + Num(kTop - 8) + "\" font-size=\"11\" text-anchor=\"middle\">" +
           Tick(max_value * q / 4.0) + "</text>\n";
  }
  svg += "</g>\n";
  for (size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    double y = kTop + kRow * static_cast<double>(i);
    double length = std::clamp(bar.value / max_value, 0.0, 1.0) * kPlotWidth;
    svg += "<g class=\"bar-row\"><title>" + EscapeXml(bar.tooltip) + "</title>";
    svg += "<text class=\"label\" x=\"" + Num(kLabelWidth - 6) + "\" y=\"" + Num(y + kBar - 3) +
           "\" font-size=\"12\" text-anchor=\"end\">" + EscapeXml(bar.label) + "</text>";
    svg += "<rect class=\"bar\" x=\"" + Num(kLabelWidth) + "\" y=\"" + Num(y) + "\" width=\"" + Num(length) +
           "\" height=\"" + Num(kBar) + "\" fill=\"#1f6feb\"/>";
    svg += "<text class=\"value\" x=\"" + Num(kLabelWidth + length + 4) + "\" y=\"" + Num(y + kBar - 3) +
           "\" font-size=\"11\">" + EscapeXml(bar.value_text) + "</text></g>\n";
  }
  return svg + "</svg>";
}

std::string RenderLineChart(const LineChart& chart) {
  constexpr double kWidth = 640, kHeight = 260, kLeft = 48, kRight = 24, kTop = 24, kBottom = 36;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double span = chart.max_value > chart.min_value ? chart.max_value - chart.min_value : 1;
  auto y_of = [&](double v) {
    double f = std::clamp((v - chart.min_value) / span, 0.0, 1.0);
    return chart.inverted ? kTop + f * plot_h : kTop + (1 - f) * plot_h;
  };
  const size_t n = chart.points.size();
  auto x_of = [&](size_t i) {
    return n <= 1 ? kLeft + plot_w / 2 : kLeft + plot_w * static_cast<double>(i) / static_cast<double>(n - 1);
  };
  std::string svg = Open("line-chart", chart.id, kWidth, kHeight, chart.title, chart.description);
  svg += "<g class=\"axis\" aria-hidden=\"true\"><line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop + plot_h) +
         "\" x2=\"" + Num(kLeft + plot_w) + "\" y2=\"" + Num(kTop + plot_h) +
         "\" stroke=\"#57606a\" stroke-width=\"1\"/><line x1=\"" + Num(kLeft) + "\" y1=\"" + Num(kTop) + "\" x2=\"" +
         Num(kLeft) + "\" y2=\"" + Num(kTop + plot_h) + "\" stroke=\"#57606a\" stroke-width=\"1\"/>";
  for (double v : {chart.min_value, chart.max_value})
    svg += "<text x=\"" + Num(kLeft - 6) + "\" y=\"" + Num(y_of(v) + 4) + "\" font-size=\"11\" text-anchor=\"end\">" +
           Tick(v) + "</text>";
  svg += "</g>\n";
  std::string line;
  for (size_t i = 0; i < n; ++i) line += (i ? " " : "") + Num(x_of(i)) + "," + Num(y_of(chart.points[i].value));
  if (n > 1)
    svg += "<polyline class=\"line\" points=\"" + line + "\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>\n";
  for (size_t i = 0; i < n; ++i) {
    const LinePoint& p = chart.points[i];
    double x = x_of(i), y = y_of(p.value);
    svg += "<g class=\"point-group\"><title>" + EscapeXml(p.tooltip) + "</title><circle class=\"point\" cx=\"" +
           Num(x) + "\" cy=\"" + Num(y) + "\" r=\"4\" fill=\"#1f6feb\"/><text class=\"value\" x=\"" + Num(x) +
           "\" y=\"" + Num(y - 8) + "\" font-size=\"11\" text-anchor=\"middle\">" + EscapeXml(p.value_text) +
           "</text><text class=\"label\" x=\"" + Num(x) + "\" y=\"" + Num(kHeight - 12) +
           "\" font-size=\"11\" text-anchor=\"middle\">" + EscapeXml(p.label) + "</text></g>\n";
  }
  return svg + "</svg>";
}

}  // namespace cchc::portal::pages
