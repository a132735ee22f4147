// Drafts (dự thảo) and withdrawn documents are their own unit's: another unit's editor finds them nowhere —
// not by id, code, list, search or attachment — and gets the very answer a missing document gets; admin
// sees them all; published documents are everybody's.
#include "document_fixture.h"
#include "platform/auth.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

std::vector<std::string> Names(const google::protobuf::RepeatedPtrField<v1::Document>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.name());
  return out;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Draft names listed (status DRAFT, issue date 2019-03-11) and found by search, as `token` sees them.
std::vector<std::string> Listed(const std::string& token) {
  v1::ListDocumentsRequest req;
  req.mutable_filter()->set_status(v1::DRAFT);
  req.mutable_filter()->set_issue_date_from("2019-03-11");
  req.mutable_filter()->set_issue_date_to("2019-03-11");
  req.set_page_size(100);
  v1::ListDocumentsResponse out;
  auto s = DocumentServiceTest::Stub().ListDocuments(DocumentServiceTest::Context(token).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return Names(out.documents());
}

std::vector<std::string> Found(const std::string& token) {
  v1::SearchDocumentsRequest req;
  req.set_query("ke hoach kiem tra cong vu nam 2019");
  req.set_page_size(100);
  v1::SearchDocumentsResponse out;
  auto s = DocumentServiceTest::Stub().SearchDocuments(DocumentServiceTest::Context(token).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return Names(out.documents());
}

grpc::Status UploadInspectionPlan(const std::string& token, const std::string& document, v1::Attachment* stored) {
  return DocumentServiceTest::UploadText(token, document, "ke-hoach-kiem-tra.txt",
                                         "Kế hoạch kiểm tra công vụ năm 2019\n", stored);
}

grpc::Status Download(const std::string& token, const std::string& attachment) {
  v1::DownloadAttachmentRequest req;
  req.set_name(attachment);
  auto ctx = DocumentServiceTest::Context(token);
  auto reader = DocumentServiceTest::Stub().DownloadAttachment(ctx.get(), req);
  v1::DownloadAttachmentResponse part;
  while (reader->Read(&part)) {
  }
  return reader->Finish();
}

TEST_F(DocumentServiceTest, AnEditorSeesOnlyItsOwnUnitsDrafts) {
  v1::Document ours = NewDocument("KH");
  ours.set_issue_date("2019-03-11");
  ours.set_subject("Kế hoạch kiểm tra công vụ năm 2019");
  v1::CreateDocumentRequest create;
  *create.mutable_document() = ours;
  v1::Document draft, theirs;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), create, &draft).ok());
  create.mutable_document()->set_code(NewDocument("KH").code());
  create.mutable_document()->set_issuer_name("Sở Nội vụ tỉnh Sóc Trăng");
  ASSERT_TRUE(Stub().CreateDocument(Context(kOtherEditor).get(), create, &theirs).ok());
  v1::Attachment attachment;
  auto s = UploadInspectionPlan(kEditor, draft.name(), &attachment);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Lists and searches: each editor its own draft, admin both, readers none.
  EXPECT_TRUE(Contains(Listed(kEditor), draft.name()));
  EXPECT_FALSE(Contains(Listed(kEditor), theirs.name()));
  EXPECT_TRUE(Contains(Listed(kOtherEditor), theirs.name()));
  EXPECT_FALSE(Contains(Listed(kOtherEditor), draft.name()));
  EXPECT_TRUE(Contains(Listed(kAdmin), draft.name()) && Contains(Listed(kAdmin), theirs.name()));
  EXPECT_TRUE(Contains(Found(kEditor), draft.name()));
  EXPECT_FALSE(Contains(Found(kOtherEditor), draft.name()));
  EXPECT_TRUE(Contains(Found(kAdmin), draft.name()));
  EXPECT_TRUE(Found(kReader).empty());

  // By id, code and attachment: exactly what a document that does not exist gets.
  v1::GetDocumentRequest get;
  get.set_name(draft.name());
  v1::Document out;
  EXPECT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &out).ok());
  EXPECT_TRUE(Stub().GetDocument(Context(kAdmin).get(), get, &out).ok());
  s = Stub().GetDocument(Context(kOtherEditor).get(), get, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "name: " + draft.name() + " does not exist");
  v1::GetDocumentByCodeRequest by_code;
  by_code.set_code(draft.code());
  EXPECT_TRUE(Stub().GetDocumentByCode(Context(kEditor).get(), by_code, &out).ok());
  EXPECT_EQ(Stub().GetDocumentByCode(Context(kOtherEditor).get(), by_code, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Download(kEditor, attachment.name()).ok());
  EXPECT_EQ(Download(kOtherEditor, attachment.name()).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Download(kReader, attachment.name()).error_code(), grpc::StatusCode::NOT_FOUND);

  // Changing it is no different: NOT_FOUND, nothing written.
  ASSERT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &out).ok());
  const std::string etag = out.etag();
  v1::UpdateDocumentRequest update;
  update.mutable_document()->set_name(draft.name());
  update.mutable_document()->set_subject("Đổi trích yếu");
  update.mutable_update_mask()->add_paths("subject");
  s = Stub().UpdateDocument(Context(kOtherEditor).get(), update, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "name: " + draft.name() + " does not exist");
  v1::DeleteDocumentRequest del;
  del.set_name(draft.name());
  v1::DeleteDocumentResponse deleted;
  EXPECT_EQ(Stub().DeleteDocument(Context(kOtherEditor).get(), del, &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::Attachment second;
  s = UploadInspectionPlan(kOtherEditor, draft.name(), &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "header.document: " + draft.name() + " does not exist");
  ASSERT_TRUE(Stub().GetDocument(Context(kEditor).get(), get, &out).ok());
  EXPECT_EQ(out.etag(), etag);
  EXPECT_EQ(out.subject(), "Kế hoạch kiểm tra công vụ năm 2019");
  EXPECT_EQ(out.attachments_size(), 1);

  // Once published it is everybody's to read, still only its unit's to change (PERMISSION_DENIED now).
  v1::PublishDocumentRequest publish;
  publish.set_name(draft.name());
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), publish, &out).ok());
  EXPECT_TRUE(Stub().GetDocument(Context(kOtherEditor).get(), get, &out).ok());
  EXPECT_TRUE(Download(kOtherEditor, attachment.name()).ok());
  EXPECT_EQ(Stub().UpdateDocument(Context(kOtherEditor).get(), update, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace cchc::testing
