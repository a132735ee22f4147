#pragma once
// The whole system as its users meet it: PostgreSQL, the embedded broker and the four services as processes
// (document, news, scoring, notification), each with its own schema and role, one tokens file, a webhook
// receiver (tools/webhook-receiver) for the notification service. Services can be SIGKILLed and restarted, the
// broker's brokers taken down and up, PostgreSQL restarted — what the fault suite does.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/news/v1/news.grpc.pb.h"
#include "cchc/notification/v1/notification.grpc.pb.h"
#include "cchc/scoring/v1/scoring.grpc.pb.h"
#include "support/stack.h"

namespace cchc::testing {

// The four services' APIs, by the short names the whole-system suites use.
namespace dv1 = document::v1;
namespace nv1 = news::v1;
namespace sv1 = scoring::v1;
namespace tv1 = notification::v1;

enum class Service { kDocument = 0, kNews = 1, kScoring = 2, kNotification = 3 };
inline constexpr std::array<Service, 4> kAllServices = {Service::kDocument, Service::kNews, Service::kScoring,
                                                        Service::kNotification};
const char* ServiceName(Service s);  // "document", …

// Tokens of the stack's principals (`sha256 unit roles` lines in its tokens file).
struct Tokens {
  static constexpr const char* kAdmin = "stack-admin-token";                   // SGDĐT admin
  static constexpr const char* kEditor = "stack-editor-tccb";                  // SGDĐT-TCCB editor,reader
  static constexpr const char* kModerator = "stack-moderator-tccb";            // SGDĐT-TCCB moderator,reader
  static constexpr const char* kReader = "stack-reader";                       // PUBLIC reader
  static constexpr const char* kTccbInbox = "stack-tccb-inbox";                // SGDĐT-TCCB reader (the subscriber)
  static constexpr const char* kOtherUnit = "stack-other-unit";                // SNV reader,editor (Sở Nội vụ)
  static constexpr const char* kScorer = "stack-scorer-sgddt";                 // SGDĐT scorer,reader
  static constexpr const char* kAppraiser = "stack-appraiser-snv";             // SNV appraiser,reader
  static constexpr const char* kNewsAtDocuments = "stack-news-service";        // NEWS reader
  static constexpr const char* kScoringAtDocuments = "stack-scoring-service";  // SCORING reader
  static constexpr const char* kPortal = "stack-portal";                       // PORTAL reader,portal
};

class SystemStack {
 public:
  SystemStack();  // starts everything and waits until every service reports ready; throws on failure
  ~SystemStack();

  void Start(Service s);  // (re)starts the service and waits until it is ready
  // Flags added to the service's command line from its next Start on (none by default).
  void SetExtraArguments(Service s, std::vector<std::string> args) { extra_[static_cast<size_t>(s)] = std::move(args); }
  // SIGTERM, then Start: the service with its current extra arguments.
  void Restart(Service s);
  void Kill(Service s, int signal);
  bool Ready(Service s);
  std::string Address(Service s) const;
  int MetricsPort(Service s) const;
  std::string Metrics(Service s) const;  // a scrape of /metrics
  const std::string& DatabaseUrl(Service s) const { return urls_[static_cast<size_t>(s)]; }

  PostgresCluster& Pg() { return *pg_; }
  Broker& Kafka() { return *broker_; }
  const std::string& Dir() const { return dir_->Path(); }
  int WebhookPort() const { return webhook_port_; }
  std::string WebhookLog() const;  // the receiver's JSON lines, one per verified delivery
  // whsec_ + base64 of 35 bytes (Standard Webhooks), the form tools/dev gives the demo secret.
  static constexpr const char* kWebhookSecret = "whsec_c3RhY2std2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc4OWFiY2Q=";
  // The request that creates the Sở's TCCB office as subscriber "TCCB" (a UNIT of SGDĐT-TCCB), with the webhook
  // receiver's /cchc and kWebhookSecret when `webhook`.
  notification::v1::CreateSubscriberRequest TccbSubscriber(bool webhook) const;

  // A call context with `token` (none when empty), a deadline, and wait-for-ready.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token, int seconds = 10);
  document::v1::DocumentService::Stub& Documents() { return *documents_; }
  news::v1::NewsService::Stub& News() { return *news_; }
  scoring::v1::ScoringService::Stub& Scoring() { return *scoring_; }
  notification::v1::NotificationService::Stub& Notifications() { return *notifications_; }

  // Runs build/tools/cchcctl/cchcctl with every service's address and `token`; returns stdout, throws with
  // stderr when it fails.
  std::string Cchcctl(const std::string& args, const std::string& token = Tokens::kAdmin) const;

 private:
  std::vector<std::string> Arguments(Service s) const;

  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<PostgresCluster> pg_;
  std::unique_ptr<Broker> broker_;
  std::array<std::unique_ptr<Process>, 4> processes_;
  std::array<std::string, 4> urls_, addresses_;
  std::array<std::vector<std::string>, 4> extra_;
  std::array<int, 4> metrics_ports_{};
  std::unique_ptr<Process> webhook_;
  int webhook_port_ = 0;
  std::unique_ptr<document::v1::DocumentService::Stub> documents_;
  std::unique_ptr<news::v1::NewsService::Stub> news_;
  std::unique_ptr<scoring::v1::ScoringService::Stub> scoring_;
  std::unique_ptr<notification::v1::NotificationService::Stub> notifications_;
};

// A test suite on one SystemStack, started before its first test and stopped after its last.
class WholeSystemTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new SystemStack(); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  static inline SystemStack* stack_ = nullptr;
};

}  // namespace cchc::testing
