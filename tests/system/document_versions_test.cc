// Versions (phiên bản, issue 29) through the API: every update keeps the state it replaces, listed newest first
// and read one by one with the fields it changed; only the document's unit and admin see them; past
// --max-document-versions the oldest but the first go. An upload with an attachment's file name (NFC,
// case-insensitive) is its next version: the document lists the latest, the earlier stay downloadable and do not
// count toward --max-attachments-per-document, and concurrent uploads of one name make one latest.
#include <thread>

#include "document_fixture.h"
#include "platform/text.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

constexpr int kMaxVersions = 4;
constexpr int kMaxAttachments = 3;

class DocumentVersionsTest : public DocumentServiceTest {
 public:
  static void SetUpTestSuite() {
    extra_args_ = {"--max-document-versions",
                   std::to_string(kMaxVersions),
                   "--max-attachments-per-document",
                   std::to_string(kMaxAttachments),
                   "--log-level",
                   "warn"};
    DocumentServiceTest::SetUpTestSuite();
  }
};

v1::Document Create(const std::string& token = DocumentServiceTest::kEditor) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = DocumentServiceTest::NewDocument("KH");
  req.mutable_document()->set_body("Bản dự thảo lần 1");
  v1::Document out;
  auto s = DocumentServiceTest::Stub().CreateDocument(DocumentServiceTest::Context(token).get(), req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

v1::Document Update(const v1::Document& doc, const std::vector<std::string>& paths, const v1::Document& values) {
  v1::UpdateDocumentRequest req;
  *req.mutable_document() = values;
  req.mutable_document()->set_name(doc.name());
  req.mutable_document()->set_etag(doc.etag());
  for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
  v1::Document out;
  auto s = DocumentServiceTest::Stub().UpdateDocument(DocumentServiceTest::Context(DocumentServiceTest::kEditor).get(),
                                                      req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

grpc::Status List(const std::string& token, const std::string& parent, int page_size, const std::string& page_token,
                  v1::ListDocumentVersionsResponse* out) {
  v1::ListDocumentVersionsRequest req;
  req.set_parent(parent);
  req.set_page_size(page_size);
  req.set_page_token(page_token);
  return DocumentServiceTest::Stub().ListDocumentVersions(DocumentServiceTest::Context(token).get(), req, out);
}

grpc::Status Get(const std::string& token, const std::string& name, v1::DocumentVersion* out) {
  v1::GetDocumentVersionRequest req;
  req.set_name(name);
  return DocumentServiceTest::Stub().GetDocumentVersion(DocumentServiceTest::Context(token).get(), req, out);
}

std::vector<int64_t> Numbers(const v1::ListDocumentVersionsResponse& r) {
  std::vector<int64_t> out;
  for (const auto& v : r.versions()) out.push_back(v.version());
  return out;
}

std::vector<std::string> Paths(const v1::DocumentVersion& v) {
  return {v.changed_fields().begin(), v.changed_fields().end()};
}

grpc::Status Upload(const std::string& document, const std::string& file_name, const std::string& content,
                    v1::Attachment* stored) {
  return DocumentServiceTest::UploadText(DocumentServiceTest::kEditor, document, file_name, content, stored);
}

std::string Download(const std::string& attachment) {
  v1::DownloadAttachmentRequest req;
  req.set_name(attachment);
  auto ctx = DocumentServiceTest::Context(DocumentServiceTest::kEditor);
  auto reader = DocumentServiceTest::Stub().DownloadAttachment(ctx.get(), req);
  v1::DownloadAttachmentResponse part;
  std::string content;
  while (reader->Read(&part)) content += part.chunk();
  auto s = reader->Finish();
  EXPECT_TRUE(s.ok()) << s.error_message();
  return content;
}

v1::Document Fetch(const std::string& name) {
  v1::GetDocumentRequest req;
  req.set_name(name);
  v1::Document out;
  auto s = DocumentServiceTest::Stub().GetDocument(DocumentServiceTest::Context(DocumentServiceTest::kEditor).get(),
                                                   req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

TEST_F(DocumentVersionsTest, ThreeUpdatesMakeFourVersionsWithTheirChangedFieldsAndOldValues) {
  v1::Document doc = Create();
  EXPECT_EQ(doc.version(), 1);
  v1::Document values;
  values.set_subject("Kế hoạch cải cách hành chính năm 2019 (sửa đổi)");
  doc = Update(doc, {"subject"}, values);
  values.set_body("Bản dự thảo lần 2");
  values.add_fields("Tổ chức cán bộ");
  doc = Update(doc, {"body", "fields"}, values);
  v1::PublishDocumentRequest publish;
  publish.set_name(doc.name());
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), publish, &doc).ok());
  EXPECT_EQ(doc.version(), 3) << "publishing changes the status only: no version";
  values.mutable_signer()->set_name("Nguyễn Thị Mai");
  values.mutable_signer()->set_position("Giám đốc");
  doc = Update(doc, {"signer"}, values);
  EXPECT_EQ(doc.version(), 4);

  v1::ListDocumentVersionsResponse list;
  ASSERT_TRUE(List(kEditor, doc.name(), 0, "", &list).ok());
  ASSERT_EQ(Numbers(list), (std::vector<int64_t>{4, 3, 2, 1}));
  EXPECT_TRUE(list.next_page_token().empty());
  EXPECT_EQ(Paths(list.versions(0)), (std::vector<std::string>{"signer"}));
  EXPECT_EQ(Paths(list.versions(1)), (std::vector<std::string>{"body", "fields"}));
  EXPECT_EQ(Paths(list.versions(2)), (std::vector<std::string>{"subject"}));
  EXPECT_TRUE(Paths(list.versions(3)).empty()) << "version 1 is the document as created";
  for (const auto& v : list.versions()) {
    EXPECT_EQ(v.name(), doc.name() + "/versions/" + std::to_string(v.version()));
    EXPECT_EQ(v.author(), "SGDĐT-TCCB");
    EXPECT_TRUE(v.document().body().empty()) << "a listing carries no bodies";
    EXPECT_EQ(v.document().version(), v.version());
  }
  EXPECT_GE(list.versions(0).create_time().seconds(), list.versions(3).create_time().seconds());

  // Each version as it was, body included.
  struct Expected {
    int64_t n;
    std::string subject, body, signer;
    std::string field;
    v1::DocumentStatus status;
  };
  const std::string first_subject = "Tuyên truyền cải cách hành chính năm 2018";
  for (const auto& e : std::vector<Expected>{
           {1, first_subject, "Bản dự thảo lần 1", "Trần Văn Chuyện", "Cải cách hành chính", v1::DRAFT},
           {2, values.subject(), "Bản dự thảo lần 1", "Trần Văn Chuyện", "Cải cách hành chính", v1::DRAFT},
           {3, values.subject(), "Bản dự thảo lần 2", "Trần Văn Chuyện", "Tổ chức cán bộ", v1::PUBLISHED},
           {4, values.subject(), "Bản dự thảo lần 2", "Nguyễn Thị Mai", "Tổ chức cán bộ", v1::PUBLISHED}}) {
    v1::DocumentVersion v;
    auto s = Get(kEditor, doc.name() + "/versions/" + std::to_string(e.n), &v);
    ASSERT_TRUE(s.ok()) << e.n << ": " << s.error_message();
    EXPECT_EQ(v.version(), e.n);
    EXPECT_EQ(v.document().subject(), e.subject) << e.n;
    EXPECT_EQ(v.document().body(), e.body) << e.n;
    EXPECT_EQ(v.document().signer().name(), e.signer) << e.n;
    ASSERT_EQ(v.document().fields_size(), 1) << e.n;
    EXPECT_EQ(v.document().fields(0), e.field) << e.n;
    EXPECT_EQ(v.document().status(), e.status) << e.n;
    EXPECT_EQ(v.document().code(), doc.code()) << e.n;
    EXPECT_EQ(Paths(v), Paths(list.versions(static_cast<int>(4 - e.n)))) << e.n;
  }
  // Admin reads them too; pages of two.
  v1::ListDocumentVersionsResponse page;
  ASSERT_TRUE(List(kAdmin, doc.name(), 2, "", &page).ok());
  EXPECT_EQ(Numbers(page), (std::vector<int64_t>{4, 3}));
  ASSERT_FALSE(page.next_page_token().empty());
  std::string token = page.next_page_token();
  ASSERT_TRUE(List(kAdmin, doc.name(), 2, token, &page).ok());
  EXPECT_EQ(Numbers(page), (std::vector<int64_t>{2, 1}));
  EXPECT_TRUE(page.next_page_token().empty());
  // A token of one document's versions is not another's.
  v1::Document other = Create();
  auto s = List(kEditor, other.name(), 2, token, &page);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("page_token: ", 0), 0u) << s.error_message();
  v1::DocumentVersion none;
  EXPECT_EQ(Get(kEditor, doc.name() + "/versions/5", &none).error_code(), grpc::StatusCode::NOT_FOUND)
      << "no version 5 yet";
  EXPECT_EQ(Count("document_versions WHERE document_id = '" + doc.name().substr(10) + "'"), "3")
      << "the current version is the document's row";
}

TEST_F(DocumentVersionsTest, PastTheBoundTheOldestButTheFirstGoAndUpdatesAreStillAccepted) {
  v1::Document doc = Create();
  v1::Document values;
  for (int i = 2; i <= 6; ++i) {
    values.set_body("Bản dự thảo lần " + std::to_string(i));
    doc = Update(doc, {"body"}, values);
  }
  EXPECT_EQ(doc.version(), 6);
  v1::ListDocumentVersionsResponse list;
  ASSERT_TRUE(List(kEditor, doc.name(), 100, "", &list).ok());
  EXPECT_EQ(Numbers(list), (std::vector<int64_t>{6, 5, 4, 1})) << kMaxVersions << " kept: the first and the newest";
  v1::DocumentVersion v;
  EXPECT_EQ(Get(kEditor, doc.name() + "/versions/2", &v).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Get(kEditor, doc.name() + "/versions/1", &v).ok());
  EXPECT_EQ(v.document().body(), "Bản dự thảo lần 1");
  ASSERT_TRUE(Get(kEditor, doc.name() + "/versions/5", &v).ok());
  EXPECT_EQ(v.document().body(), "Bản dự thảo lần 5");
}

TEST_F(DocumentVersionsTest, OnlyTheDocumentsUnitAndAdminSeeItsVersions) {
  v1::Document draft = Create();
  v1::Document values;
  values.set_body("Bản dự thảo lần 2");
  draft = Update(draft, {"body"}, values);
  const std::string missing = "documents/00000000-0000-4000-8000-000000000000";
  v1::ListDocumentVersionsResponse list;
  v1::DocumentVersion v;
  // Another unit's draft does not exist for it: the very answer a missing document gets.
  auto theirs = List(kOtherEditor, draft.name(), 0, "", &list);
  auto none = List(kOtherEditor, missing, 0, "", &list);
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(theirs.error_message(), "parent: " + draft.name() + " does not exist");
  EXPECT_EQ(none.error_message(), "parent: " + missing + " does not exist");
  EXPECT_EQ(Get(kOtherEditor, draft.name() + "/versions/1", &v).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(kOtherEditor, draft.name() + "/versions/1", &v).error_message(),
            "name: " + draft.name() + " does not exist");
  // Readers see no versions, of a draft or a published document.
  EXPECT_EQ(List(kReader, draft.name(), 0, "", &list).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::PublishDocumentRequest publish;
  publish.set_name(draft.name());
  v1::Document published;
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), publish, &published).ok());
  EXPECT_EQ(List(kReader, draft.name(), 0, "", &list).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Get(kReader, draft.name() + "/versions/1", &v).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Another unit's editor sees the published document, not its history (its drafts among it).
  EXPECT_EQ(List(kOtherEditor, draft.name(), 0, "", &list).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Get(kOtherEditor, draft.name() + "/versions/1", &v).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(List(kAdmin, draft.name(), 0, "", &list).ok());
  EXPECT_EQ(Numbers(list), (std::vector<int64_t>{2, 1}));
  ASSERT_TRUE(Get(kAdmin, draft.name() + "/versions/1", &v).ok());
  EXPECT_EQ(v.document().body(), "Bản dự thảo lần 1");
}

TEST_F(DocumentVersionsTest, AnUploadOfTheSameFileNameIsANewVersionOutsideTheCap) {
  v1::Document doc = Create();
  v1::Attachment a, b, c, again, extra;
  const std::string name = "Kế hoạch năm 2019.txt";
  ASSERT_TRUE(Upload(doc.name(), name, "bản 1\n", &a).ok());
  ASSERT_TRUE(Upload(doc.name(), "Phụ lục 1.txt", "phụ lục 1\n", &b).ok());
  ASSERT_TRUE(Upload(doc.name(), "Phụ lục 2.txt", "phụ lục 2\n", &c).ok());
  EXPECT_EQ(a.version(), 1);
  // The cap's number of file names: a new one is refused, the same name again (NFD, upper case) is a version.
  auto s = Upload(doc.name(), "Phụ lục 3.txt", "phụ lục 3\n", &extra);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  const std::string nfd_upper = "KE\u0302\u0301 HOA\u0323CH NA\u0306M 2019.TXT";
  ASSERT_NE(*text::ToNfc(nfd_upper), nfd_upper);
  s = Upload(doc.name(), nfd_upper, "bản 2\n", &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.version(), 2);
  EXPECT_EQ(again.file_name(), *text::ToNfc(nfd_upper)) << "stored in NFC, as uploaded";
  EXPECT_EQ(std::vector<std::string>(again.earlier_versions().begin(), again.earlier_versions().end()),
            std::vector<std::string>{a.name()});

  v1::Document read = Fetch(doc.name());
  ASSERT_EQ(read.attachments_size(), 3) << "the document lists the latest version of each file name";
  std::vector<std::string> listed;
  for (const auto& at : read.attachments()) listed.push_back(at.name());
  EXPECT_EQ(listed, (std::vector<std::string>{b.name(), c.name(), again.name()}));
  EXPECT_EQ(read.attachments(2).version(), 2);
  EXPECT_EQ(read.attachments(2).earlier_versions_size(), 1);
  EXPECT_EQ(Download(a.name()), "bản 1\n") << "an earlier version stays downloadable by its name";
  EXPECT_EQ(Download(again.name()), "bản 2\n");
  EXPECT_EQ(Count("attachments WHERE document_id = '" + doc.name().substr(10) + "'"), "4");

  // Versions past the bound: the first and the newest stay.
  v1::Attachment v3, v4, v5;
  ASSERT_TRUE(Upload(doc.name(), name, "bản 3\n", &v3).ok());
  ASSERT_TRUE(Upload(doc.name(), name, "bản 4\n", &v4).ok());
  ASSERT_TRUE(Upload(doc.name(), name, "bản 5\n", &v5).ok());
  EXPECT_EQ(v5.version(), 5);
  EXPECT_EQ(std::vector<std::string>(v5.earlier_versions().begin(), v5.earlier_versions().end()),
            (std::vector<std::string>{v4.name(), v3.name(), a.name()}));
  EXPECT_EQ(Download(a.name()), "bản 1\n");
}

TEST_F(DocumentVersionsTest, ConcurrentUploadsOfOneFileNameMakeOneLatest) {
  v1::Document doc = Create();
  constexpr int kUploads = 8;
  std::vector<v1::Attachment> stored(kUploads);
  std::vector<grpc::Status> statuses(kUploads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kUploads; ++i)
    threads.emplace_back(
        [&, i] { statuses[i] = Upload(doc.name(), "dong-thoi.txt", "lần " + std::to_string(i) + "\n", &stored[i]); });
  for (auto& t : threads) t.join();
  std::vector<int> versions;
  for (int i = 0; i < kUploads; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    versions.push_back(stored[i].version());
  }
  std::sort(versions.begin(), versions.end());
  EXPECT_EQ(versions, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8})) << "each upload its own number";
  v1::Document read = Fetch(doc.name());
  ASSERT_EQ(read.attachments_size(), 1);
  EXPECT_EQ(read.attachments(0).version(), kUploads);
  EXPECT_EQ(Count("attachments WHERE latest AND document_id = '" + doc.name().substr(10) + "'"), "1");
  EXPECT_EQ(Count("documents WHERE attachment_count = 1 AND id = '" + doc.name().substr(10) + "'"), "1");
}

}  // namespace
}  // namespace cchc::testing

namespace cchc::testing {
namespace {

// cchcctl document versions: the table newest first, and one version in full.
TEST_F(DocumentVersionsTest, CchcctlListsVersionsAndShowsOne) {
  v1::Document doc = Create();
  v1::Document values;
  values.set_subject("Kế hoạch kiểm tra công vụ năm 2019");
  doc = Update(doc, {"subject"}, values);
  auto cchcctl = [](const std::string& args) {
    return Shell("env -u CCHC_TOKEN CCHC_DOCUMENT_ADDRESS=" + address_ + " '" + BinaryPath("cchcctl") + "' --token " +
                 kEditor + " " + args + " 2>&1; echo \"exit $?\"");
  };
  const std::string table = cchcctl("document versions " + doc.name());
  EXPECT_NE(table.find("subject"), std::string::npos) << table;
  EXPECT_NE(table.find("(created)"), std::string::npos) << table;
  EXPECT_LT(table.find("Kế hoạch kiểm tra công vụ năm 2019"), table.find("Tuyên truyền cải cách hành chính năm 2018"))
      << "newest first: " << table;
  EXPECT_NE(table.find("exit 0"), std::string::npos) << table;
  const std::string one = cchcctl("document versions " + doc.name() + " --version 1");
  EXPECT_NE(one.find("Bản dự thảo lần 1"), std::string::npos) << one;
  EXPECT_NE(one.find("SGDĐT-TCCB"), std::string::npos) << one;
  EXPECT_NE(cchcctl("document versions " + doc.name() + " --version 9").find("exit 69"), std::string::npos)
      << "NOT_FOUND: 64 + 5";
}

}  // namespace
}  // namespace cchc::testing
