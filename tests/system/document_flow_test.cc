// The document service driven over gRPC as departments use it.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cchc/document/v1/events.pb.h"
#include "document_fixture.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "platform/auth.h"
#include "support/kafka_reader.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

v1::Document CreateAndPublish(v1::DocumentService::Stub& stub, v1::Document d, const std::string& token) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = d;
  v1::Document created, published;
  auto s = stub.CreateDocument(DocumentServiceTest::Context(token).get(), req, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::PublishDocumentRequest pub;
  pub.set_name(created.name());
  s = stub.PublishDocument(DocumentServiceTest::Context(token).get(), pub, &published);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return published;
}

TEST_F(DocumentServiceTest, PublishedDocumentIsFoundByTolerantCodeListAndAccentFreeSearch) {
  v1::Document d;
  d.set_code("998/QĐ-SGDĐT");
  d.set_issue_date("2018-06-07");
  d.set_subject(
      "Công bố chỉ số cải cách hành chính đối với các đơn vị sự nghiệp trực thuộc Sở Giáo dục và Đào tạo Sóc Trăng");
  d.add_fields("Cải cách hành chính");
  d.set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  v1::Document published = CreateAndPublish(Stub(), d, kEditor);
  EXPECT_EQ(published.status(), v1::PUBLISHED);
  EXPECT_EQ(published.type_name(), "Quyết định");
  EXPECT_EQ(published.issuer_code(), "SGDĐT");
  EXPECT_EQ(published.created_by(), "SGDĐT-TCCB");

  v1::GetDocumentByCodeRequest by_code;
  by_code.set_code("998/qd-sgddt");
  v1::Document found;
  ASSERT_TRUE(Stub().GetDocumentByCode(Context(kReader).get(), by_code, &found).ok());
  EXPECT_EQ(found.name(), published.name());
  EXPECT_EQ(found.code(), "998/QĐ-SGDĐT");

  v1::ListDocumentsRequest list;
  list.mutable_filter()->set_field("cai cach HANH CHINH");
  v1::ListDocumentsResponse listed;
  ASSERT_TRUE(Stub().ListDocuments(Context(kReader).get(), list, &listed).ok());
  std::set<std::string> names;
  for (const auto& doc : listed.documents()) names.insert(doc.name());
  EXPECT_TRUE(names.count(published.name()));

  // BASIC (the portal's sidebar and list): the fields a list shows, for a reader (a prepared list) and for an
  // editor (the generic one) alike; the signer, the fields and the rest left out.
  list.set_view(v1::BASIC);
  for (const char* token : {kReader, kEditor}) {
    v1::ListDocumentsResponse basic;
    ASSERT_TRUE(Stub().ListDocuments(Context(token).get(), list, &basic).ok()) << token;
    const v1::Document* got = nullptr;
    for (const auto& doc : basic.documents())
      if (doc.name() == published.name()) got = &doc;
    ASSERT_NE(got, nullptr) << token;
    EXPECT_EQ(got->code(), published.code());
    EXPECT_EQ(got->subject(), published.subject());
    EXPECT_EQ(got->issue_date(), "2018-06-07");
    EXPECT_EQ(got->issuer_name(), published.issuer_name());
    EXPECT_EQ(got->type_name(), "Quyết định");
    EXPECT_EQ(got->etag(), published.etag());
    EXPECT_EQ(got->status(), v1::PUBLISHED);
    EXPECT_EQ(got->validity(), published.validity());
    EXPECT_EQ(got->update_time().seconds(), published.update_time().seconds());
    EXPECT_TRUE(got->signer().name().empty() && got->fields().empty() && got->issuer_code().empty()) << token;
  }

  for (std::string query :
       {"cong bo chi so cai cach", "CÔNG BỐ CHỈ SỐ", "co\xCC\x82ng bo\xCC\x82\xCC\x81 chi\xCC\x89 so\xCC\x82\xCC\x81",
        "998/qd-sgddt", "su ngh"}) {
    v1::SearchDocumentsRequest search;
    search.set_query(query);
    v1::SearchDocumentsResponse results;
    auto s = Stub().SearchDocuments(Context(kReader).get(), search, &results);
    ASSERT_TRUE(s.ok()) << query << ": " << s.error_message();
    ASSERT_GT(results.documents_size(), 0) << query;
    EXPECT_EQ(results.documents(0).name(), published.name()) << query;
  }

  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.document.v1", 1, std::chrono::seconds(20));
  bool seen = false;
  for (const auto& m : messages) {
    if (m.key != published.name()) continue;
    EXPECT_EQ(m.headers.at("ce_type"), "cchc.document.v1.DocumentPublished");
    EXPECT_EQ(m.headers.at("ce_source"), "/cchc/document");
    EXPECT_EQ(m.headers.at("ce_subject"), published.name());
    v1::DocumentPublished event;
    ASSERT_TRUE(event.ParseFromString(m.value));
    EXPECT_EQ(event.document().code(), "998/QĐ-SGDĐT");
    seen = true;
  }
  EXPECT_TRUE(seen);
}

TEST_F(DocumentServiceTest, ReadersSeeOnlyPublishedDocuments) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  v1::Document draft;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &draft).ok());
  v1::GetDocumentRequest get;
  get.set_name(draft.name());
  v1::Document out;
  EXPECT_EQ(Stub().GetDocument(Context(kReader).get(), get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &out).ok());
}

TEST_F(DocumentServiceTest, RequestIdReplaysTheFirstAnswer) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  req.set_request_id("create-once-1");
  v1::Document first, second;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &first).ok());
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &second).ok());
  EXPECT_EQ(first.name(), second.name());
  EXPECT_EQ(first.etag(), second.etag());
}

TEST_F(DocumentServiceTest, UpdateWithdrawAndEtags) {
  v1::Document doc = CreateAndPublish(Stub(), NewDocument("BC"), kEditor);
  v1::UpdateDocumentRequest update;
  update.mutable_document()->set_name(doc.name());
  update.mutable_document()->set_etag(doc.etag());
  update.mutable_document()->set_subject("Báo cáo kết quả thực hiện công tác cải cách hành chính quý I");
  update.mutable_update_mask()->add_paths("subject");
  v1::Document updated;
  ASSERT_TRUE(Stub().UpdateDocument(Context(kEditor).get(), update, &updated).ok());
  EXPECT_EQ(updated.subject(), "Báo cáo kết quả thực hiện công tác cải cách hành chính quý I");
  EXPECT_NE(updated.etag(), doc.etag());
  // The old etag is stale now.
  EXPECT_EQ(Stub().UpdateDocument(Context(kEditor).get(), update, &updated).error_code(), grpc::StatusCode::ABORTED);
  // Another unit's editor may not change it.
  update.mutable_document()->clear_etag();
  EXPECT_EQ(Stub().UpdateDocument(Context(kOtherEditor).get(), update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The code of a published document is fixed.
  update.mutable_update_mask()->set_paths(0, "code");
  update.mutable_document()->set_code("1/BC-SGDĐT");
  EXPECT_EQ(Stub().UpdateDocument(Context(kEditor).get(), update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::WithdrawDocumentRequest withdraw;
  withdraw.set_name(doc.name());
  withdraw.set_reason("Ban hành nhầm");
  v1::Document withdrawn;
  ASSERT_TRUE(Stub().WithdrawDocument(Context(kEditor).get(), withdraw, &withdrawn).ok());
  EXPECT_EQ(withdrawn.status(), v1::WITHDRAWN);
  EXPECT_EQ(Stub().WithdrawDocument(Context(kEditor).get(), withdraw, &withdrawn).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.document.v1", 3, std::chrono::seconds(20));
  std::vector<std::string> types;
  for (const auto& m : messages)
    if (m.key == doc.name()) types.push_back(m.headers.at("ce_type"));
  EXPECT_EQ(types, (std::vector<std::string>{"cchc.document.v1.DocumentPublished", "cchc.document.v1.DocumentUpdated",
                                             "cchc.document.v1.DocumentWithdrawn"}));

  v1::DeleteDocumentRequest del;
  del.set_name(doc.name());
  v1::DeleteDocumentResponse deleted;
  EXPECT_TRUE(Stub().DeleteDocument(Context(kEditor).get(), del, &deleted).ok());
}

// A refused publish or withdrawal writes nothing, event included.
TEST_F(DocumentServiceTest, RefusedPublishAndWithdrawChangeNothing) {
  v1::CreateDocumentRequest create;
  *create.mutable_document() = NewDocument("TTr");
  v1::Document draft;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), create, &draft).ok());
  auto events = [&] {
    return pg_->Sql("SELECT count(*) FROM document.outbox WHERE aggregate_id = '" + draft.name() + "'");
  };
  auto current = [&] {
    v1::GetDocumentRequest get;
    get.set_name(draft.name());
    v1::Document d;
    EXPECT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &d).ok());
    return d;
  };
  v1::PublishDocumentRequest publish;
  publish.set_name(draft.name());
  v1::Document out;
  // Another unit's draft does not exist for its editor (document_visibility_test.cc).
  EXPECT_EQ(Stub().PublishDocument(Context(kOtherEditor).get(), publish, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  publish.set_etag("\"99\"");
  EXPECT_EQ(Stub().PublishDocument(Context(kEditor).get(), publish, &out).error_code(), grpc::StatusCode::ABORTED);
  v1::WithdrawDocumentRequest withdraw;
  withdraw.set_name(draft.name());
  withdraw.set_reason("Chưa ban hành");
  EXPECT_EQ(Stub().WithdrawDocument(Context(kEditor).get(), withdraw, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::Document still = current();
  EXPECT_EQ(still.status(), v1::DRAFT);
  EXPECT_EQ(still.etag(), draft.etag());
  EXPECT_EQ(still.withdraw_reason(), "");
  EXPECT_FALSE(still.has_publish_time());
  EXPECT_EQ(events(), "0\n");

  publish.set_etag(draft.etag());
  v1::Document published;
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), publish, &published).ok());
  EXPECT_EQ(published.status(), v1::PUBLISHED);
  EXPECT_NE(published.etag(), draft.etag());
  EXPECT_TRUE(published.has_publish_time());
  EXPECT_EQ(Stub().PublishDocument(Context(kEditor).get(), publish, &out).error_code(), grpc::StatusCode::ABORTED);
  publish.clear_etag();
  EXPECT_EQ(Stub().PublishDocument(Context(kEditor).get(), publish, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Stub().WithdrawDocument(Context(kOtherEditor).get(), withdraw, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  still = current();
  EXPECT_EQ(still.status(), v1::PUBLISHED);
  EXPECT_EQ(still.etag(), published.etag());
  EXPECT_EQ(still.update_time().seconds(), published.update_time().seconds());
  EXPECT_EQ(still.update_time().nanos(), published.update_time().nanos());
  EXPECT_EQ(still.withdraw_reason(), "");
  EXPECT_EQ(events(), "1\n");
}

// A status change reads the document and writes the change and its event only if the row is still the
// version it read; an edit in between makes it read again. So among editors racing publishers, the document
// is published once, and its event shows the subject of the version that was published, not an older one.
TEST_F(DocumentServiceTest, PublishesRacingEditsPublishOnceFromTheVersionTheyChange) {
  v1::CreateDocumentRequest create;
  *create.mutable_document() = NewDocument("KH");
  v1::Document draft;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), create, &draft).ok());
  std::mutex mu;
  std::map<std::string, std::string> subject_of_etag{{draft.etag(), draft.subject()}};
  std::atomic<bool> publishing_done{false};
  std::thread editor([&] {
    for (int i = 0; i < 400 && !publishing_done; ++i) {
      v1::UpdateDocumentRequest update;
      update.mutable_document()->set_name(draft.name());
      update.mutable_document()->set_subject("Kế hoạch cải cách hành chính, bản sửa lần " + std::to_string(i));
      update.mutable_update_mask()->add_paths("subject");
      v1::Document out;
      auto s = Stub().UpdateDocument(Context(kEditor).get(), update, &out);
      if (!s.ok()) {
        ADD_FAILURE() << s.error_message();
        return;
      }
      std::lock_guard lock(mu);
      subject_of_etag[out.etag()] = out.subject();
    }
  });
  std::atomic<int> published{0}, refused{0};
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t)
    publishers.emplace_back([&, t] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20 + 10 * t));  // while the editor edits
      v1::PublishDocumentRequest publish;
      publish.set_name(draft.name());
      v1::Document out;
      grpc::Status s;
      // ABORTED (the document kept changing) asks the caller to try again.
      for (int attempt = 0; attempt < 20; ++attempt) {
        s = Stub().PublishDocument(Context(kEditor).get(), publish, &out);
        if (s.error_code() != grpc::StatusCode::ABORTED) break;
      }
      if (s.ok())
        ++published;
      else if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        ++refused;
      else
        ADD_FAILURE() << s.error_code() << " " << s.error_message();
    });
  for (auto& t : publishers) t.join();
  publishing_done = true;
  editor.join();
  EXPECT_EQ(published, 1);
  EXPECT_EQ(refused, 3);

  std::string hex =
      pg_->Sql("SELECT string_agg(encode(payload, 'hex'), ',') FROM document.outbox WHERE aggregate_id = '" +
               draft.name() + "' AND event_type = 'cchc.document.v1.DocumentPublished'");
  while (!hex.empty() && hex.back() == '\n') hex.pop_back();
  ASSERT_EQ(hex.find(','), std::string::npos) << "more than one DocumentPublished";
  ASSERT_FALSE(hex.empty());
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  v1::DocumentPublished event;
  ASSERT_TRUE(event.ParseFromString(bytes));
  EXPECT_EQ(event.document().status(), v1::PUBLISHED);
  // The etag is the version, quoted: the event's version is one past the one it was published from.
  std::string etag = event.document().etag();
  ASSERT_GE(etag.size(), 3u);
  std::string before = "\"" + std::to_string(std::stoll(etag.substr(1, etag.size() - 2)) - 1) + "\"";
  std::lock_guard lock(mu);
  ASSERT_TRUE(subject_of_etag.count(before)) << before;
  EXPECT_EQ(event.document().subject(), subject_of_etag[before]);
}

TEST_F(DocumentServiceTest, PageTokensWalkTheWholeListNewestFirst) {
  for (int i = 0; i < 7; ++i) {
    auto d = NewDocument("TB");
    d.set_issue_date("2017-12-" + std::to_string(10 + i));
    d.clear_fields();
    d.add_fields("Thông báo thử phân trang");
    CreateAndPublish(Stub(), d, kEditor);
  }
  v1::ListDocumentsRequest list;
  list.mutable_filter()->set_field("Thông báo thử phân trang");
  list.set_page_size(3);
  std::vector<std::string> dates;
  int pages = 0;
  do {
    v1::ListDocumentsResponse page;
    ASSERT_TRUE(Stub().ListDocuments(Context(kReader).get(), list, &page).ok());
    for (const auto& d : page.documents()) dates.push_back(d.issue_date());
    list.set_page_token(page.next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(dates.size(), 7u);
  EXPECT_TRUE(std::is_sorted(dates.rbegin(), dates.rend()));
  EXPECT_EQ(dates.front(), "2017-12-16");
}

TEST_F(DocumentServiceTest, AttachmentsStreamInAndOutWithTheirDigest) {
  v1::Document doc = CreateAndPublish(Stub(), NewDocument("KH"), kEditor);
  std::string content = "%PDF-1.4\n";
  for (int i = 0; i < 20000; ++i) content += "Kế hoạch cải cách hành chính " + std::to_string(i) + "\n";
  v1::Attachment stored;
  auto ctx = Context(kEditor);
  auto writer = Stub().UploadAttachment(ctx.get(), &stored);
  v1::UploadAttachmentRequest header;
  header.mutable_header()->set_document(doc.name());
  header.mutable_header()->set_file_name("ke-hoach-cchc-2018.pdf");
  header.mutable_header()->set_media_type("application/pdf");
  header.mutable_header()->set_size_bytes(static_cast<int64_t>(content.size()));
  header.mutable_header()->set_sha256(crypto::Sha256Hex(content));
  ASSERT_TRUE(writer->Write(header));
  for (size_t off = 0; off < content.size(); off += 65536) {
    v1::UploadAttachmentRequest chunk;
    chunk.set_chunk(content.substr(off, 65536));
    ASSERT_TRUE(writer->Write(chunk));
  }
  writer->WritesDone();
  auto s = writer->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(stored.sha256(), crypto::Sha256Hex(content));

  v1::DownloadAttachmentRequest download;
  download.set_name(stored.name());
  auto read_ctx = Context(kReader);
  auto reader = Stub().DownloadAttachment(read_ctx.get(), download);
  v1::DownloadAttachmentResponse part;
  std::string received;
  v1::Attachment meta;
  while (reader->Read(&part)) {
    if (part.has_attachment())
      meta = part.attachment();
    else
      received += part.chunk();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(received, content);
  EXPECT_EQ(meta.file_name(), "ke-hoach-cchc-2018.pdf");
  EXPECT_EQ(meta.download_count(), 1);
  v1::GetDocumentRequest get;
  get.set_name(doc.name());
  v1::Document after;
  ASSERT_TRUE(Stub().GetDocument(Context(kReader).get(), get, &after).ok());
  EXPECT_EQ(after.download_count(), 1);
  ASSERT_EQ(after.attachments_size(), 1);
  // An attachment is a change of its document: an etag read before it is stale.
  EXPECT_NE(after.etag(), doc.etag());
}

TEST_F(DocumentServiceTest, HealthAndMetricsReportTheService) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("cchc.document.v1.DocumentService");
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  v1::GetDocumentRequest bad;
  bad.set_name("nonsense");
  v1::Document out;
  Stub().GetDocument(Context(kReader).get(), bad, &out);
  std::string page = HttpGet(metrics_port_, "/metrics");
  // prometheus-cpp prints labels sorted by name.
  EXPECT_NE(page.find("grpc_server_handled_total{grpc_code=\"InvalidArgument\",grpc_method=\"GetDocument\","
                      "grpc_service=\"cchc.document.v1.DocumentService\",grpc_type=\"unary\"}"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("grpc_server_handling_seconds_bucket{"), std::string::npos);
  EXPECT_NE(page.find("grpc_server_started_total{"), std::string::npos);
  EXPECT_GE(MetricValue(page, "cchc_outbox_pending"), 0);
  EXPECT_GE(MetricValue(page, "cchc_db_pool_connections_open"), 1);
}

}  // namespace
}  // namespace cchc::testing
