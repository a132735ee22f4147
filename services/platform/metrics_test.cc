#include "metrics.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "net.h"

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
  // prometheus-cpp prints a child's labels sorted by name.
  EXPECT_NE(text.find("# TYPE requests_total counter\nrequests_total{code=\"OK\",method=\"Get\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("queue_depth 2.5\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{m=\"x\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count{m=\"x\"} 3\n"), std::string::npos);
}

TEST(Registry, EscapesLabelValues) {
  Registry r;
  r.AddCounter("e_total", "E", {"v"}).WithLabels({"a\"b\\c\nd"}).Increment();
  EXPECT_NE(r.Render().find("e_total{v=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos) << r.Render();
}

TEST(Registry, PrintsValuesShortestRoundTrip) {
  Registry r;
  r.AddGauge("g", "G").WithLabels({}).Set(47.535138);
  EXPECT_NE(r.Render().find("g 47.535138\n"), std::string::npos) << r.Render();
}

TEST(MetricsServer, ServesTheRegistryOnAChosenPort) {
  Registry r;
  r.AddCounter("served_total", "S").WithLabels({}).Increment(2);
  MetricsServer server("127.0.0.1:0", r);
  ASSERT_GT(server.Port(), 0);
  int fd = net::ConnectTcp("127.0.0.1", server.Port());
  ASSERT_GE(fd, 0);
  net::SendAll(fd, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<size_t>(n));
  close(fd);
  EXPECT_NE(response.find("200 OK"), std::string::npos) << response;
  EXPECT_NE(response.find("\nserved_total 2\n"), std::string::npos) << response;
  EXPECT_THROW(MetricsServer("example.org:0", r), std::runtime_error);
}

// civetweb's listener sees a stop only between 2 s polls; the server wakes it, so a service exits promptly.
TEST(MetricsServer, StopsPromptlyAfterAScrape) {
  Registry r;
  for (int i = 0; i < 3; ++i) {
    auto server = std::make_unique<MetricsServer>("127.0.0.1:0", r);
    int fd = net::ConnectTcp("127.0.0.1", server->Port());
    ASSERT_GE(fd, 0);
    net::SendAll(fd, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    char buf[4096];
    while (recv(fd, buf, sizeof buf, 0) > 0) {
    }
    close(fd);
    auto start = std::chrono::steady_clock::now();
    server.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  }
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
