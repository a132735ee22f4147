// The services with TLS on: document and news serve mTLS, news calls document over mTLS with its own client
// certificate, a client without one is refused, and cchcctl reaches the services with the CA and a certificate.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "cchc/news/v1/news.grpc.pb.h"
#include "support/document_service.h"
#include "support/stack.h"
#include "support/test_certs.h"

namespace cchc::testing {
namespace {

constexpr const char* kAdmin = "tls-admin-token";
constexpr const char* kEditor = "tls-editor-token";
constexpr const char* kNewsAtDocuments = "tls-news-service-token";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(const TestCerts& certs, bool with_client_certificate) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadAll(certs.ca);
  if (with_client_certificate) {
    ssl.pem_cert_chain = ReadAll(certs.client_cert);
    ssl.pem_private_key = ReadAll(certs.client_key);
  }
  return grpc::SslCredentials(ssl);
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    certs_ = new TestCerts(MakeTestCerts(dir_->Path()));
    pg_ = new PostgresCluster();
    broker_ = new Broker();
    WriteTokensFile(dir_->Path() + "/tokens",
                    {{kAdmin, "SGDĐT admin"}, {kEditor, "SGDĐT-TCCB editor"}, {kNewsAtDocuments, "NEWS reader"}});
    std::vector<std::string> serve_mtls = {"--tls-cert-file",  certs_->server_cert,    "--tls-key-file",
                                           certs_->server_key, "--tls-client-ca-file", certs_->ca};
    document_ =
        new DocumentDependency(*pg_, *broker_, dir_->Path(), serve_mtls, Credentials(*certs_, /*client cert*/ true));
    document_->Start();
    sample_code_ = document_->PublishSampleDocument(kAdmin);  // over mTLS too
    news_address_ = "127.0.0.1:" + std::to_string(FreePort());
    int news_metrics = FreePort();
    auto argv = ServiceArgv("news-service", pg_->Provision("news"), broker_->Bootstrap(), dir_->Path() + "/tokens",
                            news_address_, news_metrics);
    argv.insert(argv.end(), serve_mtls.begin(), serve_mtls.end());
    argv.insert(argv.end(), {"--document-service-address", document_->Address(), "--document-service-token",
                             kNewsAtDocuments, "--document-service-tls-ca-file", certs_->ca,
                             "--document-service-tls-cert-file", certs_->client_cert, "--document-service-tls-key-file",
                             certs_->client_key, "--unready-seconds", "0.1", "--drain-seconds", "1"});
    news_ = new Process(argv, dir_->Path() + "/news-service.log");
    ASSERT_TRUE(WaitUntilReady(*news_, news_metrics)) << news_->Log();
  }

  static void TearDownTestSuite() {
    if (news_) {
      news_->Signal(SIGTERM);
      news_->Wait(std::chrono::seconds(20));
    }
    delete news_;
    delete document_;
    delete broker_;
    delete pg_;
    delete certs_;
    delete dir_;
  }

  // cchcctl with `flags` against the document service; its output and exit status.
  static std::pair<std::string, int> Cchcctl(const std::string& flags, const std::string& env = "") {
    std::string out = dir_->Path() + "/cchcctl.out";
    std::string command = env + " '" + BinaryPath("cchcctl") + "' --address " + document_->Address() + " --token " +
                          kAdmin + " " + flags + " >'" + out + "' 2>&1";
    int status = std::system(command.c_str());
    return {ReadAll(out), WIFEXITED(status) ? WEXITSTATUS(status) : -1};
  }

  // examples/python/cchc_client.py (under /usr/bin/python3) with `flags` against the document service.
  static std::pair<std::string, int> Python(const std::string& flags) {
    std::string out = dir_->Path() + "/python.out";
    std::string command = "/usr/bin/python3 '" + SourceDir() + "/examples/python/cchc_client.py' --stubs '" +
                          std::string(CCHC_BUILD_DIR) + "/examples/python/stubs' --document-address " +
                          document_->Address() + " --token " + kAdmin + " " + flags + " >'" + out + "' 2>&1";
    int status = std::system(command.c_str());
    return {ReadAll(out), WIFEXITED(status) ? WEXITSTATUS(status) : -1};
  }

  static TempDir* dir_;
  static TestCerts* certs_;
  static PostgresCluster* pg_;
  static Broker* broker_;
  static DocumentDependency* document_;
  static Process* news_;
  static std::string news_address_;
  static std::string sample_code_;  // 998/QĐ-SGDĐT, published when the suite starts
};

TempDir* TlsTest::dir_ = nullptr;
TestCerts* TlsTest::certs_ = nullptr;
PostgresCluster* TlsTest::pg_ = nullptr;
Broker* TlsTest::broker_ = nullptr;
DocumentDependency* TlsTest::document_ = nullptr;
Process* TlsTest::news_ = nullptr;
std::string TlsTest::news_address_;
std::string TlsTest::sample_code_;

TEST_F(TlsTest, NewsChecksRelatedDocumentsAtTheDocumentServiceOverMutualTls) {
  ASSERT_EQ(sample_code_, "998/QĐ-SGDĐT");
  auto news = news::v1::NewsService::NewStub(grpc::CreateChannel(news_address_, Credentials(*certs_, true)));
  news::v1::CreateArticleRequest create;
  auto* a = create.mutable_article();
  a->set_title("Hội nghị cải cách hành chính qua kênh mã hóa");
  a->set_lead("Nhằm tổng kết kết quả thực hiện cải cách hành chính năm 2015");
  a->set_body("Đoạn một.");
  a->set_author("Dương Thanh Bình");
  a->set_source("TCCB");
  a->set_category("Cải cách hành chính");
  a->add_tags("CCHC");
  a->add_related_document_codes("998/qd-sgddt");
  news::v1::Article created;
  auto s = news->CreateArticle(CallContext(kEditor).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message() << "\n" << news_->Log();
  ASSERT_EQ(created.related_document_codes_size(), 1);
  EXPECT_EQ(created.related_document_codes(0), "998/QĐ-SGDĐT");  // the document service's spelling: it answered
  a->set_title("Một bài khác");
  a->set_related_document_codes(0, "77/KH-SGDĐT");
  s = news->CreateArticle(CallContext(kEditor).get(), create, &created);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("no document 77/KH-SGDĐT"), std::string::npos) << s.error_message();
}

TEST_F(TlsTest, AClientWithoutACertificateOrInPlainTextIsRefused) {
  document::v1::ListDocumentsRequest list;
  document::v1::ListDocumentsResponse out;
  for (auto credentials : {Credentials(*certs_, false), grpc::InsecureChannelCredentials()}) {
    auto stub = document::v1::DocumentService::NewStub(grpc::CreateChannel(document_->Address(), credentials));
    auto s = stub->ListDocuments(CallContext(kAdmin, 5, false).get(), list, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  }
  auto with =
      document::v1::DocumentService::NewStub(grpc::CreateChannel(document_->Address(), Credentials(*certs_, true)));
  EXPECT_TRUE(with->ListDocuments(CallContext(kAdmin).get(), list, &out).ok());
}

TEST_F(TlsTest, CchcctlConnectsWithTheCaAndItsCertificate) {
  std::string tls =
      "--tls-ca '" + certs_->ca + "' --tls-cert '" + certs_->client_cert + "' --tls-key '" + certs_->client_key + "'";
  auto [listed, status] = Cchcctl(tls + " document list --json");
  EXPECT_EQ(status, 0) << listed;
  // The same from the environment.
  std::string env = "CCHC_TLS_CA='" + certs_->ca + "' CCHC_TLS_CERT='" + certs_->client_cert + "' CCHC_TLS_KEY='" +
                    certs_->client_key + "'";
  auto [again, env_status] = Cchcctl("document list --json", env);
  EXPECT_EQ(env_status, 0) << again;
  // Without a client certificate the service refuses the connection: UNAVAILABLE, 64 + 14.
  auto [refused, refused_status] = Cchcctl("--tls-ca '" + certs_->ca + "' --timeout 5 document list");
  EXPECT_EQ(refused_status, 78) << refused;
  // A certificate without its key is a usage error; an unreadable CA a local error naming the flag.
  EXPECT_EQ(Cchcctl("--tls-cert '" + certs_->client_cert + "' document list").second, 2);
  auto [unreadable, unreadable_status] = Cchcctl("--tls-ca /nonexistent/ca.crt document list");
  EXPECT_EQ(unreadable_status, 1);
  EXPECT_NE(unreadable.find("--tls-ca: cannot read /nonexistent/ca.crt"), std::string::npos) << unreadable;
}

TEST_F(TlsTest, ThePythonExampleConnectsWithTheCaAndItsCertificate) {
  std::string tls =
      "--tls-ca '" + certs_->ca + "' --tls-cert '" + certs_->client_cert + "' --tls-key '" + certs_->client_key + "'";
  auto [found, status] = Python(tls + " --json search cai cach hanh chinh");
  EXPECT_EQ(status, 0) << found;
  EXPECT_NE(found.find("998/QĐ-SGDĐT"), std::string::npos) << found;
  // Without a client certificate: refused, UNAVAILABLE (64 + 14), as cchcctl.
  auto [refused, refused_status] = Python("--tls-ca '" + certs_->ca + "' --call-timeout 5 search cai cach");
  EXPECT_EQ(refused_status, 78) << refused;
  // A certificate without its key, or an unreadable CA: a local error naming the flag.
  auto [lone, lone_status] = Python("--tls-ca '" + certs_->ca + "' --tls-cert '" + certs_->client_cert + "' search x");
  EXPECT_EQ(lone_status, 1);
  EXPECT_NE(lone.find("--tls-cert/--tls-key: give both or neither"), std::string::npos) << lone;
  auto [unreadable, unreadable_status] = Python("--tls-ca /nonexistent/ca.crt search x");
  EXPECT_EQ(unreadable_status, 1);
  EXPECT_NE(unreadable.find("--tls-ca: cannot read /nonexistent/ca.crt"), std::string::npos) << unreadable;
}

}  // namespace
}  // namespace cchc::testing
