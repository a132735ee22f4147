#include "news_fixture.h"

#include <signal.h>

#include <atomic>

namespace cchc::testing {

PostgresCluster* NewsServiceTest::pg_ = nullptr;
Broker* NewsServiceTest::broker_ = nullptr;
std::unique_ptr<Process> NewsServiceTest::news_[2];
std::unique_ptr<DocumentDependency> NewsServiceTest::document_;
std::unique_ptr<TempDir> NewsServiceTest::dir_;
std::string NewsServiceTest::news_url_, NewsServiceTest::news_address_[2], NewsServiceTest::document_address_;
int NewsServiceTest::news_metrics_[2] = {0, 0};
std::unique_ptr<news::v1::NewsService::Stub> NewsServiceTest::stub_[2];

void NewsServiceTest::SetUpTestSuite() {
  dir_ = std::make_unique<TempDir>();
  pg_ = new PostgresCluster();
  broker_ = new Broker();
  document_ = std::make_unique<DocumentDependency>(*pg_, *broker_, dir_->Path());
  document_address_ = document_->Address();
  news_url_ = pg_->Provision("news");
  WriteTokensFile(dir_->Path() + "/tokens", {{kAdmin, "SGDĐT admin"},
                                             {kEditor, "SGDĐT-TCCB editor"},
                                             {kModerator, "SGDĐT-TCCB moderator"},
                                             {kReader, "PUBLIC reader"},
                                             {kNewsAtDocuments, "NEWS reader"},
                                             {kPortal, "PORTAL portal"}});
  StartDocument();
  for (int i = 0; i < 2; ++i) {
    news_address_[i] = "127.0.0.1:" + std::to_string(FreePort());
    news_metrics_[i] = FreePort();
    stub_[i] =
        news::v1::NewsService::NewStub(grpc::CreateChannel(news_address_[i], grpc::InsecureChannelCredentials()));
  }
  StartNews(0);
}

void NewsServiceTest::TearDownTestSuite() {
  for (int i = 0; i < 2; ++i) {
    stub_[i].reset();
    if (news_[i]) StopNews(i, SIGTERM);
  }
  if (document_->Running()) StopDocument();
  document_.reset();
  delete broker_;
  delete pg_;
  dir_.reset();
}

void NewsServiceTest::StartNews(int i, const std::vector<std::string>& extra) {
  auto argv = ServiceArgv("news-service", news_url_, broker_->Bootstrap(), dir_->Path() + "/tokens", news_address_[i],
                          news_metrics_[i]);
  argv.insert(argv.end(), {"--document-service-address", document_address_, "--document-service-token",
                           kNewsAtDocuments, "--document-service-timeout-ms", "1500", "--scheduler-interval-ms", "200",
                           "--comments-per-sender", "3", "--comments-per-client", "2", "--pending-comments-per-article",
                           "4", "--unready-seconds", "0.2", "--kafka-property", "message.timeout.ms=5000"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  news_[i] = std::make_unique<Process>(argv, dir_->Path() + "/news-service-" + std::to_string(i) + ".log");
  ASSERT_TRUE(WaitUntilReady(*news_[i], news_metrics_[i])) << news_[i]->Log();
}

void NewsServiceTest::StopNews(int i, int signal) {
  news_[i]->Signal(signal);
  news_[i]->Wait(std::chrono::seconds(30));
  news_[i].reset();
}

void NewsServiceTest::StartDocument() {
  document_->Start();
}

void NewsServiceTest::StopDocument() {
  document_->Stop(SIGKILL);
}

std::unique_ptr<grpc::ClientContext> NewsServiceTest::Context(const std::string& token) {
  return CallContext(token);
}

news::v1::NewsService::Stub& NewsServiceTest::Stub(int i) {
  return *stub_[i];
}

document::v1::DocumentService::Stub& NewsServiceTest::Documents() {
  return document_->Stub();
}

news::v1::Article NewsServiceTest::NewArticle() {
  static std::atomic<int> next{1};
  news::v1::Article a;
  a.set_title("Hội nghị cải cách hành chính lần " + std::to_string(next++));
  a.set_lead("Nhằm tổng kết kết quả thực hiện cải cách hành chính năm 2015");
  a.set_body("Đoạn một về chỉ số PAR INDEX.\n\nĐoạn hai.");
  a.set_author("Dương Thanh Bình");
  a.set_source("TCCB");
  a.set_category("Cải cách hành chính");
  a.add_tags("CCHC");
  a.set_comments_enabled(true);
  return a;
}

news::v1::Article NewsServiceTest::CreatePublished(news::v1::Article a) {
  news::v1::CreateArticleRequest create;
  *create.mutable_article() = std::move(a);
  news::v1::Article created, published;
  auto s = Stub().CreateArticle(Context(kEditor).get(), create, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  news::v1::PublishArticleRequest publish;
  publish.set_name(created.name());
  s = Stub().PublishArticle(Context(kEditor).get(), publish, &published);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return published;
}

std::string NewsServiceTest::Sql(const std::string& sql) {
  return pg_->Value(sql);
}

std::string NewsServiceTest::Count(const std::string& table) {
  return Sql("SELECT count(*) FROM news." + table);
}

}  // namespace cchc::testing
