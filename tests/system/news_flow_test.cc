// The news service driven over gRPC as editors, moderators and readers use it, with the document service
// answering for related documents.
#include "cchc/news/v1/events.pb.h"
#include "news_fixture.h"
#include "support/kafka_reader.h"

namespace cchc::testing {
namespace {

namespace v1 = news::v1;

// A published document of the document service, created once for the suite.
std::string PublishedDocumentCode() {
  static std::string code;
  if (code.empty()) code = NewsServiceTest::document_->PublishSampleDocument(NewsServiceTest::kAdmin);
  return code;
}

TEST_F(NewsServiceTest, PublishedArticleIsFoundBySlugListAndAccentFreeSearchAndAnnounced) {
  PublishedDocumentCode();
  v1::Article a = NewArticle();
  a.set_title("Ủy ban nhân dân tỉnh Sóc Trăng tổ chức Hội nghị Cải cách hành chính năm 2016");
  a.add_related_document_codes("998/qd-sgddt");  // tolerant: the document service's spelling is stored
  v1::Article published = CreatePublished(a);
  EXPECT_EQ(published.status(), v1::PUBLISHED);
  EXPECT_EQ(published.slug(), "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016");
  ASSERT_EQ(published.related_document_codes_size(), 1);
  EXPECT_EQ(published.related_document_codes(0), "998/QĐ-SGDĐT");
  EXPECT_TRUE(published.has_publish_time());

  v1::GetArticleBySlugRequest by_slug;
  by_slug.set_slug(published.slug());
  v1::Article found;
  ASSERT_TRUE(Stub().GetArticleBySlug(Context(kReader).get(), by_slug, &found).ok());
  EXPECT_EQ(found.name(), published.name());
  EXPECT_EQ(found.body(), a.body());

  v1::ListArticlesRequest list;
  list.mutable_filter()->set_category("cai cach HANH CHINH");
  list.mutable_filter()->set_tag("cchc");
  v1::ListArticlesResponse listed;
  ASSERT_TRUE(Stub().ListArticles(Context(kReader).get(), list, &listed).ok());
  ASSERT_GT(listed.articles_size(), 0);
  EXPECT_EQ(listed.articles(0).name(), published.name());  // newest first
  EXPECT_EQ(listed.articles(0).body(), "");

  for (std::string query : {"uy ban nhan dan soc trang", "HỘI NGHỊ CẢI CÁCH",
                            "so\xCC\x81"
                            "c tra\xCC\x86ng"}) {
    v1::SearchArticlesRequest search;
    search.set_query(query);
    v1::SearchArticlesResponse results;
    auto s = Stub().SearchArticles(Context(kReader).get(), search, &results);
    ASSERT_TRUE(s.ok()) << query << ": " << s.error_message();
    ASSERT_GT(results.articles_size(), 0) << query;
    EXPECT_EQ(results.articles(0).name(), published.name()) << query;
  }

  ASSERT_TRUE(WaitFor([] { return Count("outbox WHERE published_at IS NULL") == "0"; }, std::chrono::seconds(20)));
  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.news.v1", 1, std::chrono::seconds(20));
  bool seen = false;
  for (const auto& m : messages) {
    if (m.key != published.name()) continue;
    EXPECT_EQ(m.headers.at("ce_type"), "cchc.news.v1.ArticlePublished");
    EXPECT_EQ(m.headers.at("ce_source"), "/cchc/news");
    EXPECT_EQ(m.headers.at("ce_specversion"), "1.0");
    EXPECT_EQ(m.headers.at("ce_subject"), published.name());
    EXPECT_FALSE(m.headers.at("ce_id").empty());
    EXPECT_FALSE(m.headers.at("ce_time").empty());
    EXPECT_EQ(m.headers.at("content-type"), "application/protobuf");
    v1::ArticlePublished event;
    ASSERT_TRUE(event.ParseFromString(m.value));
    EXPECT_EQ(event.article().slug(), published.slug());
    EXPECT_EQ(event.article().body(), "");
    EXPECT_FALSE(event.scheduled());
    seen = true;
  }
  EXPECT_TRUE(seen);
}

TEST_F(NewsServiceTest, RelatedDocumentsAreCheckedAgainstTheDocumentService) {
  PublishedDocumentCode();
  v1::CreateArticleRequest create;
  *create.mutable_article() = NewArticle();
  create.mutable_article()->add_related_document_codes("998/QĐ-SGDĐT");
  create.mutable_article()->add_related_document_codes("77/KH-SGDĐT");
  v1::Article out;
  std::string before = Count("articles");
  auto s = Stub().CreateArticle(Context(kEditor).get(), create, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("article.related_document_codes[1]"), std::string::npos) << s.error_message();
  EXPECT_NE(s.error_message().find("77/KH-SGDĐT"), std::string::npos) << s.error_message();
  EXPECT_EQ(Count("articles"), before);

  StopDocument();
  create.mutable_article()->mutable_related_document_codes()->RemoveLast();
  s = Stub().CreateArticle(Context(kEditor).get(), create, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_EQ(Count("articles"), before);
  // Without related documents the document service is not needed.
  create.mutable_article()->clear_related_document_codes();
  EXPECT_TRUE(Stub().CreateArticle(Context(kEditor).get(), create, &out).ok());
  StartDocument();
  v1::UpdateArticleRequest update;
  update.mutable_article()->set_name(out.name());
  update.mutable_article()->add_related_document_codes("998/QĐ-SGDĐT");
  update.mutable_update_mask()->add_paths("related_document_codes");
  v1::Article updated;
  // The channel reconnects within its backoff; allow it a few seconds.
  ASSERT_TRUE(WaitFor([&] { return Stub().UpdateArticle(Context(kEditor).get(), update, &updated).ok(); },
                      std::chrono::seconds(15)));
  ASSERT_EQ(updated.related_document_codes_size(), 1);
}

TEST_F(NewsServiceTest, CommentsAreModeratedAndReadersSeeApprovedOnesWithoutAddresses) {
  v1::Article article = CreatePublished(NewArticle());
  v1::SubmitCommentRequest submit;
  submit.set_parent(article.name());
  submit.mutable_comment()->set_author_name("Nguyễn Văn A");
  submit.mutable_comment()->set_email("reader.a@example.vn");
  submit.mutable_comment()->set_content("Hội nghị rất ý nghĩa.");
  v1::Comment first, second;
  ASSERT_TRUE(Stub().SubmitComment(Context(kReader).get(), submit, &first).ok());
  EXPECT_EQ(first.status(), v1::PENDING);
  EXPECT_EQ(first.email(), "");
  submit.mutable_comment()->set_content("Bình luận thứ hai.");
  ASSERT_TRUE(Stub().SubmitComment(Context(kReader).get(), submit, &second).ok());

  v1::ListCommentsRequest list;
  list.set_parent(article.name());
  v1::ListCommentsResponse seen;
  ASSERT_TRUE(Stub().ListComments(Context(kReader).get(), list, &seen).ok());
  EXPECT_EQ(seen.comments_size(), 0);  // nothing approved yet

  v1::ListCommentsRequest pending;
  pending.set_parent("articles/-");
  pending.set_status(v1::PENDING);
  pending.set_page_size(100);
  ASSERT_TRUE(Stub().ListComments(Context(kModerator).get(), pending, &seen).ok());
  bool found = false;
  for (const auto& c : seen.comments())
    if (c.name() == first.name()) found = c.email() == "reader.a@example.vn";
  EXPECT_TRUE(found);

  for (const auto& c : {first, second}) {
    v1::ModerateCommentRequest approve;
    approve.set_name(c.name());
    approve.set_decision(v1::APPROVED);
    v1::Comment approved;
    ASSERT_TRUE(Stub().ModerateComment(Context(kModerator).get(), approve, &approved).ok());
    EXPECT_EQ(approved.status(), v1::APPROVED);
    EXPECT_EQ(approved.moderated_by(), "SGDĐT-TCCB");
    EXPECT_EQ(Stub().ModerateComment(Context(kModerator).get(), approve, &approved).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  ASSERT_TRUE(Stub().ListComments(Context(kReader).get(), list, &seen).ok());
  ASSERT_EQ(seen.comments_size(), 2);
  EXPECT_EQ(seen.comments(0).name(), first.name());  // oldest first by default
  EXPECT_EQ(seen.comments(0).email(), "");
  list.set_order(v1::NEWEST_FIRST);
  ASSERT_TRUE(Stub().ListComments(Context(kReader).get(), list, &seen).ok());
  EXPECT_EQ(seen.comments(0).name(), second.name());

  // Three per sender per window (the fixture's setting): the next one is refused and not stored.
  submit.mutable_comment()->set_content("Thứ ba.");
  v1::Comment out;
  ASSERT_TRUE(Stub().SubmitComment(Context(kReader).get(), submit, &out).ok());
  std::string before = Count("comments");
  submit.mutable_comment()->set_email("READER.A@example.vn");
  auto s = Stub().SubmitComment(Context(kReader).get(), submit, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_EQ(Count("comments"), before);

  ASSERT_TRUE(WaitFor([] { return Count("outbox WHERE published_at IS NULL") == "0"; }, std::chrono::seconds(20)));
  auto messages = ReadTopic(broker_->Bootstrap(), "cchc.news.v1", 1, std::chrono::seconds(20));
  int submitted = 0, approved = 0;
  for (const auto& m : messages) {
    if (m.key != article.name()) continue;
    if (m.headers.at("ce_type") == "cchc.news.v1.CommentSubmitted") {
      v1::CommentSubmitted e;
      ASSERT_TRUE(e.ParseFromString(m.value));
      EXPECT_EQ(e.comment().email(), "");
      ++submitted;
    }
    if (m.headers.at("ce_type") == "cchc.news.v1.CommentApproved") ++approved;
  }
  EXPECT_EQ(submitted, 3);
  EXPECT_EQ(approved, 2);
}

TEST_F(NewsServiceTest, UpdateUnpublishAndArchiveFollowTheStatusMachine) {
  v1::Article a = CreatePublished(NewArticle());
  v1::UpdateArticleRequest update;
  update.mutable_article()->set_name(a.name());
  update.mutable_article()->set_etag(a.etag());
  update.mutable_article()->set_lead("Phần mở đầu mới.");
  update.mutable_update_mask()->add_paths("lead");
  v1::Article updated;
  ASSERT_TRUE(Stub().UpdateArticle(Context(kEditor).get(), update, &updated).ok());
  EXPECT_EQ(updated.lead(), "Phần mở đầu mới.");
  EXPECT_EQ(Stub().UpdateArticle(Context(kEditor).get(), update, &updated).error_code(), grpc::StatusCode::ABORTED);

  v1::UnpublishArticleRequest unpublish;
  unpublish.set_name(a.name());
  v1::Article draft;
  ASSERT_TRUE(Stub().UnpublishArticle(Context(kEditor).get(), unpublish, &draft).ok());
  EXPECT_EQ(draft.status(), v1::DRAFT);
  v1::GetArticleRequest get;
  get.set_name(a.name());
  v1::Article out;
  EXPECT_EQ(Stub().GetArticle(Context(kReader).get(), get, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Stub().UnpublishArticle(Context(kEditor).get(), unpublish, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::ArchiveArticleRequest archive;
  archive.set_name(a.name());
  ASSERT_TRUE(Stub().ArchiveArticle(Context(kEditor).get(), archive, &out).ok());
  EXPECT_EQ(out.status(), v1::ARCHIVED);
  EXPECT_TRUE(Stub().GetArticle(Context(kReader).get(), get, &out).ok());  // still readable
  v1::PublishArticleRequest publish;
  publish.set_name(a.name());
  EXPECT_EQ(Stub().PublishArticle(Context(kEditor).get(), publish, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace cchc::testing
