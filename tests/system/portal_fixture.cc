#include "system/portal_fixture.h"

#include <fstream>

namespace cchc::testing {

void PortalTest::SetUpTestSuite() {
  WholeSystemTest::SetUpTestSuite();
  const std::string demo = SourceDir() + "/tools/demo";
  stack_->Cchcctl("document import '" + demo + "/documents.json'");
  stack_->Cchcctl("article import '" + demo + "/articles.json'");
  stack_->Cchcctl("school-year import '" + demo + "/school_years.json'");
  stack_->Cchcctl("scoring import-demo '" + demo + "/scoring'");
  std::ofstream(stack_->Dir() + "/portal.token") << Tokens::kPortal << "\n";
  std::ofstream(stack_->Dir() + "/csrf.secret") << "portal-test-csrf-secret-0123456789abcdef\n";
  port_ = FreePort();
  metrics_port_ = FreePort();
  StartPortal();
}

void PortalTest::TearDownTestSuite() {
  portal_.reset();
  WholeSystemTest::TearDownTestSuite();
}

void PortalTest::StartPortal() {
  portal_.reset();
  portal_ = std::make_unique<Process>(
      std::vector<std::string>{BinaryPath("portal-service"), "--http-address", "127.0.0.1:" + std::to_string(port_),
                               "--metrics-address", "127.0.0.1:" + std::to_string(metrics_port_),
                               "--document-service-address", stack_->Address(Service::kDocument),
                               "--news-service-address", stack_->Address(Service::kNews), "--scoring-service-address",
                               stack_->Address(Service::kScoring), "--notification-service-address",
                               stack_->Address(Service::kNotification), "--token-file", stack_->Dir() + "/portal.token",
                               "--csrf-secret-file", stack_->Dir() + "/csrf.secret", "--unready-seconds", "0"},
      stack_->Dir() + "/portal.log");
  bool ready = WaitFor(
      [&] {
        auto res = Http().Get("/readyz");
        return (res && res->status == 200) || !portal_->Running();
      },
      std::chrono::seconds(30));
  if (!ready || !portal_->Running()) throw std::runtime_error("the portal did not start: " + portal_->Log());
}

httplib::Client PortalTest::Http() {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(std::chrono::seconds(30));
  return client;
}

std::string PortalTest::PortalMetrics() {
  httplib::Client client("127.0.0.1", metrics_port_);
  auto res = client.Get("/metrics");
  return res ? res->body : "";
}

std::string PortalTest::CchcctlCommand(const std::string& token) {
  return "env CCHC_NEWS_ADDRESS=" + stack_->Address(Service::kNews) +
         " CCHC_SCORING_ADDRESS=" + stack_->Address(Service::kScoring) + " " + BinaryPath("cchcctl") + " --token " +
         token + " --address " + stack_->Address(Service::kDocument);
}

}  // namespace cchc::testing
