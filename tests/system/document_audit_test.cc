// The audit trail (nhật ký) through the API: each audited action once, with the caller's unit and roles; a refused
// write leaves no row; only admins list it (filters, pages, newest first); the table refuses a plain UPDATE, DELETE
// and TRUNCATE; the retention purge removes only rows older than --audit-retention-days; deleting a withdrawn
// document leaves one DELETE row and one DocumentDeleted on the broker, a draft's deletion a row and no event.
#include <set>
#include <thread>

#include "cchc/document/v1/events.pb.h"
#include "document_fixture.h"
#include "support/kafka_reader.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

class DocumentAuditTest : public DocumentServiceTest {
 public:
  static void SetUpTestSuite() {
    extra_args_ = {"--audit-retention-days", "30", "--lifecycle-interval-ms", "200"};
    DocumentServiceTest::SetUpTestSuite();
  }
  static void TearDownTestSuite() {
    DocumentServiceTest::TearDownTestSuite();
    extra_args_.clear();
  }

  static v1::Document Create(const std::string& token, v1::Document d = NewDocument()) {
    v1::CreateDocumentRequest req;
    *req.mutable_document() = std::move(d);
    v1::Document out;
    auto s = Stub().CreateDocument(Context(token).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static v1::ListAuditEventsResponse List(v1::ListAuditEventsRequest req, const std::string& token = kAdmin) {
    v1::ListAuditEventsResponse out;
    auto s = Stub().ListAuditEvents(Context(token).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  static v1::ListAuditEventsResponse Trail(const std::string& name) {
    v1::ListAuditEventsRequest req;
    req.set_resource(name);
    req.set_page_size(100);
    return List(req);
  }

  static std::vector<std::string> Actions(const v1::ListAuditEventsResponse& r) {
    std::vector<std::string> out;
    for (const auto& e : r.events()) out.push_back(v1::AuditAction_Name(e.action()));
    return out;
  }

  static std::string AuditRows(const std::string& name) {
    return pg_->Value("SELECT count(*) FROM document.audit_events WHERE resource LIKE '" + name + "%'");
  }
};

grpc::Status UploadPlan(const std::string& token, const std::string& document, v1::Attachment* stored) {
  return DocumentServiceTest::UploadText(token, document, "ke-hoach.txt", "Kế hoạch cải cách hành chính năm 2018\n",
                                         stored);
}

TEST_F(DocumentAuditTest, EachActionAppearsOnceWithItsPrincipalAndRefusedWritesLeaveNone) {
  v1::Document doc = Create(kEditor);
  const std::string name = doc.name();

  v1::UpdateDocumentRequest update;
  update.mutable_document()->set_name(name);
  update.mutable_document()->set_subject("Tuyên truyền cải cách hành chính năm 2018 (sửa đổi)");
  update.mutable_update_mask()->add_paths("subject");
  ASSERT_TRUE(Stub().UpdateDocument(Context(kEditor).get(), update, &doc).ok());

  v1::GetDocumentRequest get;
  get.set_name(name);
  v1::Document read;
  ASSERT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &read).ok());  // a draft read: READ_DRAFT

  v1::Attachment attachment;
  ASSERT_TRUE(UploadPlan(kEditor, name, &attachment).ok());
  ASSERT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &doc).ok());  // a second draft read

  // Refused writes: a stale etag, another unit's editor, deleting a published document. No row for any.
  const std::string rows_before = AuditRows(name);
  v1::PublishDocumentRequest stale;
  stale.set_name(name);
  stale.set_etag("\"1\"");
  EXPECT_EQ(Stub().PublishDocument(Context(kEditor).get(), stale, &read).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Stub().UpdateDocument(Context(kOtherEditor).get(), update, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(AuditRows(name), rows_before);

  v1::PublishDocumentRequest publish;
  publish.set_name(name);
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), publish, &doc).ok());
  v1::DeleteDocumentRequest del;
  del.set_name(name);
  v1::DeleteDocumentResponse deleted;
  EXPECT_EQ(Stub().DeleteDocument(Context(kEditor).get(), del, &deleted).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Published reads and a reader's read are not audited; a reader's download is.
  ASSERT_TRUE(Stub().GetDocument(Context(kReader).get(), get, &read).ok());
  ASSERT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &read).ok());
  v1::DownloadAttachmentRequest download;
  download.set_name(attachment.name());
  {
    auto ctx = Context(kReader);
    auto stream = Stub().DownloadAttachment(ctx.get(), download);
    v1::DownloadAttachmentResponse part;
    while (stream->Read(&part)) {
    }
    ASSERT_TRUE(stream->Finish().ok());
  }

  v1::WithdrawDocumentRequest withdraw;
  withdraw.set_name(name);
  withdraw.set_reason("Ban hành nhầm");
  ASSERT_TRUE(Stub().WithdrawDocument(Context(kEditor).get(), withdraw, &doc).ok());
  ASSERT_TRUE(Stub().DeleteDocument(Context(kAdmin).get(), del, &deleted).ok());

  auto trail = Trail(name);
  EXPECT_EQ(Actions(trail), (std::vector<std::string>{"DELETE", "WITHDRAW", "DOWNLOAD_ATTACHMENT", "PUBLISH",
                                                      "READ_DRAFT", "READ_DRAFT", "UPDATE", "CREATE"}));
  ASSERT_EQ(trail.events_size(), 8);
  EXPECT_TRUE(trail.next_page_token().empty());
  std::set<std::string> ids;
  for (const auto& e : trail.events()) {
    ids.insert(e.name());
    EXPECT_EQ(e.name().rfind("auditEvents/", 0), 0u) << e.name();
    const bool by_reader = e.action() == v1::DOWNLOAD_ATTACHMENT, by_admin = e.action() == v1::DELETE;
    EXPECT_EQ(e.principal(), by_reader ? "PUBLIC" : by_admin ? "SGDĐT" : "SGDĐT-TCCB") << e.name();
    EXPECT_EQ(e.principal_roles(), by_reader ? "reader" : by_admin ? "admin" : "editor") << e.name();
    EXPECT_EQ(e.resource(), by_reader ? attachment.name() : name);
    EXPECT_GT(e.time().seconds(), 0);
  }
  EXPECT_EQ(ids.size(), 8u);
  for (int i = 1; i < trail.events_size(); ++i)  // newest first
    EXPECT_GE(trail.events(i - 1).time().seconds() * 1000000000 + trail.events(i - 1).time().nanos(),
              trail.events(i).time().seconds() * 1000000000 + trail.events(i).time().nanos());
  ASSERT_EQ(trail.events(6).changed_fields_size(), 1);
  EXPECT_EQ(trail.events(6).changed_fields(0), "subject");
  EXPECT_EQ(trail.events(1).details(), "Ban hành nhầm");
  EXPECT_EQ(trail.events(7).details(), doc.code());
  for (const auto& e : trail.events())  // the token never reaches the trail
    for (const char* token : {kEditor, kAdmin, kReader}) EXPECT_EQ(e.DebugString().find(token), std::string::npos);
}

TEST_F(DocumentAuditTest, OnlyAdminsListTheTrail) {
  v1::ListAuditEventsRequest req;
  v1::ListAuditEventsResponse out;
  for (const char* token : {kReader, kEditor, kOtherEditor})
    EXPECT_EQ(Stub().ListAuditEvents(Context(token).get(), req, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token;
  EXPECT_EQ(Stub().ListAuditEvents(Context("no-such-token").get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Stub().ListAuditEvents(Context(kAdmin).get(), req, &out).ok());
}

TEST_F(DocumentAuditTest, FiltersAndPagesWalkTheTrailNewestFirstWithoutRepeats) {
  const std::string start = pg_->Value("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(Create(kOtherEditor).name());
  v1::GetDocumentRequest get;
  get.set_name(created[0]);
  v1::Document read;
  ASSERT_TRUE(Stub().GetDocument(Context(kOtherEditor).get(), get, &read).ok());
  const std::string end = pg_->Value(
      "SELECT to_char((now() + interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");

  v1::ListAuditEventsRequest req;
  req.set_principal("SNV");
  req.set_action(v1::CREATE);
  req.set_start_time(start);
  req.set_end_time(end);
  req.set_page_size(2);
  std::vector<std::string> walked;
  std::set<std::string> ids;
  int pages = 0;
  for (;;) {
    auto page = List(req);
    ++pages;
    for (const auto& e : page.events()) {
      EXPECT_EQ(e.principal(), "SNV");
      EXPECT_EQ(e.action(), v1::CREATE);
      walked.push_back(e.resource());
      ids.insert(e.name());
    }
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(walked, std::vector<std::string>(created.rbegin(), created.rend()));
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(pages, 3);

  v1::ListAuditEventsRequest reads;
  reads.set_principal("SNV");
  reads.set_action(v1::READ_DRAFT);
  EXPECT_EQ(Actions(List(reads)), std::vector<std::string>{"READ_DRAFT"});
  v1::ListAuditEventsRequest before;  // nothing of theirs before `start`
  before.set_principal("SNV");
  before.set_end_time(start);
  EXPECT_EQ(List(before).events_size(), 0);
}

TEST_F(DocumentAuditTest, TheTableRefusesUpdateDeleteAndTruncate) {
  Create(kEditor);
  const std::string rows = Count("audit_events");
  for (const char* sql : {"UPDATE document.audit_events SET details = 'x'", "DELETE FROM document.audit_events",
                          "TRUNCATE document.audit_events"}) {
    try {
      pg_->Sql(sql);
      ADD_FAILURE() << sql << " was allowed";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << sql << ": " << e.what();
    }
  }
  // The purge's setting outside the purge does not open the table to an UPDATE.
  EXPECT_ANY_THROW(
      pg_->Sql("BEGIN; SELECT set_config('cchc.audit_purge_before', 'infinity', true); "
               "UPDATE document.audit_events SET details = 'x'; COMMIT;"));
  EXPECT_EQ(Count("audit_events"), rows);
}

TEST_F(DocumentAuditTest, RetentionPurgesOnlyRowsOlderThanTheSetting) {
  const std::string recent = Create(kEditor).name();
  pg_->Sql(
      "INSERT INTO document.audit_events (at, principal, principal_roles, action, resource, document_id) "
      "SELECT now() - d * interval '1 day', 'OLD', 'editor', 1, 'documents/' || u, u FROM "
      "(SELECT d, gen_random_uuid() AS u FROM unnest(ARRAY[400, 31, 31, 29, 1]) AS d) x");
  auto old_left = [] {
    return pg_->Value(
        "SELECT count(*) FROM document.audit_events WHERE principal = 'OLD' AND at < now() - "
        "interval '30 days'");
  };
  for (int i = 0; i < 100 && old_left() != "0"; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(old_left(), "0");
  EXPECT_EQ(pg_->Value("SELECT count(*) FROM document.audit_events WHERE principal = 'OLD'"), "2");
  EXPECT_EQ(AuditRows(recent), "1");
}

TEST_F(DocumentAuditTest, DeletingAWithdrawnDocumentAnnouncesItOnceAndADraftNotAtAll) {
  v1::Document doc = Create(kEditor);
  v1::PublishDocumentRequest publish;
  publish.set_name(doc.name());
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), publish, &doc).ok());
  v1::WithdrawDocumentRequest withdraw;
  withdraw.set_name(doc.name());
  withdraw.set_reason("Sai thể thức");
  ASSERT_TRUE(Stub().WithdrawDocument(Context(kEditor).get(), withdraw, &doc).ok());
  v1::DeleteDocumentRequest del;
  del.set_name(doc.name());
  v1::DeleteDocumentResponse out;
  ASSERT_TRUE(Stub().DeleteDocument(Context(kEditor).get(), del, &out).ok());
  const v1::Document draft = Create(kEditor);
  del.set_name(draft.name());
  ASSERT_TRUE(Stub().DeleteDocument(Context(kEditor).get(), del, &out).ok());

  v1::ListAuditEventsRequest deletes;
  deletes.set_action(v1::DELETE);
  std::multiset<std::string> deleted;  // the first test's deletion is there too
  const auto listed = List(deletes);
  for (const auto& e : listed.events()) deleted.insert(e.resource());
  EXPECT_EQ(deleted.count(doc.name()), 1u);
  EXPECT_EQ(deleted.count(draft.name()), 1u);

  // Published, withdrawn, deleted: three events for doc, then the topic stays quiet. Deduped by ce_id, as a
  // consumer would: exactly one DocumentDeleted; none about the draft.
  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.document.v1", 3, std::chrono::seconds(20));
  std::set<std::string> deleted_ids;
  for (const auto& m : messages) {
    EXPECT_NE(m.key, draft.name());
    if (m.key != doc.name() || m.headers.at("ce_type") != "cchc.document.v1.DocumentDeleted") continue;
    deleted_ids.insert(m.headers.at("ce_id"));
    v1::DocumentDeleted event;
    ASSERT_TRUE(event.ParseFromString(m.value));
    EXPECT_EQ(event.name(), doc.name());
    EXPECT_EQ(event.code(), doc.code());
    EXPECT_EQ(event.deleted_by(), "SGDĐT-TCCB");
    EXPECT_EQ(event.withdraw_reason(), "Sai thể thức");
    EXPECT_EQ(event.issuer_code(), "SGDĐT");
  }
  EXPECT_EQ(deleted_ids.size(), 1u);
  EXPECT_EQ(pg_->Value("SELECT count(*) FROM document.outbox WHERE event_type = 'cchc.document.v1.DocumentDeleted' "
                       "AND aggregate_id = '" +
                       doc.name() + "'"),
            "1");
}

}  // namespace
}  // namespace cchc::testing
