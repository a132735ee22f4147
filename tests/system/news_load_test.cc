// What must hold under concurrency: scheduled publishing with two replicas, and bursts of views.
#include <signal.h>

#include <atomic>
#include <thread>

#include "news_fixture.h"

namespace cchc::testing {
namespace {

namespace v1 = news::v1;

TEST_F(NewsServiceTest, ScheduledArticlesArePublishedExactlyOnceWithTwoReplicasRunning) {
  StartNews(1);
  constexpr int kArticles = 6;
  std::vector<std::string> names;
  auto at = std::chrono::system_clock::now() + std::chrono::seconds(2);
  for (int i = 0; i < kArticles; ++i) {
    v1::CreateArticleRequest create;
    *create.mutable_article() = NewArticle();
    v1::Article created, scheduled;
    ASSERT_TRUE(Stub(i % 2).CreateArticle(Context(kEditor).get(), create, &created).ok());
    v1::PublishArticleRequest publish;
    publish.set_name(created.name());
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
    publish.mutable_publish_time()->set_seconds(seconds);
    auto s = Stub(i % 2).PublishArticle(Context(kEditor).get(), publish, &scheduled);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(scheduled.status(), v1::SCHEDULED);
    names.push_back(created.name());
  }
  // Readers do not see them before their time.
  v1::GetArticleRequest get;
  get.set_name(names[0]);
  v1::Article out;
  EXPECT_EQ(Stub().GetArticle(Context(kReader).get(), get, &out).error_code(), grpc::StatusCode::NOT_FOUND);

  for (const auto& name : names) {
    get.set_name(name);
    EXPECT_TRUE(
        WaitFor([&] { return Stub(1).GetArticle(Context(kReader).get(), get, &out).ok(); }, std::chrono::seconds(15)))
        << name;
    EXPECT_EQ(out.status(), v1::PUBLISHED);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // a few more scheduler passes on both replicas
  for (const auto& name : names)
    EXPECT_EQ(Count("outbox WHERE event_type = 'cchc.news.v1.ArticlePublished' AND aggregate_id = '" + name + "'"), "1")
        << name;
  StopNews(1, SIGTERM);
}

TEST_F(NewsServiceTest, EveryViewOfABurstIsCountedAndSurvivesACrash) {
  v1::Article article = CreatePublished(NewArticle());
  constexpr int kThreads = 8, kViewsPerThread = 2000;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  auto started = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto channel = grpc::CreateChannel(news_address_[0], grpc::InsecureChannelCredentials());
      auto stub = v1::NewsService::NewStub(channel);
      v1::RecordViewRequest req;
      req.set_name(article.name());
      for (int i = 0; i < kViewsPerThread; ++i) {
        v1::RecordViewResponse resp;
        if (!stub->RecordView(Context(kReader).get(), req, &resp).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "views: " << kThreads * kViewsPerThread << " in " << seconds << " s\n";
  ASSERT_EQ(failures.load(), 0);

  v1::GetArticleRequest get;
  get.set_name(article.name());
  v1::Article out;
  ASSERT_TRUE(Stub().GetArticle(Context(kReader).get(), get, &out).ok());
  EXPECT_EQ(out.view_count(), kThreads * kViewsPerThread);  // visible at once
  // The burst spread over the shards instead of one row.
  EXPECT_GT(std::stoi(Count("article_view_shards WHERE article_id = '" + article.name().substr(9) + "'")), 8);

  StopNews(0, SIGKILL);
  StartNews(0);
  // The client channel reconnects within its backoff.
  ASSERT_TRUE(
      WaitFor([&] { return Stub().GetArticle(Context(kReader).get(), get, &out).ok(); }, std::chrono::seconds(15)));
  EXPECT_EQ(out.view_count(), kThreads * kViewsPerThread);

  v1::RecordViewRequest draft_view;
  v1::CreateArticleRequest create;
  *create.mutable_article() = NewArticle();
  v1::Article draft;
  ASSERT_TRUE(Stub().CreateArticle(Context(kEditor).get(), create, &draft).ok());
  draft_view.set_name(draft.name());
  v1::RecordViewResponse resp;
  EXPECT_EQ(Stub().RecordView(Context(kReader).get(), draft_view, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace cchc::testing
