// Comment limits beyond the per-address one: per client, as only the portal may name it (x-cchc-client-id
// metadata; ignored from anybody else), and per article, on the comments awaiting moderation (chờ duyệt).
// The fixture allows 2 comments per client and 4 pending per article.
#include "news_fixture.h"

namespace cchc::testing {
namespace {

namespace v1 = news::v1;

grpc::Status Submit(const v1::Article& article, const std::string& email, const std::string& token,
                    const std::string& client_id = "") {
  v1::SubmitCommentRequest req;
  req.set_parent(article.name());
  req.mutable_comment()->set_author_name("Trần Thị B");
  req.mutable_comment()->set_email(email);
  req.mutable_comment()->set_content("Đề nghị công khai kết quả chỉ số cải cách hành chính của từng trường.");
  auto ctx = NewsServiceTest::Context(token);
  if (!client_id.empty()) ctx->AddMetadata("x-cchc-client-id", client_id);
  v1::Comment out;
  return NewsServiceTest::Stub().SubmitComment(ctx.get(), req, &out);
}

TEST_F(NewsServiceTest, CommentsAreLimitedPerPortalNamedClientAndPendingPerArticle) {
  v1::Article article = CreatePublished(NewArticle());
  v1::Article other = CreatePublished(NewArticle());
  const std::string client = "3f9c0a6e1b7d45c2a8e0f4b6d2c8a1e5";  // the portal's hash of a reader's address
  auto pending = [&] {
    return Sql(
        "SELECT count(*) FROM news.comments c JOIN news.articles a ON a.id = c.article_id WHERE "
        "c.status = 1 AND 'articles/' || a.id = '" +
        article.name() + "'");
  };

  // Per client: two from one client, whatever their addresses; a third is refused and not stored.
  ASSERT_TRUE(Submit(article, "b1@example.vn", kPortal, client).ok());
  ASSERT_TRUE(Submit(article, "b2@example.vn", kPortal, client).ok());
  auto s = Submit(article, "b3@example.vn", kPortal, client);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(s.error_message().rfind("x-cchc-client-id: at most 2 comments per 10 minutes", 0), 0u) << s.error_message();
  EXPECT_EQ(pending(), "2");
  ASSERT_TRUE(Submit(article, "b3@example.vn", kPortal, "another-client").ok());
  // From a mere reader the key means nothing: neither refused nor counted.
  ASSERT_TRUE(Submit(article, "b4@example.vn", kReader, client).ok());
  EXPECT_EQ(Sql("SELECT count(*) FROM news.comments WHERE email_key = 'b4@example.vn' AND client_key = ''"), "1");
  EXPECT_EQ(Sql("SELECT count(DISTINCT client_key) FROM news.comments WHERE email_key LIKE 'b_@example.vn' AND "
                "length(client_key) = 64"),
            "2");

  // Per article: 4 awaiting moderation is the most it holds; other articles are not affected.
  EXPECT_EQ(pending(), "4");
  s = Submit(article, "b5@example.vn", kReader);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(s.error_message(), "parent: " + article.name() +
                                   " already has 4 comments awaiting moderation, the most it holds; try again once "
                                   "they are moderated");
  EXPECT_EQ(pending(), "4");
  EXPECT_TRUE(Submit(other, "b5@example.vn", kReader).ok());
  v1::ListCommentsRequest list;
  list.set_parent(article.name());
  list.set_status(v1::PENDING);
  v1::ListCommentsResponse listed;
  ASSERT_TRUE(Stub().ListComments(Context(kModerator).get(), list, &listed).ok());
  ASSERT_EQ(listed.comments_size(), 4);
  v1::ModerateCommentRequest spam;
  spam.set_name(listed.comments(0).name());
  spam.set_decision(v1::SPAM);
  v1::Comment moderated;
  ASSERT_TRUE(Stub().ModerateComment(Context(kModerator).get(), spam, &moderated).ok());
  EXPECT_TRUE(Submit(article, "b6@example.vn", kReader).ok());

  // The portal's malformed key is bad input, named.
  s = Submit(other, "b7@example.vn", kPortal, std::string(129, 'f'));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("x-cchc-client-id: ", 0), 0u) << s.error_message();
  EXPECT_EQ(Sql("SELECT count(*) FROM news.comments WHERE email_key = 'b7@example.vn'"), "0");
}

}  // namespace
}  // namespace cchc::testing
