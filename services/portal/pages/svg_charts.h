#pragma once
// Charts drawn on the server as inline SVG (no JavaScript, no style attributes: the portal's CSP forbids inline
// styles): a horizontal bar chart (one bar per unit of a ranking) and a line chart (a unit across years).
// Pure functions: every label is escaped, every size comes from the data, each chart has an accessible <title>
// and <desc> (role="img", aria-labelledby) and each bar or point a <title> of its own (the tooltip).
#include <string>
#include <vector>

namespace cchc::portal::pages {

struct Bar {
  std::string label;       // the unit's name, untrusted
  double value = 0;        // the bar's length in the chart's units
  std::string value_text;  // shown after the bar ("86,15")
  std::string tooltip;     // the bar's <title>
};

struct BarChart {
  std::string id;           // the element id prefix, [a-z0-9-] (the caller's constant)
  std::string title;        // the chart's <title>
  std::string description;  // its <desc>
  double max_value = 100;   // the scale's end (a bar of this value fills the plot)
  std::vector<Bar> bars;    // drawn in order, top to bottom
};

// <svg class="chart bar-chart">: one <rect class="bar"> per bar, its width value / max_value of the plot (at
// least 0, at most the plot), the label in a left column, the value after the bar, gridlines at quarters.
std::string RenderBarChart(const BarChart& chart);

struct LinePoint {
  std::string label;  // the x-axis label ("2015")
  double value = 0;
  std::string value_text;  // written beside the point
  std::string tooltip;
};

struct LineChart {
  std::string id;
  std::string title;
  std::string description;
  double min_value = 0;  // the bottom of the scale (the top when inverted)
  double max_value = 100;
  bool inverted = false;          // rank: 1 on top
  std::vector<LinePoint> points;  // in x order, evenly spaced
};

// <svg class="chart line-chart">: a <polyline class="line"> through one <circle class="point"> per point.
std::string RenderLineChart(const LineChart& chart);

}  // namespace cchc::portal::pages
