#include "document_fixture.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>

#include "platform/auth.h"

namespace cchc::testing {

PostgresCluster* DocumentServiceTest::pg_ = nullptr;
Broker* DocumentServiceTest::broker_ = nullptr;
std::unique_ptr<Process> DocumentServiceTest::service_;
std::unique_ptr<TempDir> DocumentServiceTest::dir_;
std::string DocumentServiceTest::database_url_;
std::string DocumentServiceTest::address_;
int DocumentServiceTest::metrics_port_ = 0;
std::shared_ptr<grpc::Channel> DocumentServiceTest::channel_;
std::unique_ptr<document::v1::DocumentService::Stub> DocumentServiceTest::stub_;
std::vector<std::string> DocumentServiceTest::extra_args_;

void DocumentServiceTest::SetUpTestSuite() {
  if (!dir_) dir_ = std::make_unique<TempDir>();  // a suite may have made it to write files for extra_args_
  pg_ = new PostgresCluster();
  broker_ = new Broker();
  database_url_ = pg_->Provision("document");
  std::ofstream tokens(dir_->Path() + "/tokens");
  tokens << crypto::Sha256Hex(kAdmin) << " SGDĐT admin\n"
         << crypto::Sha256Hex(kEditor) << " SGDĐT-TCCB editor\n"
         << crypto::Sha256Hex(kOtherEditor) << " SNV editor\n"
         << crypto::Sha256Hex(kReader) << " PUBLIC reader\n";
  tokens.close();
  address_ = "127.0.0.1:" + std::to_string(FreePort());
  metrics_port_ = FreePort();
  StartService();
  channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  stub_ = document::v1::DocumentService::NewStub(channel_);
}

void DocumentServiceTest::TearDownTestSuite() {
  stub_.reset();
  channel_.reset();
  if (service_) StopService(SIGTERM);
  delete broker_;
  delete pg_;
  dir_.reset();
}

void DocumentServiceTest::StartService() {
  std::vector<std::string> argv{BinaryPath("document-service"),
                                "--database-url",
                                database_url_,
                                "--kafka-brokers",
                                broker_->Bootstrap(),
                                "--tokens-file",
                                dir_->Path() + "/tokens",
                                "--grpc-address",
                                address_,
                                "--metrics-address",
                                "127.0.0.1:" + std::to_string(metrics_port_),
                                "--max-attachment-bytes",
                                "1048576",
                                "--unready-seconds",
                                "0.2",
                                "--kafka-property",
                                "message.timeout.ms=5000"};
  for (size_t i = 0; i + 1 < extra_args_.size(); i += 2) {
    auto it = std::find(argv.begin(), argv.end(), extra_args_[i]);
    if (it != argv.end())
      *(it + 1) = extra_args_[i + 1];
    else
      argv.insert(argv.end(), {extra_args_[i], extra_args_[i + 1]});
  }
  service_ = std::make_unique<Process>(argv, dir_->Path() + "/document-service.log");
  bool ready = WaitFor(
      [&] { return MetricValue(HttpGet(metrics_port_, "/metrics"), "cchc_ready") == 1 || !service_->Running(); },
      std::chrono::seconds(30));
  ASSERT_TRUE(ready && service_->Running()) << service_->Log();
}

void DocumentServiceTest::StopService(int signal) {
  service_->Signal(signal);
  service_->Wait(std::chrono::seconds(30));
  service_.reset();
}

std::unique_ptr<grpc::ClientContext> DocumentServiceTest::Context(const std::string& token, bool wait_for_ready) {
  return CallContext(token, 10, wait_for_ready);
}

document::v1::DocumentService::Stub& DocumentServiceTest::Stub() {
  return *stub_;
}

document::v1::Document DocumentServiceTest::NewDocument(const std::string& type) {
  static std::atomic<int> next{100};
  document::v1::Document d;
  d.set_code(std::to_string(next++) + "/" + type + "-SGDĐT");
  d.set_issue_date("2018-02-05");
  d.set_subject("Tuyên truyền cải cách hành chính năm 2018");
  d.set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d.add_fields("Cải cách hành chính");
  d.mutable_signer()->set_name("Trần Văn Chuyện");
  d.mutable_signer()->set_position("Phó Giám đốc");
  d.mutable_signer()->set_authority("KT.");
  return d;
}

std::string DocumentServiceTest::Count(const std::string& table) {
  auto out = pg_->Sql("SELECT count(*) FROM document." + table);
  return out.substr(0, out.find('\n'));
}

}  // namespace cchc::testing
