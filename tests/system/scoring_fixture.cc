#include "scoring_fixture.h"

#include <signal.h>

#include <fstream>

#include "platform/auth.h"

namespace cchc::testing {

namespace v1 = scoring::v1;

PostgresCluster* ScoringServiceTest::pg_ = nullptr;
Broker* ScoringServiceTest::broker_ = nullptr;
std::unique_ptr<Process> ScoringServiceTest::scoring_, ScoringServiceTest::document_;
std::unique_ptr<TempDir> ScoringServiceTest::dir_;
std::string ScoringServiceTest::scoring_url_, ScoringServiceTest::document_url_, ScoringServiceTest::scoring_address_,
    ScoringServiceTest::document_address_;
int ScoringServiceTest::scoring_metrics_ = 0;
int ScoringServiceTest::document_metrics_ = 0;
std::unique_ptr<v1::ScoringService::Stub> ScoringServiceTest::stub_;
std::unique_ptr<document::v1::DocumentService::Stub> ScoringServiceTest::documents_;

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
  document_url_ = pg_->Provision("document");
  scoring_url_ = pg_->Provision("scoring");
  std::ofstream tokens(dir_->Path() + "/tokens");
  tokens << crypto::Sha256Hex(kAdmin) << " SNV admin\n"
         << crypto::Sha256Hex(kReader) << " PUBLIC reader\n"
         << crypto::Sha256Hex(kScorerD1) << " D1 scorer\n"
         << crypto::Sha256Hex(kScorerD2) << " D2 scorer\n"
         << crypto::Sha256Hex(kScorerD3) << " D3 scorer\n"
         << crypto::Sha256Hex(kAppraiser) << " SNV appraiser\n"
         << crypto::Sha256Hex(kAppraiserD1) << " D1 appraiser\n"
         << crypto::Sha256Hex(kScoringAtDocuments) << " SCORING reader\n";
  tokens.close();
  document_address_ = "127.0.0.1:" + std::to_string(FreePort());
  document_metrics_ = FreePort();
  StartDocument();
  documents_ = document::v1::DocumentService::NewStub(
      grpc::CreateChannel(document_address_, grpc::InsecureChannelCredentials()));
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
  documents_.reset();
  if (document_) StopDocument();
  delete broker_;
  delete pg_;
  dir_.reset();
}

void ScoringServiceTest::StartScoring() {
  scoring_ = std::make_unique<Process>(std::vector<std::string>{BinaryPath("scoring-service"),
                                                                "--database-url",
                                                                scoring_url_,
                                                                "--kafka-brokers",
                                                                broker_->Bootstrap(),
                                                                "--tokens-file",
                                                                dir_->Path() + "/tokens",
                                                                "--grpc-address",
                                                                scoring_address_,
                                                                "--metrics-address",
                                                                "127.0.0.1:" + std::to_string(scoring_metrics_),
                                                                "--document-service-address",
                                                                document_address_,
                                                                "--document-service-token",
                                                                kScoringAtDocuments,
                                                                "--document-service-timeout-ms",
                                                                "1500",
                                                                "--unready-seconds",
                                                                "0.2",
                                                                "--kafka-property",
                                                                "message.timeout.ms=5000"},
                                       dir_->Path() + "/scoring-service.log");
  ASSERT_TRUE(WaitUntilReady(*scoring_, scoring_metrics_)) << scoring_->Log();
}

void ScoringServiceTest::StartDocument() {
  document_ = std::make_unique<Process>(
      std::vector<std::string>{BinaryPath("document-service"), "--database-url", document_url_, "--kafka-brokers",
                               broker_->Bootstrap(), "--tokens-file", dir_->Path() + "/tokens", "--grpc-address",
                               document_address_, "--metrics-address", "127.0.0.1:" + std::to_string(document_metrics_),
                               "--unready-seconds", "0.1", "--drain-seconds", "1"},
      dir_->Path() + "/document-service.log");
  ASSERT_TRUE(WaitUntilReady(*document_, document_metrics_)) << document_->Log();
}

void ScoringServiceTest::StopDocument() {
  document_->Signal(SIGKILL);
  document_->Wait(std::chrono::seconds(30));
  document_.reset();
}

std::unique_ptr<grpc::ClientContext> ScoringServiceTest::Context(const std::string& token) {
  return CallContext(token);
}

v1::ScoringService::Stub& ScoringServiceTest::Stub() {
  return *stub_;
}

document::v1::DocumentService::Stub& ScoringServiceTest::Documents() {
  return *documents_;
}

std::string ScoringServiceTest::evidence_code_;

std::string ScoringServiceTest::EvidenceDocument() {
  std::string& code = evidence_code_;
  if (!code.empty()) return code;
  document::v1::CreateDocumentRequest create;
  auto* d = create.mutable_document();
  d->set_code("998/QĐ-SGDĐT");
  d->set_issue_date("2018-06-07");
  d->set_subject("Công bố chỉ số cải cách hành chính đối với các đơn vị sự nghiệp");
  d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  document::v1::Document created, published;
  auto s = Documents().CreateDocument(Context(kAdmin).get(), create, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  document::v1::PublishDocumentRequest publish;
  publish.set_name(created.name());
  s = Documents().PublishDocument(Context(kAdmin).get(), publish, &published);
  EXPECT_TRUE(s.ok()) << s.error_message();
  code = published.code();
  return code;
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
  auto out = pg_->Sql(sql);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string ScoringServiceTest::Count(const std::string& table) {
  return Sql("SELECT count(*) FROM scoring." + table);
}

}  // namespace cchc::testing
