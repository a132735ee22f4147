// The Grafana dashboard's queries name only metrics the services really export: starts the four services
// on a real PostgreSQL cluster and the embedded broker, calls each once, scrapes /metrics and
// hands the metric names to tools/ops/check-dashboard (which also parses every query with promtool).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/auth.h"
#include "support/stack.h"

namespace cchc::testing {
namespace {

// Metric names in a Prometheus text page: every sample's name and every family of a # TYPE line (a histogram
// also as its _bucket, _sum and _count series), so that a family with no sample yet still counts.
std::set<std::string> MetricNames(const std::string& page) {
  std::set<std::string> names;
  std::istringstream in(page);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream words(line.substr(7));
      std::string name, type;
      words >> name >> type;
      names.insert(name);
      if (type == "histogram")
        for (const char* suffix : {"_bucket", "_sum", "_count"}) names.insert(name + suffix);
    } else if (!line.empty() && line[0] != '#') {
      names.insert(line.substr(0, line.find_first_of("{ ")));
    }
  }
  return names;
}

class Service {
 public:
  Service(const std::string& name, std::vector<std::string> extra, const std::string& url, const Broker& broker,
          const std::string& tokens, const TempDir& dir)
      : address_("127.0.0.1:" + std::to_string(FreePort())), metrics_(FreePort()) {
    std::vector<std::string> argv{BinaryPath(name),
                                  "--database-url",
                                  url,
                                  "--kafka-brokers",
                                  broker.Bootstrap(),
                                  "--tokens-file",
                                  tokens,
                                  "--grpc-address",
                                  address_,
                                  "--metrics-address",
                                  "127.0.0.1:" + std::to_string(metrics_)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Process>(argv, dir.Path() + "/" + name + ".log");
  }

  bool Ready() { return WaitUntilReady(*process_, metrics_, std::chrono::seconds(60)); }

  // One RPC (grpc.health.v1 Check), so that the per-RPC families have samples.
  grpc::Status Check() {
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    return stub->Check(&ctx, request, &response);
  }

  std::string Scrape() { return HttpGet(metrics_, "/metrics"); }
  const std::string& Address() const { return address_; }
  std::string Log() const { return process_->Log(); }

 private:
  std::string address_;
  int metrics_;
  std::unique_ptr<Process> process_;
};

TEST(DashboardMetrics, QueriesNameOnlyExportedMetrics) {
  TempDir dir;
  PostgresCluster pg;
  Broker broker;
  std::string tokens = dir.Path() + "/tokens";
  std::ofstream(tokens) << crypto::Sha256Hex("ops-news-at-documents") << " NEWS reader\n"
                        << crypto::Sha256Hex("ops-scoring-at-documents") << " SCORING reader\n";
  Service document("document-service", {}, pg.Provision("document"), broker, tokens, dir);
  ASSERT_TRUE(document.Ready()) << document.Log();
  Service news("news-service",
               {"--document-service-address", document.Address(), "--document-service-token", "ops-news-at-documents"},
               pg.Provision("news"), broker, tokens, dir);
  ASSERT_TRUE(news.Ready()) << news.Log();
  Service scoring(
      "scoring-service",
      {"--document-service-address", document.Address(), "--document-service-token", "ops-scoring-at-documents"},
      pg.Provision("scoring"), broker, tokens, dir);
  ASSERT_TRUE(scoring.Ready()) << scoring.Log();
  Service notification("notification-service", {}, pg.Provision("notification"), broker, tokens, dir);
  ASSERT_TRUE(notification.Ready()) << notification.Log();

  std::set<std::string> names;
  for (Service* s : {&document, &news, &scoring, &notification}) {
    auto status = s->Check();
    ASSERT_TRUE(status.ok()) << status.error_message();
    auto page = s->Scrape();
    auto scraped = MetricNames(page);
    // The families the dashboard and the alerts are built on, scraped from each service.
    for (const char* family : {"grpc_server_handled_total", "grpc_server_handling_seconds_bucket", "cchc_ready",
                               "cchc_outbox_oldest_pending_age_seconds", "cchc_outbox_pending"})
      EXPECT_TRUE(scraped.count(family)) << family << " missing from\n" << page;
    names.insert(scraped.begin(), scraped.end());
  }
  std::string names_file = dir.Path() + "/scraped-metrics.txt";
  {
    std::ofstream out(names_file);
    for (const auto& n : names) out << n << "\n";
  }
  std::string command = "python3 " + SourceDir() + "/tools/ops/check-dashboard --metrics-file " + names_file +
                        " --expected-file " + SourceDir() + "/tests/ops/expected-metrics.txt 2>&1";
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  std::cout << output;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
}

}  // namespace
}  // namespace cchc::testing
