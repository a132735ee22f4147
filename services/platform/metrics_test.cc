#include "metrics.h"

#include <gtest/gtest.h>

namespace cchc::metrics {
namespace {

TEST(Registry, RendersCountersGaugesAndHistogramsInTextFormat) {
  Registry r;
  r.AddCounter("requests_total", "Requests", {"method", "code"}).WithLabels({"Get", "OK"}).Increment(3);
  r.AddGauge("queue_depth", "Depth").WithLabels({}).Set(2.5);
  auto& h = r.AddHistogram("latency_seconds", "Latency", {"m"}, {0.1, 1}).WithLabels({"x"});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  std::string text = r.Render();
  EXPECT_NE(text.find("# TYPE requests_total counter\nrequests_total{method=\"Get\",code=\"OK\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("queue_depth 2.5\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"0.10000000000000001\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count{m=\"x\"} 3\n"), std::string::npos);
}

TEST(Registry, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(Registry, SameNameTwiceReturnsTheSameFamily) {
  Registry r;
  auto& a = r.AddCounter("x_total", "X");
  auto& b = r.AddCounter("x_total", "X");
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(r.AddGauge("x_total", "X"), std::logic_error);
}

}  // namespace
}  // namespace cchc::metrics
