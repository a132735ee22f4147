#pragma once
// A running news service (its own process, and a second replica on demand) with the document service it
// checks related documents against, over a real PostgreSQL cluster and the embedded broker. Tokens for an
// admin, an editor, a moderator, a reader, the portal, and the news service's own token at the document
// service. Comment limits: 3 per address, 2 per portal-named client, 4 pending per article.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>

#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/news/v1/news.grpc.pb.h"
#include "support/document_service.h"
#include "support/stack.h"

namespace cchc::testing {

class NewsServiceTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // Starts (or restarts) news replica `i` (0 or 1) and waits until it reports ready. `extra`: more flags.
  static void StartNews(int i = 0, const std::vector<std::string>& extra = {});
  static void StopNews(int i, int signal);
  static void StartDocument();
  static void StopDocument();

  // A call context carrying `token` and a deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token);
  static news::v1::NewsService::Stub& Stub(int i = 0);
  static document::v1::DocumentService::Stub& Documents();

  // A valid draft to create, with a title (and so a slug) unique to this process.
  static news::v1::Article NewArticle();
  // Creates `a` as kEditor and publishes it now; fails the test otherwise.
  static news::v1::Article CreatePublished(news::v1::Article a);
  static std::string Count(const std::string& table);  // rows in news.<table>
  static std::string Sql(const std::string& sql);      // superuser, tuples only

  static PostgresCluster* pg_;
  static Broker* broker_;
  static std::unique_ptr<Process> news_[2];
  static std::unique_ptr<DocumentDependency> document_;
  static std::unique_ptr<TempDir> dir_;
  static std::string news_url_, news_address_[2], document_address_;
  static int news_metrics_[2];
  static std::unique_ptr<news::v1::NewsService::Stub> stub_[2];

  static constexpr const char* kAdmin = "admin-token-for-tests";
  static constexpr const char* kEditor = "editor-tccb-token";        // SGDĐT-TCCB editor
  static constexpr const char* kModerator = "moderator-tccb-token";  // SGDĐT-TCCB moderator
  static constexpr const char* kReader = "reader-token";
  static constexpr const char* kNewsAtDocuments = "news-service-token";  // the news service at the document service
  static constexpr const char* kPortal = "portal-token";                 // PORTAL portal: may name the reader's client
};

}  // namespace cchc::testing
