#include "metrics.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

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

// A scrape runs on the metrics server's thread while a starting service still adds families: it sees each
// family whole or not at all (it once found one without its counters and crashed the service).
TEST(Registry, AScrapeWhileFamiliesAreAddedSeesThemWhole) {
  Registry r;
  std::atomic<bool> done{false};
  std::atomic<int> scrapes{0};
  std::thread scraper([&] {
    while (!done) {
      std::string text = r.Render();
      ++scrapes;
      std::this_thread::sleep_for(std::chrono::microseconds(50));  // let the adds take the lock too
    }
  });
  while (scrapes == 0) std::this_thread::yield();  // adds from here on overlap scrapes
  int i = 0;
  for (; i < 300 || (scrapes < 20 && i < 5000); ++i) {
    r.AddCounter("c" + std::to_string(i) + "_total", "C", {"k"}).WithLabels({"v"}).Increment();
    r.AddGauge("g" + std::to_string(i), "G").WithLabels({}).Set(i);
    r.AddHistogram("h" + std::to_string(i) + "_seconds", "H", {}, {1}).WithLabels({}).Observe(0.5);
  }
  done = true;
  scraper.join();
  std::string text = r.Render();
  EXPECT_NE(text.find("c0_total{k=\"v\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("h" + std::to_string(i - 1) + "_seconds_count 1\n"), std::string::npos);
}

}  // namespace
}  // namespace cchc::metrics
