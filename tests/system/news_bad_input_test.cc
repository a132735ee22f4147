// Bad input and access: each case gets its exact status, names the field (in the message and, for the AIP-193
// codes, in the status details with the reason), and writes nothing.
#include <functional>

#include "news_fixture.h"
#include "support/refusal_details.h"

namespace cchc::testing {
namespace {

namespace v1 = news::v1;

std::string Written() {
  return NewsServiceTest::Count("articles") + "/" + NewsServiceTest::Count("comments") + "/" +
         NewsServiceTest::Count("outbox") + "/" + NewsServiceTest::Count("article_view_shards");
}

struct Case {
  const char* name;
  std::function<grpc::Status()> call;
  grpc::StatusCode code;
  const char* field;  // the message must start with it ("" = not checked)
  // ErrorInfo.reason of an INVALID_ARGUMENT, ALREADY_EXISTS, ABORTED or FAILED_PRECONDITION; "" = its code's default
  const char* reason = "";
};

TEST_F(NewsServiceTest, BadInputGetsItsExactStatusAndWritesNothing) {
  v1::Article taken = CreatePublished(NewArticle());
  v1::Article closed_article = NewArticle();
  closed_article.set_comments_enabled(false);
  v1::Article closed = CreatePublished(closed_article);
  v1::CreateArticleRequest draft_req;
  *draft_req.mutable_article() = NewArticle();
  v1::Article draft;
  ASSERT_TRUE(Stub().CreateArticle(Context(kEditor).get(), draft_req, &draft).ok());
  const std::string unknown = "articles/0f8fad5b-d9cb-469f-a165-70867728950e";

  auto create = [](std::function<void(v1::Article&)> spoil, const char* token = kEditor) {
    return [spoil, token] {
      v1::CreateArticleRequest req;
      *req.mutable_article() = NewArticle();
      spoil(*req.mutable_article());
      v1::Article out;
      return Stub().CreateArticle(Context(token).get(), req, &out);
    };
  };
  auto comment = [](std::string parent, std::function<void(v1::Comment&)> spoil) {
    return [parent, spoil] {
      v1::SubmitCommentRequest req;
      req.set_parent(parent);
      req.mutable_comment()->set_author_name("Bạn đọc");
      req.mutable_comment()->set_email("bad-input@example.vn");
      req.mutable_comment()->set_content("Nội dung");
      spoil(*req.mutable_comment());
      v1::Comment out;
      return Stub().SubmitComment(Context(kReader).get(), req, &out);
    };
  };
  auto keep = [](v1::Comment&) {};
  auto publish_at = [](const std::string& name, int64_t seconds_from_now) {
    return [name, seconds_from_now] {
      v1::PublishArticleRequest req;
      req.set_name(name);
      req.mutable_publish_time()->set_seconds(std::time(nullptr) + seconds_from_now);
      v1::Article out;
      return Stub().PublishArticle(Context(kEditor).get(), req, &out);
    };
  };

  const Case cases[] = {
      {"empty title", create([](v1::Article& a) { a.set_title("  "); }), grpc::StatusCode::INVALID_ARGUMENT,
       "article.title"},
      {"title over 250", create([](v1::Article& a) { a.set_title(std::string(251, 'x')); }),
       grpc::StatusCode::INVALID_ARGUMENT, "article.title"},
      {"slug clash", create([&](v1::Article& a) { a.set_slug(taken.slug()); }), grpc::StatusCode::ALREADY_EXISTS,
       "article.slug", "DUPLICATE_SLUG"},
      {"title clash makes the same slug", create([&](v1::Article& a) { a.set_title(taken.title()); }),
       grpc::StatusCode::ALREADY_EXISTS, "article.slug", "DUPLICATE_SLUG"},
      {"malformed slug", create([](v1::Article& a) { a.set_slug("Hội nghị"); }), grpc::StatusCode::INVALID_ARGUMENT,
       "article.slug"},
      {"view count by an editor", create([](v1::Article& a) { a.set_view_count(552); }),
       grpc::StatusCode::PERMISSION_DENIED, "article.view_count"},
      {"create by a reader", create([](v1::Article&) {}, kReader), grpc::StatusCode::PERMISSION_DENIED, ""},
      {"create without a token", create([](v1::Article&) {}, ""), grpc::StatusCode::UNAUTHENTICATED, ""},
      {"schedule in the past", publish_at(draft.name(), -60), grpc::StatusCode::INVALID_ARGUMENT, "publish_time"},
      {"publish an unknown article", publish_at(unknown, 3600), grpc::StatusCode::NOT_FOUND, "name"},
      {"overlong comment", comment(taken.name(), [](v1::Comment& c) { c.set_content(std::string(2001, 'x')); }),
       grpc::StatusCode::INVALID_ARGUMENT, "comment.content"},
      {"comment without e-mail", comment(taken.name(), [](v1::Comment& c) { c.set_email("khong-co"); }),
       grpc::StatusCode::INVALID_ARGUMENT, "comment.email"},
      {"comment on a closed article", comment(closed.name(), keep), grpc::StatusCode::FAILED_PRECONDITION, "parent",
       "COMMENTS_CLOSED"},
      {"comment on a draft", comment(draft.name(), keep), grpc::StatusCode::NOT_FOUND, "parent"},
      {"comment on an unknown article", comment(unknown, keep), grpc::StatusCode::NOT_FOUND, "parent"},
      {"comment on a malformed name", comment("articles/1", keep), grpc::StatusCode::INVALID_ARGUMENT, "parent",
       "INVALID_NAME"},
      {"moderation by a non-moderator",
       [&] {
         v1::ModerateCommentRequest req;
         req.set_name(unknown + "/comments/0f8fad5b-d9cb-469f-a165-70867728950e");
         req.set_decision(v1::APPROVED);
         v1::Comment out;
         return Stub().ModerateComment(Context(kEditor).get(), req, &out);
       },
       grpc::StatusCode::PERMISSION_DENIED, ""},
      {"moderation of an unknown comment",
       [&] {
         v1::ModerateCommentRequest req;
         req.set_name(taken.name() + "/comments/0f8fad5b-d9cb-469f-a165-70867728950e");
         req.set_decision(v1::APPROVED);
         v1::Comment out;
         return Stub().ModerateComment(Context(kModerator).get(), req, &out);
       },
       grpc::StatusCode::NOT_FOUND, "name"},
      {"readers list pending comments",
       [&] {
         v1::ListCommentsRequest req;
         req.set_parent(taken.name());
         req.set_status(v1::PENDING);
         v1::ListCommentsResponse out;
         return Stub().ListComments(Context(kReader).get(), req, &out);
       },
       grpc::StatusCode::PERMISSION_DENIED, "status"},
      {"get an unknown article",
       [&] {
         v1::GetArticleRequest req;
         req.set_name(unknown);
         v1::Article out;
         return Stub().GetArticle(Context(kReader).get(), req, &out);
       },
       grpc::StatusCode::NOT_FOUND, "name"},
      {"a reader gets a draft",
       [&] {
         v1::GetArticleRequest req;
         req.set_name(draft.name());
         v1::Article out;
         return Stub().GetArticle(Context(kReader).get(), req, &out);
       },
       grpc::StatusCode::NOT_FOUND, "name"},
      {"view of an unknown article",
       [&] {
         v1::RecordViewRequest req;
         req.set_name(unknown);
         v1::RecordViewResponse out;
         return Stub().RecordView(Context(kReader).get(), req, &out);
       },
       grpc::StatusCode::NOT_FOUND, "name"},
      {"forged page token",
       [&] {
         v1::ListArticlesRequest req;
         req.set_page_token("bm90LWEtdG9rZW4");
         v1::ListArticlesResponse out;
         return Stub().ListArticles(Context(kReader).get(), req, &out);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "page_token", "INVALID_PAGE_TOKEN"},
      {"view of a malformed name (a callback reactor)",
       [&] {
         v1::RecordViewRequest req;
         req.set_name("articles/1");
         v1::RecordViewResponse out;
         return Stub().RecordView(Context(kReader).get(), req, &out);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "name", "INVALID_NAME"},
  };
  std::string before = Written();
  for (const auto& c : cases) {
    grpc::Status s = c.call();
    EXPECT_EQ(s.error_code(), c.code) << c.name << ": " << s.error_message();
    EXPECT_EQ(s.error_message().rfind(c.field, 0), 0u) << c.name << ": " << s.error_message();
    if (error_details::CarriesDetails(c.code) && *c.field) {
      std::string reason =
          *c.reason ? c.reason : platform::v1::ErrorReason_Name(error_details::DefaultReason(c.code, true));
      EXPECT_TRUE(HasDetails(s, reason, c.field)) << c.name;
    } else {
      EXPECT_TRUE(s.error_details().empty()) << c.name;
    }
  }
  EXPECT_EQ(Written(), before);
}

}  // namespace
}  // namespace cchc::testing
