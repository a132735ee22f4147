#include "document_fixture.h"

#include <signal.h>

#include <atomic>

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
  WriteTokensFile(dir_->Path() + "/tokens", {{kAdmin, "SGDĐT admin"},
                                             {kEditor, "SGDĐT-TCCB editor"},
                                             {kOtherEditor, "SNV editor"},
                                             {kReader, "PUBLIC reader"}});
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
  auto argv = ServiceArgv("document-service", database_url_, broker_->Bootstrap(), dir_->Path() + "/tokens", address_,
                          metrics_port_);
  argv.insert(argv.end(), {"--max-attachment-bytes", "1048576", "--unready-seconds", "0.2", "--kafka-property",
                           "message.timeout.ms=5000"});
  SetFlags(argv, extra_args_);
  service_ = std::make_unique<Process>(argv, dir_->Path() + "/document-service.log");
  ASSERT_TRUE(WaitUntilReady(*service_, metrics_port_)) << service_->Log();
}

void DocumentServiceTest::StopService(int signal) {
  service_->Signal(signal);
  service_->Wait(std::chrono::seconds(30));
  service_.reset();
}

grpc::Status DocumentServiceTest::UploadText(const std::string& token, const std::string& document,
                                             const std::string& file_name, const std::string& content,
                                             document::v1::Attachment* stored) {
  auto ctx = Context(token);
  auto writer = Stub().UploadAttachment(ctx.get(), stored);
  document::v1::UploadAttachmentRequest header, chunk;
  header.mutable_header()->set_document(document);
  header.mutable_header()->set_file_name(file_name);
  header.mutable_header()->set_media_type("text/plain");
  header.mutable_header()->set_size_bytes(static_cast<int64_t>(content.size()));
  chunk.set_chunk(content);
  writer->Write(header);
  writer->Write(chunk);
  writer->WritesDone();
  return writer->Finish();
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
