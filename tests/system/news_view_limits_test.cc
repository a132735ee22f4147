// RecordView's bounds against the real news service and PostgreSQL: while a commit is held up, views past the
// queue's bound are refused at once with RESOURCE_EXHAUSTED naming the flag, every view acknowledged is
// counted once the commit goes through (none lost, none twice), and no commit takes more than the batch cap.
#include <signal.h>

#include <cmath>
#include <future>
#include <sstream>

#include "news_fixture.h"

namespace cchc::testing {
namespace {

namespace v1 = news::v1;
using std::chrono::seconds;

// The sample of `name` (a whole metric name with its labels) on the /metrics page; -1 when absent.
double MetricSample(int port, const std::string& name) {
  std::istringstream in(HttpGet(port, "/metrics"));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  return -1;
}

TEST_F(NewsServiceTest, RecordViewPastItsQueueBoundIsRefusedAndEveryAcknowledgedViewIsCounted) {
  StopNews(0, SIGTERM);
  StartNews(0, {"--view-queue-max", "256", "--view-batch-max", "64"});
  v1::Article article = CreatePublished(NewArticle());

  // The shard table locked for 3 s: the first commit waits, the views behind it fill the queue.
  auto locker = std::async(std::launch::async, [] {
    return Sql("BEGIN; LOCK TABLE news.article_view_shards IN EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;");
  });
  ASSERT_TRUE(WaitFor(
      [&] {
        if (locker.wait_for(seconds(0)) == std::future_status::ready) return true;  // failed: get() says why
        return Sql("SELECT count(*) FROM pg_locks WHERE granted AND mode = 'ExclusiveLock' AND relation = "
                   "'news.article_view_shards'::regclass") != "0";
      },
      seconds(10)));
  ASSERT_NE(locker.wait_for(seconds(0)), std::future_status::ready) << "the lock ended early: " << locker.get();

  // 600 views at once over 4 connections (each takes 256 streams at a time: --grpc-max-concurrent-streams).
  constexpr int kChannels = 4, kPerChannel = 150, kViews = kChannels * kPerChannel;
  struct Call {
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::RecordViewRequest req;
    v1::RecordViewResponse resp;
    std::promise<grpc::Status> done;
  };
  std::vector<std::unique_ptr<v1::NewsService::Stub>> stubs;
  for (int c = 0; c < kChannels; ++c) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection per channel
    stubs.push_back(v1::NewsService::NewStub(
        grpc::CreateCustomChannel(news_address_[0], grpc::InsecureChannelCredentials(), args)));
  }
  std::vector<Call> calls(kViews);
  for (int i = 0; i < kViews; ++i) {
    Call& call = calls[static_cast<size_t>(i)];
    call.ctx = Context(kReader);
    call.req.set_name(article.name());
    stubs[static_cast<size_t>(i % kChannels)]->async()->RecordView(
        call.ctx.get(), &call.req, &call.resp, [&call](grpc::Status s) { call.done.set_value(std::move(s)); });
  }
  int ok = 0, exhausted = 0;
  for (auto& call : calls) {
    auto status = call.done.get_future().get();
    if (status.ok()) {
      ++ok;
    } else if (status.error_code() == grpc::RESOURCE_EXHAUSTED) {
      ++exhausted;
      EXPECT_EQ(status.error_message(),
                "the view was not counted: 256 views wait for their commit (--view-queue-max); try again");
    } else {
      ADD_FAILURE() << status.error_code() << " " << status.error_message();
    }
  }
  locker.get();
  std::cout << kViews << " views during a 3 s lock, queue bound 256: " << ok << " counted, " << exhausted
            << " RESOURCE_EXHAUSTED\n";
  EXPECT_EQ(ok + exhausted, kViews);
  constexpr int flushers = 2;  // ViewLimits::flushers (services/news/views.h): each holds one batch out of the queue
  EXPECT_GE(exhausted, kViews - 256 - flushers * 64)
      << "more views were queued than the bound and one batch per flusher allow";
  EXPECT_GE(ok, 256) << "the queue took fewer views than its bound";

  // Every acknowledged view is counted, and only those.
  v1::GetArticleRequest get;
  get.set_name(article.name());
  v1::Article out;
  ASSERT_TRUE(Stub().GetArticle(Context(kReader).get(), get, &out).ok());
  EXPECT_EQ(out.view_count(), ok);
  // No commit took more than the batch cap.
  double batches = MetricSample(news_metrics_[0], "cchc_news_view_batch_size_count");
  EXPECT_GE(batches, std::ceil(ok / 64.0));
  EXPECT_EQ(MetricSample(news_metrics_[0], "cchc_news_view_batch_size_bucket{le=\"64\"}"), batches);

  StopNews(0, SIGTERM);
  StartNews(0);
}

}  // namespace
}  // namespace cchc::testing
