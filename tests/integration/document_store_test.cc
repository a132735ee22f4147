// The document stores (services/document/store/) against a real PostgreSQL cluster: what they return, the domain
// errors they throw (kind and message, as the API shows them), the outbox row each published change writes in its
// transaction (and none on a refusal), Vietnamese text kept NFC and found by folded search.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "migrations/migrations.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "platform/text.h"
#include "rules/code.h"
#include "store/attachments.h"
#include "store/document_rows.h"
#include "store/documents.h"
#include "store/listing.h"
#include "store/search.h"
#include "support/store_suite.h"

namespace cchc::document {
namespace {

// "Cải cách hành chính" in NFC (precomposed: ả U+1EA3, á U+00E1, à U+00E0, í U+00ED) and in NFD.
const std::string kNfc = "C\u1EA3i c\u00E1ch h\u00E0nh ch\u00EDnh";
const std::string kNfd = "Ca\u0309i ca\u0301ch ha\u0300nh chi\u0301nh";

class DocumentStoresTest : public testing::StoreSuite<DocumentStoresTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase("document", Migrations(), {DocumentStatements(), AttachmentStatements(), outbox::Statements()});
  }

  // A draft with code `code_text` (parsed as the service does), created by `principal`.
  v1::Document CreateDraft(const std::string& code_text, const std::string& subject,
                           const std::string& principal = "TCCB", const std::string& request_id = "") {
    auto parsed = ParseCode(code_text);
    EXPECT_TRUE(parsed.code) << parsed.error;
    v1::Document d;
    d.set_code(parsed.code->text);
    d.set_issuer_name("S\u1EDF Gi\u00E1o d\u1EE5c v\u00E0 \u0110\u00E0o t\u1EA1o S\u00F3c Tr\u0103ng");
    d.set_drafting_unit(principal);
    d.set_issue_date("2026-03-02");
    d.set_subject(subject);
    d.set_body("To\u00E0n v\u0103n " + subject);
    d.add_fields(kNfc);
    d.mutable_signer()->set_name("Nguy\u1EC5n V\u0103n \u0110\u1EE9c");
    return documents_.Create(d, *parsed.code, principal, request_id);
  }

  // The outbox rows written about documents/`id`.
  static int OutboxRows(const std::string& name) {
    return std::stoi(pg_->Sql("SELECT count(*) FROM document.outbox WHERE aggregate_id = '" + name + "'"));
  }
  static std::string IdOf(const v1::Document& d) { return d.name().substr(std::string("documents/").size()); }

  v1::Document Publish(const v1::Document& d) {
    return documents_.ChangeStatus(
        IdOf(d), StatusChange{v1::PUBLISHED, "", EventKind::kPublished}, [](const v1::Document&) {}, "TCCB");
  }

  DocumentStore documents_{*pool_};
  AttachmentStore attachments_{*pool_};
  SearchStore search_{*pool_};
};

using testing::ExpectDomainError;

const std::string kMissing = "00000000-0000-4000-8000-000000000000";

TEST_F(DocumentStoresTest, CreateStoresADraftReplaysItsRequestAndRefusesATakenCode) {
  auto created = CreateDraft("57/Q\u0110-SGD\u0110T", kNfc + " n\u0103m 2026", "TCCB", "req-1");
  EXPECT_EQ(created.status(), v1::DRAFT);
  EXPECT_EQ(created.subject(), kNfc + " n\u0103m 2026");  // stored as given, NFC
  EXPECT_EQ(created.created_by(), "TCCB");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_EQ(OutboxRows(created.name()), 0) << "a draft is no event";

  auto replayed = CreateDraft("57/Q\u0110-SGD\u0110T", "other", "TCCB", "req-1");
  EXPECT_EQ(replayed.name(), created.name());
  EXPECT_EQ(replayed.subject(), created.subject());

  ExpectDomainError([&] { CreateDraft("57/Q\u0110-SGD\u0110T", "again", "TCCB", "req-2"); },
                    DomainErrorKind::kAlreadyExists,
                    "document.code: 57/Q\u0110-SGD\u0110T already exists for this issuer in 2026");

  auto got = documents_.Get(IdOf(created));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->subject(), created.subject());
  EXPECT_EQ(got->signer().name(), "Nguy\u1EC5n V\u0103n \u0110\u1EE9c");
  EXPECT_FALSE(documents_.Get(kMissing));
}

TEST_F(DocumentStoresTest, GetByCodeFindsByTheFoldedKeyWithinVisibility) {
  auto draft = CreateDraft("12/Q\u0110-SGD\u0110T", "Quy \u0111\u1ECBnh v\u1EC1 ti\u1EBFp nh\u1EADn h\u1ED3 s\u01A1");
  const std::string key = LookupKey("012/qd-sgddt");
  ASSERT_EQ(key, LookupKey("12/Q\u0110-SGD\u0110T"));
  auto own = documents_.GetByCode(key, 2026, Visibility{false, "TCCB"});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->name(), draft.name());
  EXPECT_TRUE(documents_.GetByCode(key, 0, Visibility{true, ""}));
  EXPECT_FALSE(documents_.GetByCode(key, 2026, Visibility{}));  // a reader does not see a draft
  EXPECT_FALSE(documents_.GetByCode(key, 2026, Visibility{false, "VP"}));
  EXPECT_FALSE(documents_.GetByCode(key, 2025, Visibility{true, ""}));
  Publish(draft);
  EXPECT_TRUE(documents_.GetByCode(key, 2026, Visibility{}));
}

TEST_F(DocumentStoresTest, ChangeStatusWritesOneOutboxRowPerChangeAndNoneWhenRefused) {
  auto draft = CreateDraft("20/Q\u0110-SGD\u0110T", "V\u1EC1 vi\u1EC7c c\u00F4ng b\u1ED1 th\u1EE7 t\u1EE5c");
  ExpectDomainError(
      [&] {
        documents_.ChangeStatus(
            IdOf(draft), StatusChange{v1::PUBLISHED, "", EventKind::kPublished},
            [](const v1::Document&) { throw DomainError(DomainErrorKind::kFailedPrecondition, "refused"); }, "TCCB");
      },
      DomainErrorKind::kFailedPrecondition, "refused");
  EXPECT_EQ(OutboxRows(draft.name()), 0);
  EXPECT_EQ(documents_.Get(IdOf(draft))->status(), v1::DRAFT);

  auto published = Publish(draft);
  EXPECT_EQ(published.status(), v1::PUBLISHED);
  EXPECT_NE(published.etag(), draft.etag());
  EXPECT_TRUE(published.has_publish_time());
  EXPECT_EQ(OutboxRows(draft.name()), 1);
  EXPECT_EQ(pg_->Sql("SELECT event_type FROM document.outbox WHERE aggregate_id = '" + draft.name() + "'"),
            "cchc.document.v1.DocumentPublished\n");
  auto stored = documents_.Get(IdOf(draft));
  EXPECT_EQ(stored->status(), v1::PUBLISHED);
  EXPECT_EQ(stored->etag(), published.etag());

  auto withdrawn = documents_.ChangeStatus(
      IdOf(draft), StatusChange{v1::WITHDRAWN, "Sai th\u1EC3 th\u1EE9c", EventKind::kWithdrawn},
      [](const v1::Document& before) { EXPECT_EQ(before.status(), v1::PUBLISHED); }, "TCCB");
  EXPECT_EQ(withdrawn.withdraw_reason(), "Sai th\u1EC3 th\u1EE9c");
  EXPECT_EQ(documents_.Get(IdOf(draft))->withdraw_reason(), "Sai th\u1EC3 th\u1EE9c");
  EXPECT_EQ(OutboxRows(draft.name()), 2);

  ExpectDomainError(
      [&] {
        documents_.ChangeStatus(
            kMissing, StatusChange{v1::PUBLISHED, "", EventKind::kPublished}, [](const v1::Document&) {}, "TCCB");
      },
      DomainErrorKind::kNotFound, "name: documents/" + kMissing + " does not exist");
}

TEST_F(DocumentStoresTest, ModifyWritesTheEventItAsksForAndRefusesATakenCode) {
  auto doc = Publish(CreateDraft("30/Q\u0110-SGD\u0110T", "Ban \u0111\u1EA7u"));
  CreateDraft("31/Q\u0110-SGD\u0110T", "Kh\u00E1c");
  ASSERT_EQ(OutboxRows(doc.name()), 1);
  auto code30 = *ParseCode("30/Q\u0110-SGD\u0110T").code;

  auto edited = documents_.Modify(
      IdOf(doc),
      [&](v1::Document& d) {
        d.set_subject(kNfc + " \u0111\u1EE3t 2");
        return Mutation{EventKind::kUpdated, {"subject"}, code30};
      },
      "VP");
  EXPECT_EQ(edited.subject(), kNfc + " \u0111\u1EE3t 2");
  EXPECT_EQ(edited.updated_by(), "VP");
  EXPECT_NE(edited.etag(), doc.etag());
  EXPECT_EQ(OutboxRows(doc.name()), 2);

  documents_.Modify(
      IdOf(doc),
      [&](v1::Document& d) {
        d.set_body("ch\u1EC9 s\u1EEDa to\u00E0n v\u0103n");
        return Mutation{EventKind::kNone, {}, code30};
      },
      "VP");
  EXPECT_EQ(OutboxRows(doc.name()), 2) << "no event asked, none written";

  auto taken = *ParseCode("31/Q\u0110-SGD\u0110T").code;
  ExpectDomainError(
      [&] {
        documents_.Modify(
            IdOf(doc),
            [&](v1::Document& d) {
              d.set_code(taken.text);
              return Mutation{EventKind::kUpdated, {"code"}, taken};
            },
            "VP");
      },
      DomainErrorKind::kAlreadyExists, "document.code: 31/Q\u0110-SGD\u0110T already exists for this issuer in 2026");
  EXPECT_EQ(OutboxRows(doc.name()), 2);
  EXPECT_EQ(documents_.Get(IdOf(doc))->code(), "30/Q\u0110-SGD\u0110T");

  ExpectDomainError(
      [&] {
        documents_.Modify(
            kMissing, [&](v1::Document&) { return Mutation{}; }, "VP");
      },
      DomainErrorKind::kNotFound, "name: documents/" + kMissing + " does not exist");

  ExpectDomainError(
      [&] {
        documents_.Delete(
            IdOf(doc), [](const v1::Document&) { throw DomainError(DomainErrorKind::kFailedPrecondition, "no"); },
            "TCCB");
      },
      DomainErrorKind::kFailedPrecondition, "no");
  EXPECT_TRUE(documents_.Get(IdOf(doc)));
  documents_.Delete(
      IdOf(doc), [](const v1::Document&) {}, "TCCB");
  EXPECT_FALSE(documents_.Get(IdOf(doc)));
  ExpectDomainError(
      [&] {
        documents_.Delete(
            IdOf(doc), [](const v1::Document&) {}, "TCCB");
      },
      DomainErrorKind::kNotFound, "name: " + doc.name() + " does not exist");
}

// An event over --max-event-bytes refuses the write that would enqueue it: nothing is written, neither the change
// nor its outbox row.
TEST_F(DocumentStoresTest, AnEventTooLargeRefusesTheWriteAndWritesNothing) {
  auto draft = CreateDraft("60/Q\u0110-SGD\u0110T", "S\u1EF1 ki\u1EC7n qu\u00E1 l\u1EDBn");
  auto published = Publish(CreateDraft("61/Q\u0110-SGD\u0110T", "\u0110\u00E3 \u0111\u0103ng"));
  outbox::SetMaxEventBytes(100);
  EXPECT_ANY_THROW(Publish(draft));
  EXPECT_ANY_THROW(documents_.Modify(
      IdOf(published),
      [&](v1::Document& d) {
        d.set_subject("Kh\u00F4ng \u0111\u01B0\u1EE3c ghi");
        return Mutation{EventKind::kUpdated, {"subject"}, *ParseCode(d.code()).code};
      },
      "VP"));
  outbox::SetMaxEventBytes(outbox::kDefaultMaxEventBytes);
  EXPECT_EQ(documents_.Get(IdOf(draft))->status(), v1::DRAFT);
  EXPECT_EQ(documents_.Get(IdOf(published))->subject(), "\u0110\u00E3 \u0111\u0103ng");
  EXPECT_EQ(OutboxRows(draft.name()), 0);
  EXPECT_EQ(OutboxRows(published.name()), 1);
}

// An event over --max-event-bytes is refused as the stores refuse anything: a DomainError (StatusOf maps it).
TEST_F(DocumentStoresTest, AnEventTooLargeIsADomainError) {
  auto draft = CreateDraft("62/Q\u0110-SGD\u0110T", "S\u1EF1 ki\u1EC7n qu\u00E1 l\u1EDBn");
  outbox::SetMaxEventBytes(100);
  try {
    Publish(draft);
    ADD_FAILURE() << "expected a DomainError";
  } catch (const DomainError& e) {
    EXPECT_EQ(e.Kind(), DomainErrorKind::kFailedPrecondition);
    EXPECT_EQ(std::string(e.what()).rfind(
                  "event: the cchc.document.v1.DocumentPublished event of " + draft.name() + " would be ", 0),
              0u)
        << e.what();
  } catch (...) {
    ADD_FAILURE() << "a refusal other than DomainError";
  }
  outbox::SetMaxEventBytes(outbox::kDefaultMaxEventBytes);
}

TEST_F(DocumentStoresTest, AttachmentsAddUnderTheCapOpenCountsAndSlicesReadWhileUnchanged) {
  auto doc = CreateDraft("40/Q\u0110-SGD\u0110T", "C\u00F3 t\u1EC7p \u0111\u00EDnh k\u00E8m");
  const std::string id = IdOf(doc);
  v1::Attachment meta;
  meta.set_file_name("Quy\u1EBFt \u0111\u1ECBnh 40.pdf");
  meta.set_media_type("application/pdf");
  meta.set_sha256(std::string(64, 'a'));
  const std::string bytes = "%PDF-1.7 n\u1ED9i dung";
  auto added = attachments_.Add(id, meta, bytes, 2);
  EXPECT_EQ(added.name().rfind(doc.name() + "/attachments/", 0), 0u) << added.name();
  EXPECT_EQ(added.size_bytes(), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(added.file_name(), meta.file_name());
  EXPECT_NE(documents_.Get(id)->etag(), doc.etag()) << "an attachment is a new version of its document";
  const std::string attachment_id = added.name().substr(added.name().rfind('/') + 1);

  meta.set_file_name("Ph\u1EE5 l\u1EE5c.pdf");
  attachments_.Add(id, meta, "x", 2);
  meta.set_file_name("Ph\u1EE5 l\u1EE5c 2.pdf");  // a third file name; the same name would be a new version
  ExpectDomainError([&] { attachments_.Add(id, meta, "y", 2); }, DomainErrorKind::kExhausted,
                    "header.document: " + doc.name() +
                        " already has the most attachments a document may have (2, --max-attachments-per-document)");
  ExpectDomainError([&] { attachments_.Add(kMissing, meta, "y", 2); }, DomainErrorKind::kNotFound,
                    "header.document: documents/" + kMissing + " does not exist");
  EXPECT_EQ(documents_.Get(id)->attachments_size(), 2);
  EXPECT_EQ(OutboxRows(doc.name()), 0);

  EXPECT_FALSE(attachments_.Open(id, attachment_id, true)) << "a draft's attachment, published only";
  auto opened = attachments_.Open(id, attachment_id, false);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->download_count(), 1);
  EXPECT_EQ(opened->sha256(), meta.sha256());
  EXPECT_EQ(documents_.Get(id)->download_count(), 1);
  EXPECT_FALSE(attachments_.Open(id, kMissing, false));

  EXPECT_EQ(attachments_.ReadSlice(id, attachment_id, meta.sha256(), 0, 4, false), "%PDF");
  EXPECT_EQ(attachments_.ReadSlice(id, attachment_id, meta.sha256(), 4, 1000, false), bytes.substr(4));
  EXPECT_FALSE(attachments_.ReadSlice(id, attachment_id, std::string(64, 'b'), 0, 4, false)) << "replaced";
  EXPECT_FALSE(attachments_.ReadSlice(id, attachment_id, meta.sha256(), 0, 4, true)) << "not published";
  Publish(doc);
  EXPECT_EQ(attachments_.ReadSlice(id, attachment_id, meta.sha256(), 0, 4, true), "%PDF");
  documents_.ChangeStatus(
      id, StatusChange{v1::WITHDRAWN, "r\u00FAt", EventKind::kWithdrawn}, [](const v1::Document&) {}, "TCCB");
  EXPECT_FALSE(attachments_.ReadSlice(id, attachment_id, meta.sha256(), 0, 4, true)) << "withdrawn since Open";
}

TEST_F(DocumentStoresTest, SearchFindsFoldedWordsAndListPagesNewestFirstWithinVisibility) {
  auto cchc = Publish(CreateDraft("50/Q\u0110-SGD\u0110T", kNfc + " c\u1EA5p t\u1EC9nh"));
  auto dao_tao = Publish(
      CreateDraft("51/Q\u0110-SGD\u0110T", "K\u1EBF ho\u1EA1ch \u0111\u00E0o t\u1EA1o b\u1ED3i d\u01B0\u1EE1ng"));
  auto draft = CreateDraft("52/Q\u0110-SGD\u0110T", kNfc + " (d\u1EF1 th\u1EA3o)");

  auto names = [](const std::vector<v1::Document>& docs) {
    std::vector<std::string> out;
    for (const auto& d : docs) out.push_back(d.name());
    return out;
  };
  auto search = [&](const std::string& words, Visibility visibility) {
    SearchQuery q;
    q.tsquery = BuildTsQuery(words);
    q.phrase = BuildTsPhrase(words);
    q.visibility = visibility;
    return names(search_.Search(q));
  };
  auto has = [](const std::vector<std::string>& v, const std::string& n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(search("cai cach hanh chinh cap tinh", Visibility{}), Names{cchc.name()});
  EXPECT_EQ(search(kNfd + " c\u00E2\u0301p", Visibility{}), Names{cchc.name()});  // asked in NFD
  EXPECT_EQ(search("dao tao boi duong", Visibility{}), Names{dao_tao.name()});    // đ folds to d
  EXPECT_EQ(search("\u0110\u00C0O T\u1EA0O B\u1ED2I D\u01AF\u1EE0NG", Visibility{}), Names{dao_tao.name()});
  // Every document's issuer is "Sở Giáo dục và Đào tạo": the one with the words in its subject ranks first.
  auto dao = search("dao tao", Visibility{});
  ASSERT_FALSE(dao.empty());
  EXPECT_EQ(dao[0], dao_tao.name());
  EXPECT_FALSE(has(search("cai cach", Visibility{}), draft.name()));
  EXPECT_TRUE(has(search("cai cach", Visibility{false, "TCCB"}), draft.name()));
  EXPECT_TRUE(search("khong co tu nay", Visibility{}).empty());

  ListQuery all;
  all.visibility = Visibility{true, ""};
  all.filter.set_issuer_code("sgddt");  // folded like the stored key
  all.limit = 2;
  auto first = search_.List(all);
  ASSERT_EQ(first.documents.size(), 2u);
  ASSERT_TRUE(first.last);
  EXPECT_TRUE(first.documents[0].body().empty()) << "listed without body";
  std::vector<std::string> seen = names(first.documents);
  all.after = first.last;
  for (int page = 0; page < 10 && all.after; ++page) {
    auto next = search_.List(all);
    for (const auto& n : names(next.documents)) seen.push_back(n);
    all.after = next.last;
  }
  EXPECT_TRUE(has(seen, draft.name()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << "no document on two pages";

  ListQuery published;
  published.filter.set_field("CAI CACH HANH CHINH");
  published.limit = 100;
  auto listed = names(search_.List(published).documents);
  EXPECT_TRUE(has(listed, cchc.name()));
  EXPECT_FALSE(has(listed, draft.name()));
  published.filter.set_status(v1::DRAFT);
  EXPECT_TRUE(search_.List(published).documents.empty()) << "a reader lists no draft";
}

TEST_F(DocumentStoresTest, PreparedListsPageLikeTheGenericListAndTakeOnlyTheirShapes) {
  // Three published documents of the field and one of another, one draft of the field.
  std::vector<std::string> field_docs;
  for (int n = 160; n < 163; ++n)
    field_docs.push_back(
        Publish(CreateDraft(std::to_string(n) + "/Q\u0110-SGD\u0110T", kNfc + " " + std::to_string(n))).name());
  auto other = CreateDraft("163/Q\u0110-SGD\u0110T", "V\u0103n b\u1EA3n kh\u00E1c");
  documents_.Modify(
      IdOf(other),
      [](v1::Document& d) {
        d.clear_fields();
        d.add_fields("T\u1ED5 ch\u1EE9c c\u00E1n b\u1ED9");
        Mutation m;
        m.code = *ParseCode(d.code()).code;
        return m;
      },
      "TCCB");
  Publish(other);
  CreateDraft("164/Q\u0110-SGD\u0110T", kNfc + " (d\u1EF1 th\u1EA3o)");

  auto pages = [&](ListQuery q, bool prepared) {
    std::vector<std::string> out;
    for (int page = 0; page < 50; ++page) {
      ListPage p;
      if (prepared) {
        auto got = documents_.ListPrepared(q);
        EXPECT_TRUE(got);
        if (!got) break;
        p = std::move(*got);
      } else {
        p = search_.List(q);
      }
      for (const auto& d : p.documents) {
        EXPECT_TRUE(d.body().empty()) << "listed without body";
        out.push_back(d.name());
      }
      if (!p.last) break;
      q.after = p.last;
    }
    return out;
  };
  ListQuery sidebar;  // a reader's: the service sets the status
  sidebar.filter.set_status(v1::PUBLISHED);
  sidebar.filter.set_field(kNfd);  // folded like the stored keys, whatever the form
  sidebar.limit = 2;
  ASSERT_TRUE(HasPreparedShape(sidebar));
  auto prepared = pages(sidebar, true);
  EXPECT_EQ(prepared, pages(sidebar, false)) << "the same pages, in the same order";
  for (const auto& n : field_docs) EXPECT_NE(std::find(prepared.begin(), prepared.end(), n), prepared.end()) << n;
  EXPECT_EQ(std::find(prepared.begin(), prepared.end(), other.name()), prepared.end()) << "another field";
  EXPECT_EQ(std::set<std::string>(prepared.begin(), prepared.end()).size(), prepared.size()) << "no repeats";

  ListQuery everything;
  everything.filter.set_status(v1::PUBLISHED);
  everything.limit = 3;
  auto all = pages(everything, true);
  EXPECT_EQ(all, pages(everything, false));
  EXPECT_NE(std::find(all.begin(), all.end(), other.name()), all.end());

  // The portal's sidebar ends at the page's day: still the prepared shape, the same pages as the generic list.
  ListQuery until = sidebar;  // the documents here are issued on 2026-03-02 (CreateDraft)
  until.filter.set_issue_date_to("2026-03-01");
  ASSERT_TRUE(HasPreparedShape(until));
  EXPECT_TRUE(pages(until, true).empty());
  EXPECT_TRUE(pages(until, false).empty());
  until.filter.set_issue_date_to("2026-03-02");
  EXPECT_EQ(pages(until, true), pages(until, false));
  EXPECT_EQ(pages(until, true), prepared) << "the last day is in";

  // BASIC: the same documents, each with exactly the fields KeepBasic keeps of the FULL one.
  ListQuery basic = sidebar;
  basic.limit = 100;
  auto full_page = documents_.ListPrepared(basic, v1::FULL);
  auto basic_page = documents_.ListPrepared(basic, v1::BASIC);
  ASSERT_TRUE(full_page && basic_page);
  ASSERT_EQ(basic_page->documents.size(), full_page->documents.size());
  ASSERT_FALSE(basic_page->documents.empty());
  for (size_t i = 0; i < basic_page->documents.size(); ++i) {
    v1::Document expected = full_page->documents[i];
    EXPECT_FALSE(expected.signer().name().empty()) << "FULL carries the signer";
    KeepBasic(&expected);
    const auto& got = basic_page->documents[i];
    EXPECT_EQ(got.SerializeAsString(), expected.SerializeAsString()) << got.DebugString();
    EXPECT_FALSE(got.code().empty() || got.subject().empty() || got.issue_date().empty() || got.etag().empty());
    EXPECT_TRUE(got.has_update_time());
    EXPECT_NE(got.validity(), v1::VALIDITY_UNSPECIFIED);
    EXPECT_TRUE(got.signer().name().empty() && got.fields().empty()) << "BASIC leaves the rest out";
  }

  ListQuery drafts = sidebar;
  drafts.filter.set_status(v1::DRAFT);
  EXPECT_FALSE(HasPreparedShape(drafts));
  EXPECT_FALSE(documents_.ListPrepared(drafts)) << "not a prepared shape: the generic list plans it";
  ListQuery by_issuer = sidebar;
  by_issuer.filter.set_issuer_code("sgddt");
  EXPECT_FALSE(HasPreparedShape(by_issuer));
  ListQuery any_status;
  any_status.filter.set_field(kNfc);
  EXPECT_FALSE(HasPreparedShape(any_status));
}

TEST_F(DocumentStoresTest, TheRowCountsItsAttachmentsAndGetReadsThemOnlyThen) {
  auto doc = CreateDraft("170/Q\u0110-SGD\u0110T", "\u0110\u00EDnh k\u00E8m theo th\u1EE9 t\u1EF1");
  const std::string id = IdOf(doc);
  auto count = [&] {
    return std::stoi(pg_->Sql("SELECT attachment_count FROM document.documents WHERE id = '" + id + "'"));
  };
  EXPECT_EQ(count(), 0);
  EXPECT_EQ(documents_.Get(id)->attachments_size(), 0);
  v1::Attachment meta;
  meta.set_media_type("application/pdf");
  meta.set_sha256(std::string(64, 'c'));
  meta.set_file_name("1.pdf");
  auto first = attachments_.Add(id, meta, "%PDF-1", 5);
  meta.set_file_name("2.pdf");
  attachments_.Add(id, meta, "%PDF-2", 5);
  EXPECT_EQ(count(), 2);
  auto got = documents_.Get(id);
  ASSERT_EQ(got->attachments_size(), 2);
  EXPECT_EQ(got->attachments(0).name(), first.name()) << "oldest first";
  EXPECT_EQ(got->attachments(0).file_name(), "1.pdf");
  EXPECT_EQ(got->attachments(1).file_name(), "2.pdf");
  EXPECT_EQ(got->attachments(1).size_bytes(), 6);
  EXPECT_TRUE(got->attachments(0).has_create_time());
  pg_->Sql("DELETE FROM document.attachments WHERE id = '" + first.name().substr(first.name().rfind('/') + 1) + "'");
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(documents_.Get(id)->attachments_size(), 1);
}

}  // namespace
}  // namespace cchc::document
