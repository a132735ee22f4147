#include "scoring_fixture.h"

#include <signal.h>

namespace cchc::testing {

namespace v1 = scoring::v1;

PostgresCluster* ScoringServiceTest::pg_ = nullptr;
Broker* ScoringServiceTest::broker_ = nullptr;
std::unique_ptr<Process> ScoringServiceTest::scoring_;
std::unique_ptr<DocumentDependency> ScoringServiceTest::document_;
std::unique_ptr<TempDir> ScoringServiceTest::dir_;
std::string ScoringServiceTest::scoring_url_, ScoringServiceTest::scoring_address_;
int ScoringServiceTest::scoring_metrics_ = 0;
std::unique_ptr<v1::ScoringService::Stub> ScoringServiceTest::stub_;

namespace {
v1::Criterion Node(const std::string& code, const std::string& name, const std::string& max, v1::ScoringRule rule,
                   bool evidence = false) {
  v1::Criterion c;
  c.set_code(code);
  c.set_name(name);
  c.set_max_points(max);
  c.set_rule(rule);
  c.set_evidence_required(evidence);
  return c;
}
}  // namespace

void ScoringServiceTest::SetUpTestSuite() {
  dir_ = std::make_unique<TempDir>();
  evidence_code_.clear();  // a new suite has a new document service
  pg_ = new PostgresCluster();
  broker_ = new Broker();
  document_ = std::make_unique<DocumentDependency>(*pg_, *broker_, dir_->Path());
  scoring_url_ = pg_->Provision("scoring");
  WriteTokensFile(dir_->Path() + "/tokens", {{kAdmin, "SNV admin"},
                                             {kReader, "PUBLIC reader"},
                                             {kScorerD1, "D1 scorer"},
                                             {kScorerD2, "D2 scorer"},
                                             {kScorerD3, "D3 scorer"},
                                             {kAppraiser, "SNV appraiser"},
                                             {kAppraiserD1, "D1 appraiser"},
                                             {kScoringAtDocuments, "SCORING reader"}});
  StartDocument();
  scoring_address_ = "127.0.0.1:" + std::to_string(FreePort());
  scoring_metrics_ = FreePort();
  stub_ = v1::ScoringService::NewStub(grpc::CreateChannel(scoring_address_, grpc::InsecureChannelCredentials()));
  StartScoring();
}

void ScoringServiceTest::TearDownTestSuite() {
  stub_.reset();
  if (scoring_) {
    scoring_->Signal(SIGTERM);
    scoring_->Wait(std::chrono::seconds(30));
    scoring_.reset();
  }
  if (document_->Running()) StopDocument();
  document_.reset();
  delete broker_;
  delete pg_;
  dir_.reset();
}

void ScoringServiceTest::StartScoring() {
  auto argv = ServiceArgv("scoring-service", scoring_url_, broker_->Bootstrap(), dir_->Path() + "/tokens",
                          scoring_address_, scoring_metrics_);
  argv.insert(argv.end(), {"--document-service-address", document_->Address(), "--document-service-token",
                           kScoringAtDocuments, "--document-service-timeout-ms", "1500", "--unready-seconds", "0.2",
                           "--kafka-property", "message.timeout.ms=5000"});
  scoring_ = std::make_unique<Process>(argv, dir_->Path() + "/scoring-service.log");
  ASSERT_TRUE(WaitUntilReady(*scoring_, scoring_metrics_)) << scoring_->Log();
}

void ScoringServiceTest::StartDocument() {
  document_->Start();
}

void ScoringServiceTest::StopDocument() {
  document_->Stop(SIGKILL);
}

std::unique_ptr<grpc::ClientContext> ScoringServiceTest::Context(const std::string& token) {
  return CallContext(token);
}

v1::ScoringService::Stub& ScoringServiceTest::Stub() {
  return *stub_;
}

document::v1::DocumentService::Stub& ScoringServiceTest::Documents() {
  return document_->Stub();
}

std::string ScoringServiceTest::evidence_code_;

std::string ScoringServiceTest::EvidenceDocument() {
  if (evidence_code_.empty()) evidence_code_ = document_->PublishSampleDocument(kAdmin);
  return evidence_code_;
}

v1::Framework ScoringServiceTest::NewFramework(const std::string& code) {
  v1::Framework f;
  f.set_code(code);
  f.set_title("Bộ chỉ số cải cách hành chính các sở, ban, ngành");
  f.set_unit_kind(v1::DEPARTMENT);
  f.set_year(2014);
  auto* f1 = f.add_fields();
  f1->set_code("1");
  f1->set_name("Công tác chỉ đạo, điều hành CCHC");
  *f1->add_criteria() = Node("1.1", "Kế hoạch CCHC năm", "4", v1::RANGE, true);
  *f1->add_criteria() = Node("1.2", "Báo cáo CCHC đúng hạn", "2", v1::YES_NO);
  auto* f2 = f.add_fields();
  f2->set_code("2");
  f2->set_name("Cải cách thủ tục hành chính");
  auto c = Node("2.1", "Công khai thủ tục hành chính", "", v1::SCORING_RULE_UNSPECIFIED);
  *c.add_sub_criteria() = Node("2.1.1", "Niêm yết tại trụ sở", "1.5", v1::RANGE);
  *c.add_sub_criteria() = Node("2.1.2", "Đăng trên cổng thông tin", "0.5", v1::YES_NO);
  *f2->add_criteria() = c;
  *f2->add_criteria() = Node("2.2", "Mức độ hài lòng của người dân", "2", v1::SURVEY);
  return f;
}

v1::Framework ScoringServiceTest::CreateFramework(const std::string& code) {
  v1::CreateFrameworkRequest req;
  *req.mutable_framework() = NewFramework(code);
  v1::Framework out;
  auto s = Stub().CreateFramework(Context(kAdmin).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

void ScoringServiceTest::EnsureUnits() {
  const char* names[] = {"Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Sở Y tế"};
  for (int i = 0; i < 3; ++i) {
    v1::CreateUnitRequest req;
    req.mutable_unit()->set_code("D" + std::to_string(i + 1));
    req.mutable_unit()->set_display_name(names[i]);
    req.mutable_unit()->set_kind(v1::DEPARTMENT);
    v1::Unit out;
    auto s = Stub().CreateUnit(Context(kAdmin).get(), req, &out);
    ASSERT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  }
}

v1::Period ScoringServiceTest::CreatePeriod(int year, const v1::Framework& framework) {
  v1::CreatePeriodRequest req;
  auto* p = req.mutable_period();
  p->set_year(year);
  p->set_framework(framework.name());
  p->set_title("Chỉ số CCHC các sở, ban, ngành năm " + std::to_string(year));
  p->set_self_assessment_deadline(std::to_string(year) + "-12-31");
  p->set_appraisal_deadline(std::to_string(year + 1) + "-02-15");
  v1::Period out;
  auto s = Stub().CreatePeriod(Context(kAdmin).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

v1::Period ScoringServiceTest::Advance(const v1::Period& p) {
  v1::AdvancePeriodRequest req;
  req.set_name(p.name());
  req.set_expected_state(p.state());
  v1::Period out;
  auto s = Stub().AdvancePeriod(Context(kAdmin).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

std::string ScoringServiceTest::Sql(const std::string& sql) {
  return pg_->Value(sql);
}

std::string ScoringServiceTest::Count(const std::string& table) {
  return Sql("SELECT count(*) FROM scoring." + table);
}

}  // namespace cchc::testing
