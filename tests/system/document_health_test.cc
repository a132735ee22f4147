// Liveness apart from readiness, against a database that stops answering. A TCP forwarder between the service
// and PostgreSQL black-holes the connections (open, silent): calls fail within their deadline, readiness turns
// NOT_SERVING while liveness stays SERVING, and the service is ready again soon after the database answers. At
// start-up the service waits for the database (a log line per try) instead of exiting, up to its bound.
#include <signal.h>

#include <chrono>
#include <iostream>

#include "document_fixture.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "support/tcp_forwarder.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;
using grpc::health::v1::HealthCheckResponse;
using std::chrono::steady_clock;

double Seconds(steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The service's own process, reaching PostgreSQL through `forwarder`.
class ForwardedService {
 public:
  ForwardedService(const TcpForwarder& forwarder, std::vector<std::string> extra, const std::string& log)
      : address_("127.0.0.1:" + std::to_string(FreePort())), metrics_port_(FreePort()) {
    std::string url = DocumentServiceTest::database_url_;
    std::string port = ":" + std::to_string(DocumentServiceTest::pg_->Port()) + "/";
    url.replace(url.find(port), port.size(), ":" + std::to_string(forwarder.Port()) + "/");
    std::vector<std::string> argv = {BinaryPath("document-service"),
                                     "--database-url",
                                     url,
                                     "--kafka-brokers",
                                     DocumentServiceTest::broker_->Bootstrap(),
                                     "--tokens-file",
                                     DocumentServiceTest::dir_->Path() + "/tokens",
                                     "--grpc-address",
                                     address_,
                                     "--metrics-address",
                                     "127.0.0.1:" + std::to_string(metrics_port_),
                                     "--read-cache-ttl-ms",
                                     "0",
                                     "--unready-seconds",
                                     "0.1"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Process>(argv, log);
    auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    documents_ = v1::DocumentService::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }
  ~ForwardedService() {
    process_->Signal(SIGTERM);
    process_->Wait(std::chrono::seconds(20));
  }

  bool Ready() { return MetricValue(HttpGet(metrics_port_, "/metrics"), "cchc_ready") == 1; }
  // The health status of `service` ("" for readiness, "liveness"), or UNKNOWN when the call failed.
  HealthCheckResponse::ServingStatus Health(const std::string& service) {
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(service);
    HealthCheckResponse resp;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    if (!health_->Check(&ctx, req, &resp).ok()) return HealthCheckResponse::UNKNOWN;
    return resp.status();
  }
  grpc::Status List(int deadline_seconds) {
    v1::ListDocumentsRequest req;
    v1::ListDocumentsResponse resp;
    auto ctx = DocumentServiceTest::Context(DocumentServiceTest::kReader, false);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(deadline_seconds));
    return documents_->ListDocuments(ctx.get(), req, &resp);
  }
  Process& Proc() { return *process_; }

 private:
  std::string address_;
  int metrics_port_;
  std::unique_ptr<Process> process_;
  std::unique_ptr<v1::DocumentService::Stub> documents_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(DocumentServiceTest, ABlackHoledDatabaseFailsCallsInTimeTurnsReadinessOffAndKeepsLiveness) {
  TcpForwarder forwarder(pg_->Port());
  ForwardedService service(forwarder, {"--database-call-timeout-ms", "2000"}, dir_->Path() + "/blackhole.log");
  ASSERT_TRUE(WaitFor([&] { return service.Ready(); }, std::chrono::seconds(30))) << service.Proc().Log();
  ASSERT_TRUE(service.List(5).ok());
  EXPECT_EQ(service.Health(""), HealthCheckResponse::SERVING);
  EXPECT_EQ(service.Health("liveness"), HealthCheckResponse::SERVING);

  forwarder.BlackHole(true);
  auto start = steady_clock::now();
  auto status = service.List(10);
  auto failed_in = Seconds(steady_clock::now() - start);
  // The watchdog cuts the silent connection after 2 s: UNAVAILABLE, well within the caller's 10 s.
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(failed_in, 5.0);
  start = steady_clock::now();
  ASSERT_TRUE(
      WaitFor([&] { return service.Health("") == HealthCheckResponse::NOT_SERVING; }, std::chrono::seconds(10)));
  auto unready_in = Seconds(steady_clock::now() - start);
  EXPECT_EQ(service.Health("liveness"), HealthCheckResponse::SERVING);
  EXPECT_FALSE(service.Ready());
  // Still black-holed, later calls fail in time too (a new connection meets connect_timeout).
  start = steady_clock::now();
  EXPECT_FALSE(service.List(8).ok());
  EXPECT_LT(Seconds(steady_clock::now() - start), 8.5);
  EXPECT_EQ(service.Health("liveness"), HealthCheckResponse::SERVING);
  EXPECT_TRUE(service.Proc().Running());

  forwarder.BlackHole(false);
  start = steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return service.Health("") == HealthCheckResponse::SERVING && service.List(5).ok(); },
                      std::chrono::seconds(30)))
      << service.Proc().Log();
  auto recovered_in = Seconds(steady_clock::now() - start);
  std::cout << "black-holed database: a call failed in " << failed_in << " s, readiness off in " << unready_in
            << " s, liveness stayed SERVING; ready and serving again " << recovered_in
            << " s after the database answered\n";
  EXPECT_NE(service.Proc().Log().find("database call cut"), std::string::npos);
}

TEST_F(DocumentServiceTest, AtStartUpItWaitsForTheDatabaseInsteadOfExiting) {
  TcpForwarder forwarder(pg_->Port());
  forwarder.BlackHole(true);
  {
    // Given a bound it gives up, naming it.
    ForwardedService quick(forwarder, {"--database-wait-seconds", "1"}, dir_->Path() + "/startup-quick.log");
    EXPECT_NE(quick.Proc().Wait(std::chrono::seconds(30)), 0);
    EXPECT_NE(quick.Proc().Log().find("--database-wait-seconds"), std::string::npos) << quick.Proc().Log();
  }
  ForwardedService service(forwarder, {"--database-wait-seconds", "120"}, dir_->Path() + "/startup-wait.log");
  ASSERT_TRUE(WaitFor([&] { return service.Proc().Log().find("waiting for the database") != std::string::npos; },
                      std::chrono::seconds(20)))
      << service.Proc().Log();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_TRUE(service.Proc().Running());
  forwarder.BlackHole(false);
  auto start = steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return service.Ready(); }, std::chrono::seconds(30))) << service.Proc().Log();
  std::cout << "ready " << Seconds(steady_clock::now() - start) << " s after the database answered\n";
  EXPECT_TRUE(service.List(5).ok());
}

}  // namespace
}  // namespace cchc::testing
