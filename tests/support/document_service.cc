#include "document_service.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace cchc::testing {

DocumentDependency::DocumentDependency(PostgresCluster& pg, const Broker& broker, std::string dir,
                                       std::vector<std::string> extra_flags,
                                       std::shared_ptr<grpc::ChannelCredentials> credentials)
    : broker_(broker),
      dir_(std::move(dir)),
      url_(pg.Provision("document")),
      address_("127.0.0.1:" + std::to_string(FreePort())),
      extra_flags_(std::move(extra_flags)),
      metrics_port_(FreePort()),
      stub_(document::v1::DocumentService::NewStub(
          grpc::CreateChannel(address_, credentials ? credentials : grpc::InsecureChannelCredentials()))) {}

DocumentDependency::~DocumentDependency() {
  stub_.reset();
  if (process_) Stop(SIGTERM);
}

void DocumentDependency::Start() {
  auto argv = ServiceArgv("document-service", url_, broker_.Bootstrap(), dir_ + "/tokens", address_, metrics_port_);
  argv.insert(argv.end(), {"--unready-seconds", "0.1", "--drain-seconds", "1"});
  argv.insert(argv.end(), extra_flags_.begin(), extra_flags_.end());
  process_ = std::make_unique<Process>(argv, dir_ + "/document-service.log");
  ASSERT_TRUE(WaitUntilReady(*process_, metrics_port_)) << process_->Log();
}

void DocumentDependency::Stop(int signal, std::chrono::seconds wait) {
  process_->Signal(signal);
  process_->Wait(wait);
  process_.reset();
}

std::string DocumentDependency::PublishSampleDocument(const std::string& token) {
  document::v1::CreateDocumentRequest create;
  auto* d = create.mutable_document();
  d->set_code("998/QĐ-SGDĐT");
  d->set_issue_date("2018-06-07");
  d->set_subject("Công bố chỉ số cải cách hành chính đối với các đơn vị sự nghiệp");
  d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  document::v1::Document created, published;
  auto s = Stub().CreateDocument(CallContext(token).get(), create, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  document::v1::PublishDocumentRequest publish;
  publish.set_name(created.name());
  s = Stub().PublishDocument(CallContext(token).get(), publish, &published);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return published.code();
}

}  // namespace cchc::testing
