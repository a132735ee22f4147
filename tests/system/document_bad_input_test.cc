// Bad input and access: each case gets its exact status, names the field (in the message and, AIP-193, in the
// status details with the reason), and writes nothing.
#include <functional>

#include "document_fixture.h"
#include "platform/dates.h"
#include "support/refusal_details.h"

namespace cchc::testing {
namespace {

namespace v1 = document::v1;

struct CreateCase {
  const char* name;
  std::function<void(v1::Document&)> spoil;
  const char* field;  // the message must start with it
  const char* reason = "INVALID_FIELD";
};

TEST_F(DocumentServiceTest, BadDocumentsAreRejectedNamingTheFieldAndNothingIsWritten) {
  const CreateCase cases[] = {
      {"empty code", [](v1::Document& d) { d.set_code(""); }, "document.code", "INVALID_DOCUMENT_CODE"},
      {"malformed code", [](v1::Document& d) { d.set_code("998-QĐ-SGDĐT"); }, "document.code", "INVALID_DOCUMENT_CODE"},
      {"number 0", [](v1::Document& d) { d.set_code("0/KH-SGDĐT"); }, "document.code", "INVALID_DOCUMENT_CODE"},
      {"missing issue date", [](v1::Document& d) { d.clear_issue_date(); }, "document.issue_date"},
      {"date out of range", [](v1::Document& d) { d.set_issue_date("2018-02-30"); }, "document.issue_date"},
      {"expiry before issue", [](v1::Document& d) { d.set_expiry_date("2017-01-01"); }, "document.expiry_date"},
      {"subject over 500", [](v1::Document& d) { d.set_subject(std::string(501, 'x')); }, "document.subject"},
      {"empty subject", [](v1::Document& d) { d.set_subject("   "); }, "document.subject"},
      {"NUL in subject", [](v1::Document& d) { d.set_subject(std::string("a\0b", 3)); }, "document.subject"},
      {"SQL-looking code", [](v1::Document& d) { d.set_code("1/KH-SGDĐT'; DROP TABLE documents;--"); }, "document.code",
       "INVALID_DOCUMENT_CODE"},
      {"bad signer authority", [](v1::Document& d) { d.mutable_signer()->set_authority("BOSS"); },
       "document.signer.authority"},
      {"too many fields",
       [](v1::Document& d) {
         for (int i = 0; i < 11; ++i) d.add_fields("Lĩnh vực " + std::to_string(i));
       },
       "document.fields"},
  };
  std::string before = Count("documents") + "/" + Count("outbox");
  for (const auto& c : cases) {
    v1::CreateDocumentRequest req;
    *req.mutable_document() = NewDocument();
    c.spoil(*req.mutable_document());
    v1::Document out;
    auto s = Stub().CreateDocument(Context(kEditor).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    EXPECT_TRUE(HasDetails(s, c.reason, c.field)) << c.name;
  }
  EXPECT_EQ(Count("documents") + "/" + Count("outbox"), before);
}

TEST_F(DocumentServiceTest, InvalidUtf8IsRejectedBeforeItReachesStorage) {
  std::string before = Count("documents");
  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  req.mutable_document()->set_subject(
      "Tr\xC3\x28"
      "ch y\xE1\xBA");
  v1::Document out;
  auto s = Stub().CreateDocument(Context(kEditor).get(), req, &out);
  // gRPC's protobuf parser refuses invalid UTF-8 in proto3 strings before our handler runs (INTERNAL, no
  // message); the platform's interceptor (unparsable_request.h) says what it is: bad input.
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("request: not a valid /cchc.document.v1.DocumentService/CreateDocument", 0), 0u)
      << s.error_message();
  EXPECT_TRUE(HasDetails(s, "INVALID_REQUEST", ""));
  EXPECT_EQ(Count("documents"), before);
}

TEST_F(DocumentServiceTest, DuplicateCodeForTheSameIssuerAndYearIsAlreadyExists) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  v1::Document first, second;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &first).ok());
  std::string before = Count("documents");
  // Same code written differently is the same code.
  std::string code = req.document().code();
  req.mutable_document()->set_code("0" + code);
  auto s = Stub().CreateDocument(Context(kEditor).get(), req, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS) << s.error_message();
  EXPECT_EQ(s.error_message().rfind("document.code", 0), 0u);
  EXPECT_TRUE(HasDetails(s, "DUPLICATE_CODE", "document.code"));
  EXPECT_EQ(Count("documents"), before);
  // The same number in another year is a different document.
  req.mutable_document()->set_issue_date("2019-01-03");
  EXPECT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &second).ok());
}

TEST_F(DocumentServiceTest, ListAndSearchRejectBadPagingAndFilters) {
  auto list_status = [&](std::function<void(v1::ListDocumentsRequest&)> spoil) {
    v1::ListDocumentsRequest req;
    spoil(req);
    v1::ListDocumentsResponse out;
    return Stub().ListDocuments(Context(kReader).get(), req, &out);
  };
  auto s = list_status([](auto& r) { r.set_page_size(-1); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("page_size", 0), 0u);
  s = list_status([](auto& r) { r.set_page_size(1000000); });
  EXPECT_TRUE(s.ok()) << "huge page sizes are clamped";
  s = list_status([](auto& r) { r.set_page_token("garbage"); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("page_token", 0), 0u);
  EXPECT_TRUE(HasDetails(s, "INVALID_PAGE_TOKEN", "page_token"));
  s = list_status([](auto& r) { r.mutable_filter()->set_issue_date_from("2018-13-01"); });
  EXPECT_EQ(s.error_message().rfind("filter.issue_date_from", 0), 0u);
  s = list_status([](auto& r) { r.mutable_filter()->set_status(static_cast<v1::DocumentStatus>(99)); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  s = list_status([](auto& r) { r.mutable_filter()->set_status(v1::DRAFT); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "readers cannot list drafts";
  s = list_status([](auto& r) { r.set_view(static_cast<v1::DocumentView>(7)); });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("view", 0), 0u);

  v1::SearchDocumentsRequest search;
  v1::SearchDocumentsResponse out;
  search.set_query("");
  EXPECT_EQ(Stub().SearchDocuments(Context(kReader).get(), search, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  search.set_query("!!!");
  EXPECT_EQ(Stub().SearchDocuments(Context(kReader).get(), search, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  search.set_query(std::string(201, 'a'));
  EXPECT_EQ(Stub().SearchDocuments(Context(kReader).get(), search, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  search.set_query("x' OR 1=1 --");
  EXPECT_TRUE(Stub().SearchDocuments(Context(kReader).get(), search, &out).ok());
}

TEST_F(DocumentServiceTest, UnknownIdsAndStaleEtags) {
  v1::GetDocumentRequest get;
  v1::Document out;
  get.set_name("documents/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(Stub().GetDocument(Context(kReader).get(), get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_name("documents/../../etc/passwd");
  auto s = Stub().GetDocument(Context(kReader).get(), get, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("name", 0), 0u);
  EXPECT_TRUE(HasDetails(s, "INVALID_NAME", "name"));
  v1::PublishDocumentRequest pub;
  pub.set_name("documents/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(Stub().PublishDocument(Context(kEditor).get(), pub, &out).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  v1::Document created;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &created).ok());
  pub.set_name(created.name());
  pub.set_etag("\"999\"");
  std::string before = Count("outbox");
  s = Stub().PublishDocument(Context(kEditor).get(), pub, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_TRUE(HasDetails(s, "STALE_ETAG", "etag"));
  EXPECT_EQ(Count("outbox"), before);
  // Publishing what is no longer a draft: FAILED_PRECONDITION, the resource's state.
  pub.clear_etag();
  ASSERT_TRUE(Stub().PublishDocument(Context(kEditor).get(), pub, &out).ok());
  before = Count("outbox");
  s = Stub().PublishDocument(Context(kEditor).get(), pub, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_TRUE(HasDetails(s, "WRONG_STATE", "name"));
  EXPECT_EQ(Count("outbox"), before);
}

TEST_F(DocumentServiceTest, AccessNeedsATokenAndTheRightRole) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  v1::Document out;
  std::string before = Count("documents");
  EXPECT_EQ(Stub().CreateDocument(Context("").get(), req, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Stub().CreateDocument(Context("not-a-token").get(), req, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Stub().CreateDocument(Context(kReader).get(), req, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("documents"), before);
  v1::ListDocumentsRequest list;
  v1::ListDocumentsResponse listed;
  EXPECT_EQ(Stub().ListDocuments(Context("").get(), list, &listed).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Stub().ListDocuments(Context(kReader).get(), list, &listed).ok());
}

// The outgoing register (sổ văn bản đi) through the service process: bad registers and names are refused naming
// the field (AIP-193 reason) and write nothing; a register of this year hands out 01, which a document then uses.
TEST_F(DocumentServiceTest, RegisterBadInputAndOneReservationUsed) {
  const int year = static_cast<int>(dates::VietnamDay().year());
  auto valid = [&] {
    v1::CreateRegisterRequest req;
    req.mutable_register_()->set_display_name("Sổ văn bản đi");
    req.mutable_register_()->set_issuer_code("SGDĐT");
    req.mutable_register_()->set_year(year);
    req.mutable_register_()->add_type_abbreviations("BC");
    return req;
  };
  struct Case {
    const char* name;
    std::function<void(v1::Register&)> spoil;
    const char* field;
  } cases[] = {
      {"overlong name", [](v1::Register& r) { r.set_display_name(std::string(201, 'x')); }, "register.display_name"},
      {"issuer with a slash", [](v1::Register& r) { r.set_issuer_code("SGDĐT/TCCB"); }, "register.issuer_code"},
      {"year 2101", [](v1::Register& r) { r.set_year(2101); }, "register.year"},
      {"unknown type", [](v1::Register& r) { r.add_type_abbreviations("XX"); }, "register.type_abbreviations[1]"},
      {"VBQPPL with others", [](v1::Register& r) { r.set_legal_normative_type("TT"); },
       "register.legal_normative_type"},
  };
  const std::string before = Count("registers") + "/" + Count("register_reservations");
  for (const auto& c : cases) {
    auto req = valid();
    c.spoil(*req.mutable_register_());
    v1::Register out;
    auto s = Stub().CreateRegister(Context(kAdmin).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    EXPECT_TRUE(HasDetails(s, "INVALID_FIELD", c.field)) << c.name;
  }
  v1::ReserveNumberRequest reserve;
  reserve.set_register_("registers/1'; DROP TABLE registers;--");
  v1::Reservation reservation;
  auto s = Stub().ReserveNumber(Context(kEditor).get(), reserve, &reservation);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasDetails(s, "INVALID_NAME", "register"));
  EXPECT_EQ(Count("registers") + "/" + Count("register_reservations"), before);

  v1::Register reg;
  auto created = Stub().CreateRegister(Context(kEditor).get(), valid(), &reg);
  EXPECT_EQ(created.error_code(), grpc::StatusCode::PERMISSION_DENIED);  // admin only
  ASSERT_TRUE(Stub().CreateRegister(Context(kAdmin).get(), valid(), &reg).ok());
  reserve.set_register_(reg.name());
  EXPECT_EQ(Stub().ReserveNumber(Context(kOtherEditor).get(), reserve, &reservation).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // SNV does not number SGDĐT's documents
  ASSERT_TRUE(Stub().ReserveNumber(Context(kEditor).get(), reserve, &reservation).ok());
  EXPECT_EQ(reservation.number(), "01");
  v1::CreateDocumentRequest create;
  *create.mutable_document() = NewDocument();
  create.mutable_document()->set_code("01/BC-SGDĐT");
  create.mutable_document()->set_issue_date(std::to_string(year) + "-01-02");
  create.set_reservation(reg.name() + "/reservations/x");
  v1::Document doc;
  s = Stub().CreateDocument(Context(kEditor).get(), create, &doc);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasDetails(s, "INVALID_NAME", "reservation"));
  create.set_reservation(reservation.name());
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), create, &doc).ok());
  EXPECT_EQ(pg_->Value("SELECT state FROM document.register_reservations"), "2");
}

TEST_F(DocumentServiceTest, OversizeAndMistypedAttachmentsAreRefused) {
  v1::CreateDocumentRequest req;
  *req.mutable_document() = NewDocument();
  v1::Document doc;
  ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), req, &doc).ok());
  auto upload = [&](const std::string& media_type, const std::string& content, int64_t declared) {
    v1::Attachment stored;
    auto ctx = Context(kEditor);
    auto writer = Stub().UploadAttachment(ctx.get(), &stored);
    v1::UploadAttachmentRequest header;
    header.mutable_header()->set_document(doc.name());
    header.mutable_header()->set_file_name("tep.bin");
    header.mutable_header()->set_media_type(media_type);
    header.mutable_header()->set_size_bytes(declared);
    writer->Write(header);
    for (size_t off = 0; off < content.size(); off += 65536) {
      v1::UploadAttachmentRequest chunk;
      chunk.set_chunk(content.substr(off, 65536));
      if (!writer->Write(chunk)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  };
  std::string attachments_before = Count("attachments");
  std::string big = "%PDF-" + std::string(2 * 1024 * 1024, 'x');  // the test service allows 1 MiB
  auto s = upload("application/pdf", big, static_cast<int64_t>(big.size()));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("header.size_bytes", 0), 0u) << s.error_message();
  EXPECT_TRUE(HasDetails(s, "INVALID_FIELD", "header.size_bytes")) << "a client-streaming refusal has them too";
  s = upload("application/pdf", big.substr(0, 1000), 100);  // more bytes than declared
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  s = upload("application/pdf", "not a pdf", 9);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("header.media_type", 0), 0u);
  s = upload("application/x-msdownload", "MZ", 2);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Count("attachments"), attachments_before);
}

// ListAuditEvents (admin): each bad filter is INVALID_ARGUMENT naming its field with its AIP-193 reason, and a
// page token from another filter is refused; the listing writes nothing.
TEST_F(DocumentServiceTest, BadAuditFiltersAreRejectedNamingTheField) {
  struct AuditCase {
    const char* name;
    std::function<void(v1::ListAuditEventsRequest&)> spoil;
    const char* field;
    const char* reason = "INVALID_FIELD";
  };
  const AuditCase cases[] = {
      {"resource not a document", [](auto& r) { r.set_resource("articles/1"); }, "resource", "INVALID_NAME"},
      {"resource id not a uuid", [](auto& r) { r.set_resource("documents/123"); }, "resource", "INVALID_NAME"},
      {"principal over 80", [](auto& r) { r.set_principal(std::string(81, 'x')); }, "principal"},
      {"NUL in principal", [](auto& r) { r.set_principal(std::string("a\0b", 3)); }, "principal"},
      {"unknown action", [](auto& r) { r.set_action(static_cast<v1::AuditAction>(99)); }, "action"},
      {"start_time a person's date", [](auto& r) { r.set_start_time("07/12/2026"); }, "start_time"},
      {"end_time without a zone", [](auto& r) { r.set_end_time("2026-12-07T10:00:00"); }, "end_time"},
      {"end before start",
       [](auto& r) {
         r.set_start_time("2026-12-07T10:00:00+07:00");
         r.set_end_time("2026-12-07T02:59:59Z");
       },
       "end_time"},
      {"negative page size", [](auto& r) { r.set_page_size(-1); }, "page_size"},
      {"forged page token", [](auto& r) { r.set_page_token("garbage"); }, "page_token", "INVALID_PAGE_TOKEN"},
  };
  const std::string before = Count("audit_events");
  for (const auto& c : cases) {
    v1::ListAuditEventsRequest req;
    c.spoil(req);
    v1::ListAuditEventsResponse out;
    auto s = Stub().ListAuditEvents(Context(kAdmin).get(), req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    EXPECT_TRUE(HasDetails(s, c.reason, c.field)) << c.name;
  }
  // A token of one filter does not page another: enough rows for a second page, then the filter changes.
  for (int i = 0; i < 3; ++i) {
    v1::CreateDocumentRequest create;
    *create.mutable_document() = NewDocument();
    v1::Document doc;
    ASSERT_TRUE(Stub().CreateDocument(Context(kEditor).get(), create, &doc).ok());
  }
  v1::ListAuditEventsRequest req;
  req.set_page_size(1);
  v1::ListAuditEventsResponse first;
  ASSERT_TRUE(Stub().ListAuditEvents(Context(kAdmin).get(), req, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_token(first.next_page_token());
  req.set_principal("SNV");
  auto s = Stub().ListAuditEvents(Context(kAdmin).get(), req, &first);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_TRUE(HasDetails(s, "INVALID_PAGE_TOKEN", "page_token"));
  EXPECT_EQ(Count("audit_events"), std::to_string(std::stoi(before) + 3));
}

}  // namespace
}  // namespace cchc::testing

namespace cchc::testing {
namespace {

// Versions (issue 29): each refusal names its field with its AIP-193 reason and reads nothing.
TEST_F(DocumentServiceTest, VersionsRefuseBadNamesPageSizesAndTokens) {
  const std::string doc = "documents/00000000-0000-4000-8000-000000000000";
  struct Case {
    const char* name;
    std::string parent_or_name;
    int page_size;
    std::string page_token;
    bool get;
    const char* field;
    const char* reason;
  };
  const Case cases[] = {
      {"parent not a document", "documents/12", 0, "", false, "parent", "INVALID_NAME"},
      {"parent a version", doc + "/versions/1", 0, "", false, "parent", "INVALID_NAME"},
      {"negative page size", doc, -1, "", false, "page_size", "INVALID_FIELD"},
      {"forged page token", doc, 0, "bm90LWEtdG9rZW4", false, "page_token", "INVALID_PAGE_TOKEN"},
      {"version 0", doc + "/versions/0", 0, "", true, "name", "INVALID_NAME"},
      {"version with a sign", doc + "/versions/-1", 0, "", true, "name", "INVALID_NAME"},
      {"version not a number", doc + "/versions/1a", 0, "", true, "name", "INVALID_NAME"},
      {"version number too long", doc + "/versions/1234567890123456789", 0, "", true, "name", "INVALID_NAME"},
      {"version of no document", "documents/x/versions/1", 0, "", true, "name", "INVALID_NAME"},
      {"a document, not a version", doc, 0, "", true, "name", "INVALID_NAME"},
  };
  for (const auto& c : cases) {
    grpc::Status s;
    if (c.get) {
      v1::GetDocumentVersionRequest req;
      req.set_name(c.parent_or_name);
      v1::DocumentVersion out;
      s = Stub().GetDocumentVersion(Context(kEditor).get(), req, &out);
    } else {
      v1::ListDocumentVersionsRequest req;
      req.set_parent(c.parent_or_name);
      req.set_page_size(c.page_size);
      req.set_page_token(c.page_token);
      v1::ListDocumentVersionsResponse out;
      s = Stub().ListDocumentVersions(Context(kEditor).get(), req, &out);
    }
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(std::string(c.field) + ":", 0), 0u) << c.name << ": " << s.error_message();
    EXPECT_TRUE(HasDetails(s, c.reason, c.field)) << c.name;
  }
}

}  // namespace
}  // namespace cchc::testing
