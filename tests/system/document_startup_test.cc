// Start-up: a wrong setting stops the service with a message naming it; TLS when certificates are given.
#include <signal.h>

#include <fstream>

#include "document_fixture.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

std::string StartAndCollect(const std::vector<std::string>& extra, const std::string& log) {
  std::vector<std::string> argv = {BinaryPath("document-service")};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Process p(argv, log);
  EXPECT_NE(p.Wait(std::chrono::seconds(20)), 0) << "expected start-up to fail";
  return p.Log();
}

TEST_F(DocumentServiceTest, AWrongSettingStopsStartUpNamingIt) {
  std::string tokens = dir_->Path() + "/tokens";
  std::string log = dir_->Path() + "/startup.log";
  std::vector<std::string> base = {"--database-url",    database_url_, "--kafka-brokers", broker_->Bootstrap(),
                                   "--tokens-file",     tokens,        "--grpc-address",  "127.0.0.1:0",
                                   "--metrics-address", "127.0.0.1:0"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  EXPECT_NE(StartAndCollect(with({"--database-pool-size", "0"}), log).find("--database-pool-size"), std::string::npos);
  EXPECT_NE(StartAndCollect(with({"--grpc-address", "nowhere"}), log).find("--grpc-address"), std::string::npos);
  EXPECT_NE(StartAndCollect(with({"--tls-cert-file", tokens}), log).find("--tls-cert-file"), std::string::npos);
  EXPECT_NE(StartAndCollect({"--kafka-brokers", "127.0.0.1:1", "--tokens-file", tokens}, log).find("--database-url"),
            std::string::npos);
  EXPECT_NE(StartAndCollect(with({"--tokens-file", "/nonexistent/tokens"}), log).find("--tokens-file"),
            std::string::npos);
  // The producers' guarantees are not settings: each of them, or an alias, stops start-up naming it.
  for (const char* property :
       {"acks=1", "enable.idempotence=false", "max.in.flight.requests.per.connection=20", "request.required.acks=0"}) {
    std::string name = std::string(property).substr(0, std::string(property).find('='));
    std::string out = StartAndCollect(with({"--kafka-property", property}), log);
    EXPECT_NE(out.find("--kafka-property"), std::string::npos) << out;
    EXPECT_NE(out.find(name + " may not be overridden"), std::string::npos) << out;
  }
  std::string forever = StartAndCollect(with({"--kafka-property", "message.timeout.ms=0"}), log);
  EXPECT_NE(forever.find("message.timeout.ms=0 would let a message wait for ever"), std::string::npos) << forever;
  // The metrics port of the running service is taken: the message names the address.
  std::string taken = "127.0.0.1:" + std::to_string(metrics_port_);
  EXPECT_NE(StartAndCollect({"--database-url", database_url_, "--kafka-brokers", broker_->Bootstrap(), "--tokens-file",
                             tokens, "--grpc-address", "127.0.0.1:0", "--metrics-address", taken},
                            log)
                .find("cannot listen on " + taken),
            std::string::npos);
}

TEST_F(DocumentServiceTest, ServesOverTlsWhenCertificatesAreGiven) {
  std::string cert = dir_->Path() + "/server.crt", key = dir_->Path() + "/server.key";
  Shell(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost,"
      "IP:127.0.0.1 -keyout " +
      key + " -out " + cert);
  std::string address = "127.0.0.1:" + std::to_string(FreePort());
  int metrics = FreePort();
  Process tls({BinaryPath("document-service"), "--database-url", database_url_, "--kafka-brokers", broker_->Bootstrap(),
               "--tokens-file", dir_->Path() + "/tokens", "--grpc-address", address, "--metrics-address",
               "127.0.0.1:" + std::to_string(metrics), "--tls-cert-file", cert, "--tls-key-file", key},
              dir_->Path() + "/tls.log");
  ASSERT_TRUE(
      WaitFor([&] { return MetricValue(HttpGet(metrics, "/metrics"), "cchc_ready") == 1; }, std::chrono::seconds(30)))
      << tls.Log();
  std::ifstream in(cert);
  std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = pem;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("localhost");
  auto secure = v1::DocumentService::NewStub(grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args));
  v1::ListDocumentsRequest list;
  v1::ListDocumentsResponse out;
  auto s = secure->ListDocuments(Context(kReader).get(), list, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // Plain text is refused by a TLS server.
  auto plain = v1::DocumentService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  EXPECT_EQ(plain->ListDocuments(Context(kReader, false).get(), list, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  tls.Signal(SIGTERM);
  EXPECT_EQ(tls.Wait(std::chrono::seconds(20)), 0);
}

}  // namespace
}  // namespace cchc::testing
