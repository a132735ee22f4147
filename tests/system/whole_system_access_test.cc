// The access matrix across the four services: every RPC of every service × {no token, an unknown token, each
// role}, called with an empty request through a generic stub, so the matrix covers each RPC the services
// expose (one missing from the table below fails the test). Expected: no or unknown token → UNAUTHENTICATED;
// a principal without the RPC's role → PERMISSION_DENIED; with it, neither (the empty request then fails
// validation, which is the next check). RPCs whose rule depends on the resource (a scorer's own unit, an
// appraiser not of the unit, an assessment before publication, another unit's drafts, a subscriber's own
// inbox) are checked with real resources below, and each service's database role is shown unable to touch
// another service's schema.
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <map>
#include <pqxx/pqxx>

#include "system/system_stack.h"

namespace cchc::testing {
namespace {

enum class Rule { kReader, kEditor, kModerator, kScorer, kAppraiser, kAdmin, kOwner };

// The role each RPC needs (kOwner: any principal passes the role check; the resource decides).
const std::map<std::string, Rule>& Rules() {
  static const std::map<std::string, Rule> rules = {
      {"cchc.document.v1.DocumentService/CreateDocument", Rule::kEditor},
      {"cchc.document.v1.DocumentService/GetDocument", Rule::kReader},
      {"cchc.document.v1.DocumentService/GetDocumentByCode", Rule::kReader},
      {"cchc.document.v1.DocumentService/UpdateDocument", Rule::kEditor},
      {"cchc.document.v1.DocumentService/PublishDocument", Rule::kEditor},
      {"cchc.document.v1.DocumentService/WithdrawDocument", Rule::kEditor},
      {"cchc.document.v1.DocumentService/DeleteDocument", Rule::kEditor},
      {"cchc.document.v1.DocumentService/ListDocuments", Rule::kReader},
      {"cchc.document.v1.DocumentService/SearchDocuments", Rule::kReader},
      {"cchc.document.v1.DocumentService/UploadAttachment", Rule::kEditor},
      {"cchc.document.v1.DocumentService/DownloadAttachment", Rule::kReader},
      // The outgoing register (sổ văn bản đi); ReserveNumber, CancelReservation and CreateDocument with a reservation
      // also need the register's issuer (tests/integration/document_register_test.cc, WhoMayDoWhat).
      {"cchc.document.v1.DocumentService/CreateRegister", Rule::kAdmin},
      {"cchc.document.v1.DocumentService/GetRegister", Rule::kEditor},
      {"cchc.document.v1.DocumentService/ListRegisters", Rule::kEditor},
      {"cchc.document.v1.DocumentService/ReserveNumber", Rule::kEditor},
      {"cchc.document.v1.DocumentService/CancelReservation", Rule::kEditor},
      // Versions: and of the document's unit (tests/system/document_versions_test.cc)
      {"cchc.document.v1.DocumentService/ListDocumentVersions", Rule::kEditor},
      {"cchc.document.v1.DocumentService/GetDocumentVersion", Rule::kEditor},
      {"cchc.document.v1.DocumentService/ListAuditEvents", Rule::kAdmin},  // only admins read the audit trail
      {"cchc.news.v1.NewsService/CreateArticle", Rule::kEditor},
      {"cchc.news.v1.NewsService/GetArticle", Rule::kReader},
      {"cchc.news.v1.NewsService/GetArticleBySlug", Rule::kReader},
      {"cchc.news.v1.NewsService/UpdateArticle", Rule::kEditor},
      {"cchc.news.v1.NewsService/PublishArticle", Rule::kEditor},
      {"cchc.news.v1.NewsService/UnpublishArticle", Rule::kEditor},
      {"cchc.news.v1.NewsService/ArchiveArticle", Rule::kEditor},
      {"cchc.news.v1.NewsService/ListArticles", Rule::kReader},
      {"cchc.news.v1.NewsService/SearchArticles", Rule::kReader},
      {"cchc.news.v1.NewsService/RecordView", Rule::kReader},
      {"cchc.news.v1.NewsService/SubmitComment", Rule::kReader},
      {"cchc.news.v1.NewsService/ListComments", Rule::kReader},
      {"cchc.news.v1.NewsService/ModerateComment", Rule::kModerator},
      {"cchc.news.v1.NewsService/PutSchoolYear", Rule::kAdmin},
      {"cchc.news.v1.NewsService/GetSchoolYear", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/CreateFramework", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/GetFramework", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/ListFrameworks", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/UpdateFramework", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/NewFrameworkVersion", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/CreateUnit", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/GetUnit", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/ListUnits", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/CreatePeriod", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/GetPeriod", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/ListPeriods", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/AdvancePeriod", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/ImportResults", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/GetAssessment", Rule::kReader},  // and, until published, an insider
      {"cchc.scoring.v1.ScoringService/SaveSelfAssessment", Rule::kScorer},
      {"cchc.scoring.v1.ScoringService/SubmitAssessment", Rule::kScorer},
      {"cchc.scoring.v1.ScoringService/SaveAppraisal", Rule::kAppraiser},
      {"cchc.scoring.v1.ScoringService/CompleteAppraisal", Rule::kAppraiser},
      {"cchc.scoring.v1.ScoringService/GetRanking", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/GetResult", Rule::kReader},
      {"cchc.scoring.v1.ScoringService/RecordUnitChange", Rule::kAdmin},
      {"cchc.scoring.v1.ScoringService/GetImprovementPlan", Rule::kReader},
      {"cchc.notification.v1.NotificationService/CreateSubscriber", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/GetSubscriber", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/ListSubscribers", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/UpdateSubscriber", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/DeleteSubscriber", Rule::kAdmin},
      // and only for a subscriber of the editor's unit (tests/integration/notification_secrets_test.cc)
      {"cchc.notification.v1.NotificationService/RotateWebhookSecret", Rule::kEditor},
      {"cchc.notification.v1.NotificationService/EnableWebhook", Rule::kEditor},  // and of the subscriber's unit
      {"cchc.notification.v1.NotificationService/CreateSubscription", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/ListSubscriptions", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/DeleteSubscription", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/UpdateSubscription", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/ListNotifications", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/MarkRead", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/MarkAllRead", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/WatchNotifications", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/GetDeliveryStatus", Rule::kOwner},
      {"cchc.notification.v1.NotificationService/ListDeadLetters", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/RetryDeadLetter", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/ImportHolidays", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/ListHolidays", Rule::kAdmin},
      {"cchc.notification.v1.NotificationService/ResendDelivery", Rule::kEditor},  // and of the subscriber's unit
      {"cchc.notification.v1.NotificationService/RecoverFailedDeliveries", Rule::kEditor},  // likewise
  };
  return rules;
}

struct Caller {
  const char* name;
  std::string token;        // empty: none
  std::vector<Rule> rules;  // the roles it holds (admin: all)
};

const std::vector<Caller>& Callers() {
  static const std::vector<Caller> callers = {
      {"no token", "", {}},
      {"unknown token", "not-a-token-of-this-stack", {}},
      {"reader", Tokens::kReader, {Rule::kReader}},
      {"editor", Tokens::kEditor, {Rule::kReader, Rule::kEditor}},
      {"moderator", Tokens::kModerator, {Rule::kReader, Rule::kModerator}},
      {"scorer", Tokens::kScorer, {Rule::kReader, Rule::kScorer}},
      {"appraiser", Tokens::kAppraiser, {Rule::kReader, Rule::kAppraiser}},
      {"admin",
       Tokens::kAdmin,
       {Rule::kReader, Rule::kEditor, Rule::kModerator, Rule::kScorer, Rule::kAppraiser, Rule::kAdmin}},
  };
  return callers;
}

// One call of `method` ("/pkg.Service/Method") with an empty request, any kind of RPC (generic bidi stream:
// one message, half-close, read, finish).
grpc::Status EmptyCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                       const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  auto wait = [&cq] {
    void* tag;
    bool ok;
    cq.Next(&tag, &ok);
    return ok;
  };
  auto call = stub.PrepareCall(&ctx, method, &cq);
  call->StartCall(reinterpret_cast<void*>(1));
  wait();
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  wait();
  call->WritesDone(reinterpret_cast<void*>(3));
  wait();
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  if (wait()) ctx.TryCancel();  // a stream that answered: enough
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  wait();
  cq.Shutdown();
  void* tag;
  bool ok;
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

class WholeSystemAccessTest : public WholeSystemTest {};

TEST_F(WholeSystemAccessTest, EveryRpcTimesEveryCaller) {
  const std::map<std::string, Service> services = {
      {"cchc.document.v1.DocumentService", Service::kDocument},
      {"cchc.news.v1.NewsService", Service::kNews},
      {"cchc.scoring.v1.ScoringService", Service::kScoring},
      {"cchc.notification.v1.NotificationService", Service::kNotification},
  };
  int checked = 0;
  for (const auto& [service_name, service] : services) {
    const auto* descriptor = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_name);
    ASSERT_NE(descriptor, nullptr) << service_name;
    auto channel = grpc::CreateChannel(stack_->Address(service), grpc::InsecureChannelCredentials());
    for (int m = 0; m < descriptor->method_count(); ++m) {
      std::string key = service_name + "/" + descriptor->method(m)->name();
      auto rule = Rules().find(key);
      ASSERT_NE(rule, Rules().end()) << key << " is not in the access matrix";
      for (const auto& caller : Callers()) {
        grpc::Status status = EmptyCall(channel, "/" + key, caller.token);
        bool holds = rule->second == Rule::kOwner
                         ? !caller.token.empty() && caller.name != std::string("unknown token")
                         : std::find(caller.rules.begin(), caller.rules.end(), rule->second) != caller.rules.end();
        if (caller.token.empty() || caller.name == std::string("unknown token")) {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << key << " × " << caller.name;
        } else if (!holds) {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << key << " × " << caller.name << ": " << status.error_message();
        } else {
          EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << key << " × " << caller.name;
          if (rule->second != Rule::kOwner) {
            EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
                << key << " × " << caller.name << ": " << status.error_message();
          }
          EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << key << " × " << caller.name;
          EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN) << key << " × " << caller.name;
        }
        ++checked;
      }
    }
  }
  std::cout << "access matrix: " << checked << " calls checked\n";
  EXPECT_EQ(static_cast<size_t>(checked), Rules().size() * Callers().size());
}

TEST_F(WholeSystemAccessTest, AnotherUnitsInboxIsNotYours) {
  namespace tv1 = notification::v1;
  SystemStack& s = *stack_;
  tv1::CreateSubscriberRequest req;
  req.mutable_subscriber()->set_id("TCCB-ACCESS");
  req.mutable_subscriber()->set_display_name("Phòng Tổ chức cán bộ");
  req.mutable_subscriber()->set_kind(tv1::UNIT);
  req.mutable_subscriber()->set_unit("SGDĐT-TCCB");
  tv1::Subscriber sub;
  ASSERT_TRUE(s.Notifications().CreateSubscriber(s.Context(Tokens::kAdmin).get(), req, &sub).ok());
  tv1::ListNotificationsRequest list;
  list.set_parent(sub.name());
  tv1::ListNotificationsResponse out;
  EXPECT_TRUE(s.Notifications().ListNotifications(s.Context(Tokens::kTccbInbox).get(), list, &out).ok());
  EXPECT_EQ(s.Notifications().ListNotifications(s.Context(Tokens::kOtherUnit).get(), list, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  tv1::WatchNotificationsRequest watch;
  watch.set_parent(sub.name());
  auto ctx = s.Context(Tokens::kOtherUnit, 3);
  auto reader = s.Notifications().WatchNotifications(ctx.get(), watch);
  tv1::Notification n;
  while (reader->Read(&n)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(WholeSystemAccessTest, AnEditorListingDraftsSeesOnlyItsOwnUnits) {
  namespace dv1 = document::v1;
  SystemStack& s = *stack_;
  dv1::CreateDocumentRequest create;
  create.mutable_document()->set_code("12/KH-SGDĐT");
  create.mutable_document()->set_issue_date("2018-06-20");
  create.mutable_document()->set_subject("Kế hoạch kiểm tra cải cách hành chính năm 2018");
  create.mutable_document()->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  dv1::Document draft;
  ASSERT_TRUE(s.Documents().CreateDocument(s.Context(Tokens::kEditor).get(), create, &draft).ok());
  auto drafts = [&](const char* token) {
    dv1::ListDocumentsRequest list;
    list.mutable_filter()->set_status(dv1::DRAFT);
    dv1::ListDocumentsResponse out;
    EXPECT_TRUE(s.Documents().ListDocuments(s.Context(token).get(), list, &out).ok()) << token;
    std::vector<std::string> names;
    for (const auto& d : out.documents()) names.push_back(d.name());
    return names;
  };
  EXPECT_EQ(drafts(Tokens::kEditor), std::vector<std::string>{draft.name()});
  EXPECT_EQ(drafts(Tokens::kAdmin), std::vector<std::string>{draft.name()});
  EXPECT_TRUE(drafts(Tokens::kOtherUnit).empty());  // Sở Nội vụ's editor
  dv1::GetDocumentRequest get;
  get.set_name(draft.name());
  dv1::Document out;
  EXPECT_EQ(s.Documents().GetDocument(s.Context(Tokens::kOtherUnit).get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(WholeSystemAccessTest, AnAssessmentIsForInsidersUntilItsPeriodIsPublished) {
  namespace sv1 = scoring::v1;
  SystemStack& s = *stack_;
  auto admin = [&] { return s.Context(Tokens::kAdmin); };
  sv1::CreateFrameworkRequest framework;
  auto* f = framework.mutable_framework();
  f->set_code("PAR-ACCESS");
  f->set_title("Bộ chỉ số cải cách hành chính các sở, ban, ngành");
  f->set_unit_kind(sv1::DEPARTMENT);
  f->set_year(2016);
  auto* field = f->add_fields();
  field->set_code("1");
  field->set_name("Công tác chỉ đạo, điều hành CCHC");
  auto* criterion = field->add_criteria();
  criterion->set_code("1.1");
  criterion->set_name("Kế hoạch CCHC năm");
  criterion->set_max_points("10");
  sv1::Framework created;
  ASSERT_TRUE(s.Scoring().CreateFramework(admin().get(), framework, &created).ok());
  sv1::CreateUnitRequest unit;
  unit.mutable_unit()->set_code("SGDDT");
  unit.mutable_unit()->set_display_name("Sở Giáo dục và Đào tạo");
  unit.mutable_unit()->set_kind(sv1::DEPARTMENT);
  sv1::Unit u;
  ASSERT_TRUE(s.Scoring().CreateUnit(admin().get(), unit, &u).ok());
  sv1::CreatePeriodRequest create;
  create.mutable_period()->set_year(2016);
  create.mutable_period()->set_framework(created.name());
  create.mutable_period()->set_title("Kỳ đánh giá năm 2016");
  sv1::Period period;
  ASSERT_TRUE(s.Scoring().CreatePeriod(admin().get(), create, &period).ok());
  auto advance = [&] {
    sv1::AdvancePeriodRequest req;
    req.set_name(period.name());
    req.set_expected_state(period.state());
    auto status = s.Scoring().AdvancePeriod(admin().get(), req, &period);
    ASSERT_TRUE(status.ok()) << status.error_message();
  };
  auto read = [&](const char* token) {
    sv1::GetAssessmentRequest req;
    req.set_period(period.name());
    req.set_unit_code("SGDDT");
    sv1::Assessment a;
    return s.Scoring().GetAssessment(s.Context(token).get(), req, &a).error_code();
  };
  auto score = [](const char* points, bool appraised) {
    sv1::Score sc;
    sc.set_criterion_code("1.1");
    if (appraised) {
      sc.set_appraised_points(points);
      sc.set_appraisal_comment("Thống nhất");
    } else {
      sc.set_self_points(points);
      sc.set_explanation("Đã ban hành kế hoạch");
    }
    return sc;
  };
  for (int step = 0; step < 3; ++step) {  // OPEN, SELF_ASSESSMENT, APPRAISAL
    SCOPED_TRACE(sv1::PeriodState_Name(period.state()));
    sv1::Assessment a;
    if (period.state() == sv1::SELF_ASSESSMENT) {  // admin self-assesses for the unit, which has no scorer here
      sv1::SaveSelfAssessmentRequest save;
      save.set_period(period.name());
      save.set_unit_code("SGDDT");
      *save.add_scores() = score("8", false);
      ASSERT_TRUE(s.Scoring().SaveSelfAssessment(admin().get(), save, &a).ok());
      sv1::SubmitAssessmentRequest submit;
      submit.set_period(period.name());
      submit.set_unit_code("SGDDT");
      ASSERT_TRUE(s.Scoring().SubmitAssessment(admin().get(), submit, &a).ok());
    } else if (period.state() == sv1::APPRAISAL) {
      sv1::SaveAppraisalRequest save;
      save.set_period(period.name());
      save.set_unit_code("SGDDT");
      *save.add_scores() = score("7.5", true);
      ASSERT_TRUE(s.Scoring().SaveAppraisal(s.Context(Tokens::kAppraiser).get(), save, &a).ok());
      sv1::CompleteAppraisalRequest complete;
      complete.set_period(period.name());
      complete.set_unit_code("SGDDT");
      ASSERT_TRUE(s.Scoring().CompleteAppraisal(s.Context(Tokens::kAppraiser).get(), complete, &a).ok());
    }
    EXPECT_EQ(read(Tokens::kReader), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(read(Tokens::kEditor), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(read(Tokens::kOtherUnit), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(read(Tokens::kAppraiser), grpc::StatusCode::OK);
    EXPECT_EQ(read(Tokens::kAdmin), grpc::StatusCode::OK);
    advance();
  }
  ASSERT_EQ(period.state(), sv1::PUBLISHED);
  EXPECT_EQ(read(Tokens::kReader), grpc::StatusCode::OK);
  EXPECT_EQ(read(Tokens::kOtherUnit), grpc::StatusCode::OK);
}

TEST_F(WholeSystemAccessTest, EachServiceRoleSeesOnlyItsOwnSchema) {
  const std::map<Service, std::string> tables = {{Service::kDocument, "document.documents"},
                                                 {Service::kNews, "news.articles"},
                                                 {Service::kScoring, "scoring.units"},
                                                 {Service::kNotification, "notification.subscribers"}};
  int refused = 0;
  for (Service who : kAllServices) {
    pqxx::connection c(stack_->DatabaseUrl(who));
    for (const auto& [owner, table] : tables) {
      if (owner == who) {
        pqxx::nontransaction tx(c);
        EXPECT_NO_THROW(tx.exec("SELECT count(*) FROM " + table)) << ServiceName(who);
        continue;
      }
      for (const std::string& sql : {"SELECT count(*) FROM " + table, "DELETE FROM " + table,
                                     "CREATE TABLE " + table.substr(0, table.find('.')) + ".intruder (x int)"}) {
        pqxx::nontransaction tx(c);
        EXPECT_THROW(tx.exec(sql), pqxx::insufficient_privilege) << ServiceName(who) << ": " << sql;
        ++refused;
      }
    }
  }
  std::cout << "database roles: " << refused << " cross-schema statements refused\n";
}

}  // namespace
}  // namespace cchc::testing
