// cchc-loadgen-mixed: the whole system under a mixed workload for a fixed time — reads of every service
// (the documents sidebar and search, the article and article search, the PAR INDEX ranking, an inbox),
// comment posts, a view burst, and documents published at a steady rate whose notifications are timed on a
// Watch stream (publish call started → notification received). Then, in the same run, the limits each figure
// is held against: a bare gRPC echo at the same total concurrency, bare SQL (SELECT 1 over libpqxx) and the
// broker's raw produce → consume latency at the publish rate. Prints per RPC QPS, p50/p99 and p50 as a multiple
// of the echo's; the event latency against the broker's. Needs the demo data (tools/dev up, or
// tools/loadgen/bench-system which starts a private stack). Loopback only. Settings: --help.
#include <CLI/CLI.hpp>
#include <atomic>
#include <future>
#include <iostream>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "broker_limit.h"
#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/news/v1/news.grpc.pb.h"
#include "cchc/notification/v1/notification.grpc.pb.h"
#include "cchc/scoring/v1/scoring.grpc.pb.h"
#include "driver.h"
#include "echo_limit.h"

namespace {

using namespace cchc::loadgen;
namespace dv1 = cchc::document::v1;
namespace nv1 = cchc::news::v1;
namespace sv1 = cchc::scoring::v1;
namespace tv1 = cchc::notification::v1;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string document = "127.0.0.1:50061", news = "127.0.0.1:50062", scoring = "127.0.0.1:50063",
              notification = "127.0.0.1:50064", brokers = "127.0.0.1:9092", database_url;
  std::string admin_token, reader_token, editor_token, inbox_unit = "SGDĐT-TCCB", inbox_token;
  std::string article_slug = "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016";
  int ranking_year = 2015;
  std::string ranking_kind = "PROVINCE";
  double duration = 10, warmup = 1, publish_rate = 20;
  bool json = false;
};

// One class of the mixed workload: a name, its concurrency and one blocking call.
struct Workload {
  std::string name;
  int concurrency;
  BlockingCall call;
};

// Documents published at a steady rate; each one's notification is awaited on the Watch stream.
class PublishToWatch {
 public:
  PublishToWatch(const Options& o, dv1::DocumentService::Stub& documents, tv1::NotificationService::Stub& inbox)
      : o_(o), documents_(documents), inbox_(inbox), run_(std::to_string(std::time(nullptr) % 100000)) {}

  // Creates the subscriber (inbox only, DocumentPublished of the CCHC field) and opens its Watch stream.
  void Prepare() {
    tv1::CreateSubscriberRequest req;
    subscriber_ = "LOADGEN-" + run_;
    req.mutable_subscriber()->set_id(subscriber_);
    req.mutable_subscriber()->set_display_name("Tải thử (loadgen)");
    req.mutable_subscriber()->set_kind(tv1::SYSTEM);
    req.mutable_subscriber()->set_unit(o_.inbox_unit);
    tv1::Subscriber sub;
    Must(inbox_.CreateSubscriber(BearerContext(o_.admin_token, 5).get(), req, &sub), "CreateSubscriber");
    tv1::CreateSubscriptionRequest sreq;
    sreq.set_parent(sub.name());
    sreq.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
    sreq.mutable_subscription()->mutable_filter()->add_fields("Cải cách hành chính");
    sreq.mutable_subscription()->add_channels()->set_channel(tv1::INBOX);
    tv1::Subscription subscription;
    Must(inbox_.CreateSubscription(BearerContext(o_.admin_token, 5).get(), sreq, &subscription), "CreateSubscription");
    watch_ctx_.AddMetadata("authorization", "Bearer " + o_.inbox_token);
    tv1::WatchNotificationsRequest watch;
    watch.set_parent(sub.name());
    stream_ = inbox_.WatchNotifications(&watch_ctx_, watch);
    reader_ = std::thread([this] {
      tv1::Notification n;
      while (stream_->Read(&n)) {
        auto now = Clock::now();
        std::lock_guard lock(mu_);
        received_[n.subject()] = now;
      }
    });
  }

  std::string SubscriberName() const { return "subscribers/" + subscriber_; }

  // Publishes at the configured rate until `end`; returns the publish calls' own figures.
  Stats Run(Clock::time_point measure_from, Clock::time_point end) {
    std::vector<uint32_t> latencies;
    std::map<std::string, int64_t> errors;
    auto begin = Clock::now();
    for (int i = 0;; ++i) {
      auto at = begin + std::chrono::microseconds(static_cast<int64_t>(i * 1e6 / o_.publish_rate));
      if (at >= end) break;
      std::this_thread::sleep_until(at);
      dv1::CreateDocumentRequest req;
      auto* d = req.mutable_document();
      d->set_code(std::to_string(100000 + i) + "/KH-LG" + run_);
      d->set_issue_date("2018-06-19");
      d->set_subject("Kế hoạch cải cách hành chính (tải thử " + std::to_string(i) + ")");
      d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
      d->add_fields("Cải cách hành chính");
      auto start = Clock::now();
      dv1::Document draft, published;
      auto st = documents_.CreateDocument(BearerContext(o_.editor_token, 5).get(), req, &draft);
      if (st.ok()) {
        dv1::PublishDocumentRequest pub;
        pub.set_name(draft.name());
        auto publish_start = Clock::now();
        st = documents_.PublishDocument(BearerContext(o_.editor_token, 5).get(), pub, &published);
        if (st.ok()) {
          std::lock_guard lock(mu_);
          published_[draft.name()] = publish_start;
        }
      }
      if (start < measure_from) continue;
      if (st.ok())
        latencies.push_back(
            static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count()));
      else
        ++errors[ErrorName(st)];
    }
    double seconds = std::chrono::duration<double>(end - measure_from).count();
    return Summarize("CreateDocument+PublishDocument", latencies, errors, seconds);
  }

  // Waits (up to 10 s) for every published document's notification, then closes the stream.
  Stats Finish() {
    auto deadline = Clock::now() + std::chrono::seconds(10);
    for (;;) {
      {
        std::lock_guard lock(mu_);
        size_t seen = 0;
        for (const auto& [name, t] : published_) seen += received_.count(name);
        if (seen == published_.size()) break;
      }
      if (Clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    watch_ctx_.TryCancel();
    reader_.join();
    std::vector<uint32_t> latencies;
    std::map<std::string, int64_t> errors;
    for (const auto& [name, t] : published_) {
      auto r = received_.find(name);
      if (r == received_.end())
        ++errors["no_notification"];
      else
        latencies.push_back(static_cast<uint32_t>(
            std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(r->second - t).count())));
    }
    return Summarize("publish → Watch (end to end)", latencies, errors, o_.duration);
  }

 private:
  const Options& o_;
  dv1::DocumentService::Stub& documents_;
  tv1::NotificationService::Stub& inbox_;
  std::string run_, subscriber_;
  grpc::ClientContext watch_ctx_;
  std::unique_ptr<grpc::ClientReader<tv1::Notification>> stream_;
  std::thread reader_;
  std::mutex mu_;
  std::map<std::string, Clock::time_point> published_, received_;
};

Stats BareSql(const std::string& url, const LoadShape& shape) {
  std::vector<std::unique_ptr<pqxx::connection>> connections;
  for (int i = 0; i < shape.concurrency; ++i) connections.push_back(std::make_unique<pqxx::connection>(url));
  return RunBlocking("bare SQL (SELECT 1)", shape, [&](int slot) -> const char* {
    try {
      pqxx::nontransaction tx(*connections[static_cast<size_t>(slot)]);
      tx.exec("SELECT 1");
      return nullptr;
    } catch (const std::exception&) {
      return "sql_error";
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen-mixed: the whole system under a mixed workload, against same-run limits"};
  Options o;
  app.add_option("--document-address", o.document)->capture_default_str();
  app.add_option("--news-address", o.news)->capture_default_str();
  app.add_option("--scoring-address", o.scoring)->capture_default_str();
  app.add_option("--notification-address", o.notification)->capture_default_str();
  app.add_option("--brokers", o.brokers, "Kafka bootstrap (for the broker limit)")->capture_default_str();
  app.add_option("--database-url", o.database_url, "A service's database URL (for the bare SQL limit)")->required();
  app.add_option("--admin-token", o.admin_token)->envname("CCHC_TOKEN")->required();
  app.add_option("--reader-token", o.reader_token)->required();
  app.add_option("--editor-token", o.editor_token, "Publishes documents")->required();
  app.add_option("--inbox-token", o.inbox_token, "A token of --inbox-unit (watches the inbox)")->required();
  app.add_option("--inbox-unit", o.inbox_unit)->capture_default_str();
  app.add_option("--article", o.article_slug, "Slug of the article read, viewed and commented")->capture_default_str();
  app.add_option("--ranking-year", o.ranking_year)->capture_default_str();
  app.add_option("--ranking-kind", o.ranking_kind)->capture_default_str();
  app.add_option("--duration", o.duration, "Seconds measured")->check(CLI::Range(1.0, 600.0))->capture_default_str();
  app.add_option("--warmup", o.warmup, "Seconds of warm-up")->check(CLI::Range(0.0, 60.0))->capture_default_str();
  app.add_option("--publish-rate", o.publish_rate, "Documents published per second")
      ->check(CLI::Range(1.0, 2000.0))
      ->capture_default_str();
  app.add_flag("--json", o.json, "Print JSON");
  CLI11_PARSE(app, argc, argv);
  for (const auto& a : {o.document, o.news, o.scoring, o.notification, o.brokers})
    if (!IsLoopbackAddress(a)) {
      std::cerr << "cchc-loadgen-mixed: " << a << ": loopback (127.0.0.1) only\n";
      return 2;
    }
  try {
    auto document_stub = dv1::DocumentService::NewStub(MakeChannels(o.document, 1)[0]);
    auto news_stub = nv1::NewsService::NewStub(MakeChannels(o.news, 1)[0]);
    auto scoring_stub = sv1::ScoringService::NewStub(MakeChannels(o.scoring, 1)[0]);
    auto inbox_stub = tv1::NotificationService::NewStub(MakeChannels(o.notification, 1)[0]);
    sv1::UnitKind kind;
    if (!sv1::UnitKind_Parse(o.ranking_kind, &kind)) throw std::runtime_error("--ranking-kind: unknown kind");

    nv1::GetArticleBySlugRequest article_req;
    article_req.set_slug(o.article_slug);
    nv1::Article article;
    Must(news_stub->GetArticleBySlug(BearerContext(o.reader_token, 5).get(), article_req, &article),
         "the demo article");
    PublishToWatch events(o, *document_stub, *inbox_stub);
    events.Prepare();

    std::atomic<int64_t> comment_seq{0};
    std::vector<Workload> workloads = {
        {"document ListDocuments (sidebar)", 4,
         [&](int) {
           dv1::ListDocumentsRequest r;
           r.mutable_filter()->set_field("Cải cách hành chính");
           r.set_page_size(26);
           dv1::ListDocumentsResponse out;
           return ErrorName(document_stub->ListDocuments(BearerContext(o.reader_token, 5).get(), r, &out));
         }},
        {"document SearchDocuments", 2,
         [&](int) {
           dv1::SearchDocumentsRequest r;
           r.set_query("cai cach hanh chinh");
           r.set_page_size(10);
           dv1::SearchDocumentsResponse out;
           return ErrorName(document_stub->SearchDocuments(BearerContext(o.reader_token, 5).get(), r, &out));
         }},
        {"news GetArticleBySlug", 4,
         [&](int) {
           nv1::Article out;
           return ErrorName(news_stub->GetArticleBySlug(BearerContext(o.reader_token, 5).get(), article_req, &out));
         }},
        {"news SearchArticles", 2,
         [&](int) {
           nv1::SearchArticlesRequest r;
           r.set_query("hoi nghi cai cach");
           nv1::SearchArticlesResponse out;
           return ErrorName(news_stub->SearchArticles(BearerContext(o.reader_token, 5).get(), r, &out));
         }},
        {"news RecordView (burst)", 8,
         [&](int) {
           nv1::RecordViewRequest r;
           r.set_name(article.name());
           nv1::RecordViewResponse out;
           return ErrorName(news_stub->RecordView(BearerContext(o.reader_token, 5).get(), r, &out));
         }},
        {"news SubmitComment", 1,
         [&](int) {
           nv1::SubmitCommentRequest r;
           r.set_parent(article.name());
           int64_t n = comment_seq++;
           r.mutable_comment()->set_author_name("Bạn đọc " + std::to_string(n));
           r.mutable_comment()->set_email("ban.doc." + std::to_string(n) + "@example.vn");
           r.mutable_comment()->set_content("Ý kiến về cải cách hành chính số " + std::to_string(n));
           nv1::Comment out;
           return ErrorName(news_stub->SubmitComment(BearerContext(o.reader_token, 5).get(), r, &out));
         }},
        {"scoring GetRanking", 2,
         [&](int) {
           sv1::GetRankingRequest r;
           r.set_year(o.ranking_year);
           r.set_unit_kind(kind);
           sv1::Ranking out;
           return ErrorName(scoring_stub->GetRanking(BearerContext(o.reader_token, 5).get(), r, &out));
         }},
        {"notification ListNotifications", 2,
         [&](int) {
           tv1::ListNotificationsRequest r;
           r.set_parent(events.SubscriberName());
           r.set_page_size(20);
           tv1::ListNotificationsResponse out;
           return ErrorName(inbox_stub->ListNotifications(BearerContext(o.inbox_token, 5).get(), r, &out));
         }},
    };

    LoadShape shape;
    shape.warmup = std::chrono::milliseconds(static_cast<int64_t>(o.warmup * 1000));
    shape.duration = std::chrono::milliseconds(static_cast<int64_t>(o.duration * 1000));
    std::cerr << "cchc-loadgen-mixed: mixed workload, " << Fixed(o.duration, 0) << " s\n";
    auto measure_from = Clock::now() + shape.warmup;
    auto end = measure_from + shape.duration;
    std::vector<std::future<Stats>> running;
    int total_concurrency = 1;
    for (const auto& w : workloads) {
      LoadShape s = shape;
      s.concurrency = w.concurrency;
      total_concurrency += w.concurrency;
      running.push_back(std::async(std::launch::async, [&w, s] { return RunBlocking(w.name, s, w.call); }));
    }
    Stats publishes = events.Run(measure_from, end);
    std::vector<Stats> results;
    for (auto& f : running) results.push_back(f.get());
    results.push_back(publishes);
    Stats end_to_end = events.Finish();

    std::cerr << "cchc-loadgen-mixed: limits\n";
    LoadShape limit_shape = shape;
    limit_shape.concurrency = total_concurrency;
    EchoOptions echo_options;
    echo_options.server_kind = "sync";  // the services' gRPC API
    echo_options.channels = 1;
    Stats echo = RunEchoLimit(limit_shape, echo_options);
    echo.name = "gRPC echo (same concurrency)";
    LoadShape sql_shape = shape;
    sql_shape.concurrency = 8;
    Stats sql = BareSql(o.database_url, sql_shape);
    BrokerLimitOptions bo;
    bo.brokers = o.brokers;
    bo.run_id = "mixed-" + std::to_string(std::time(nullptr));
    bo.rate = o.publish_rate;
    bo.duration = o.duration;
    Stats broker = RunBrokerLimit(bo);

    int64_t errors = 0;
    for (const auto& r : results) errors += r.ErrorCount();
    errors += end_to_end.ErrorCount();
    if (o.json) {
      nlohmann::json out;
      out["config"] = {{"duration_s", o.duration}, {"warmup_s", o.warmup}, {"publish_rate", o.publish_rate}};
      out["limits"] = {{"echo", echo.ToJson()}, {"sql", sql.ToJson()}, {"broker", broker.ToJson()}};
      for (const auto& r : results) {
        auto j = r.ToJson();
        j["p50_vs_echo"] = echo.p50_ms > 0 ? r.p50_ms / echo.p50_ms : 0;
        out["rpcs"][r.name] = j;
      }
      auto e = end_to_end.ToJson();
      e["p99_vs_broker"] = broker.p99_ms > 0 ? end_to_end.p99_ms / broker.p99_ms : 0;
      out["end_to_end"] = e;
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << Pad("", 36, true) << Pad("QPS", 9) << Pad("p50 ms", 9) << Pad("p99 ms", 9) << Pad("errors", 8)
                << Pad("p50/limit", 11) << "\n";
      auto row = [](const Stats& s, const Stats* limit) {
        std::cout << Pad(s.name, 36, true) << Pad(Fixed(s.qps, 0), 9) << Pad(Fixed(s.p50_ms, 2), 9)
                  << Pad(Fixed(s.p99_ms, 2), 9) << Pad(std::to_string(s.ErrorCount()), 8)
                  << (limit && limit->p50_ms > 0 ? Pad(Fixed(s.p50_ms / limit->p50_ms, 1) + "×", 12) : "") << "\n";
      };
      for (const auto& r : results) row(r, &echo);
      row(end_to_end, &broker);
      std::cout << "limits (same run):\n";
      row(echo, nullptr);
      row(sql, nullptr);
      row(broker, nullptr);
      std::cout << "event latency p99 " << Fixed(end_to_end.p99_ms, 1) << " ms vs broker p99 "
                << Fixed(broker.p99_ms, 1) << " ms\n";
    }
    return errors == 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "cchc-loadgen-mixed: " << e.what() << "\n";
    return 1;
  }
}
