// cchc-loadgen-news: the news service benchmark. Creates a corpus of published articles through the gRPC API
// (as admin; fixed request_ids and slugs so a rerun replays), then drives as a reader, for a fixed time each:
// GetArticleBySlug of a random slug, the category ListArticles, and a RecordView burst on ONE article; after
// the burst it reads the article's view_count and checks it grew by exactly the views acknowledged. The same
// run's gRPC echo limit (echo_limit.cc) is measured with the same client, concurrency and channels, and with
// --database-url the bound of an uncached read (issue 27): 1 / (1/echo + 1/plain SQL), the plain SQL being a
// prepared keyed SELECT of a ~1 KB row (GetArticleBySlug) or a page of as many such rows as ListArticles asks
// (plain_sql_limit.h). Loopback only. Settings: --help.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>

#include "cchc/news/v1/news.grpc.pb.h"
#include "driver.h"
#include "echo_limit.h"
#include "plain_sql_limit.h"

namespace {

using namespace cchc::loadgen;
namespace nv1 = cchc::news::v1;

const char* kCategory = "Cải cách hành chính";

void PrintRow(const Stats& s, const std::string& extra = "") {
  std::cout << Pad(s.name, 26, true) << Pad(Fixed(s.qps, 0), 9) << Pad(Fixed(s.p50_ms, 2), 9)
            << Pad(Fixed(s.p95_ms, 2), 9) << Pad(Fixed(s.p99_ms, 2), 9) << "  " << Pad(Errors(s), 7, true) << extra
            << "\n";
}

// Non-empty lines of the seed page of 20..200 bytes: the phrases titles are built from.
std::vector<std::string> SeedPhrases(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the seed page " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    size_t b = line.find_first_not_of(' ');
    if (b == std::string::npos) continue;
    line = line.substr(b);
    if (line.size() >= 20 && line.size() <= 200 && line.find('"') == std::string::npos) out.push_back(line);
  }
  if (out.empty()) throw std::runtime_error("no usable phrases in " + path);
  return out;
}

std::string Slug(int64_t n) {
  return "tin-cchc-" + std::to_string(n);
}

template <typename Response>
struct Slot {
  std::unique_ptr<grpc::ClientContext> ctx;
  Response response;
  std::mt19937_64 rng;
};

std::unique_ptr<grpc::ClientContext> Context(const std::string& bearer) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", bearer);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return ctx;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen-news: benchmark of the news service against the same-run gRPC echo limit"};
  std::string address = "127.0.0.1:50062", token, reader_token, seed = "/work/shared/seed/000_468b2f1c915c1baf.txt",
              database_url, schema = "news";
  int sql_connections = 4;
  int64_t articles = 1000;
  double duration = 10, warmup = 1, burst_duration = 10, settle = 3;
  int concurrency = 16, channels = 4, burst_concurrency = 64, burst_channels = 8, load_workers = 8, list_page_size = 10;
  bool skip_load = false, json = false;
  app.add_option("--address", address, "news service gRPC address (loopback)")->capture_default_str();
  app.add_option("--token", token, "admin bearer token (loading)")->envname("CCHC_TOKEN")->required();
  app.add_option("--reader-token", reader_token, "reader bearer token (the measured phases)")
      ->envname("CCHC_READER_TOKEN")
      ->required();
  app.add_option("--database-url", database_url,
                 "the news role's PostgreSQL URL, for the bound's plain SQL (skipped when empty)")
      ->envname("CCHC_DATABASE_URL");
  app.add_option("--schema", schema, "the service's schema")->capture_default_str();
  app.add_option("--sql-connections", sql_connections, "connections of the plain SQL")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--seed-page", seed, "text the titles are built from")->capture_default_str();
  app.add_option("--articles", articles, "corpus size")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}))
      ->capture_default_str();
  app.add_option("--duration", duration, "seconds measured per read phase")
      ->check(CLI::Range(0.5, 600.0))
      ->capture_default_str();
  app.add_option("--warmup", warmup, "seconds of warm-up before each read phase")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--concurrency", concurrency, "calls in flight (reads)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--channels", channels, "gRPC channels (reads)")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--burst-duration", burst_duration, "seconds of the RecordView burst")
      ->check(CLI::Range(0.5, 600.0))
      ->capture_default_str();
  app.add_option("--burst-concurrency", burst_concurrency, "RecordView calls in flight")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--burst-channels", burst_channels, "gRPC channels of the burst")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--settle", settle, "seconds at most to wait for the counter after the burst")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--load-workers", load_workers, "concurrent workers creating the corpus")
      ->check(CLI::Range(1, 128))
      ->capture_default_str();
  app.add_flag("--skip-load", skip_load, "do not create the corpus (slugs tin-cchc-1..N are there)");
  app.add_flag("--json", json, "print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);
  if (!IsLoopbackAddress(address)) {
    std::cerr << "--address: loopback (127.0.0.1) only\n";
    return 2;
  }
  if (!database_url.empty() && database_url.find("@127.0.0.1:") == std::string::npos &&
      database_url.find("@localhost:") == std::string::npos) {
    std::cerr << "--database-url: loopback (127.0.0.1) only\n";
    return 2;
  }
  const std::string admin = "Bearer " + token, reader = "Bearer " + reader_token;
  try {
    auto chans = MakeChannels(address, std::max(channels, burst_channels));
    for (auto& c : chans)
      if (!c->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10)))
        throw std::runtime_error("the news service at " + address + " is unreachable");
    std::vector<std::unique_ptr<nv1::NewsService::Stub>> stubs;
    for (auto& c : chans) stubs.push_back(nv1::NewsService::NewStub(c));

    // 1. The corpus: create (fixed request_id: a rerun replays) and publish.
    int64_t created = 0, failed = 0;
    double load_seconds = 0;
    if (!skip_load) {
      auto phrases = SeedPhrases(seed);
      std::atomic<int64_t> next{1}, ok{0}, bad{0};
      std::mutex err_mu;
      std::string first_error;
      auto t0 = std::chrono::steady_clock::now();
      std::vector<std::thread> workers;
      for (int w = 0; w < load_workers; ++w)
        workers.emplace_back([&, w] {
          auto& stub = *stubs[static_cast<size_t>(w) % stubs.size()];
          for (int64_t n = next++; n <= articles; n = next++) {
            nv1::CreateArticleRequest req;
            auto* a = req.mutable_article();
            const auto& p1 = phrases[static_cast<size_t>(n) % phrases.size()];
            const auto& p2 = phrases[static_cast<size_t>(n * 7 + 3) % phrases.size()];
            std::string title = p1 + " (bài " + std::to_string(n) + ")";
            if (title.size() > 240) title = p1.substr(0, 120) + " (bài " + std::to_string(n) + ")";
            a->set_title(title);
            a->set_slug(Slug(n));
            a->set_lead(p2);
            a->set_body(p1 + "\n\n" + p2);
            a->set_author("Văn phòng Sở");
            a->set_category(kCategory);
            req.set_request_id("loadgen-news-" + std::to_string(n));
            nv1::Article art;
            auto ctx = Context(admin);
            auto st = stub.CreateArticle(ctx.get(), req, &art);
            if (st.ok() && art.status() != nv1::PUBLISHED) {
              nv1::PublishArticleRequest pub;
              pub.set_name(art.name());
              nv1::Article out;
              auto ctx2 = Context(admin);
              st = stub.PublishArticle(ctx2.get(), pub, &out);
            }
            if (st.ok()) {
              ++ok;
            } else {
              ++bad;
              std::lock_guard l(err_mu);
              if (first_error.empty()) first_error = st.error_message();
            }
          }
        });
      for (auto& t : workers) t.join();
      load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      created = ok;
      failed = bad;
      std::cerr << "loadgen-news: " << created << " articles created and published (" << failed << " failed"
                << (first_error.empty() ? "" : ": " + first_error) << ") in " << Fixed(load_seconds, 1) << " s\n";
    }

    LoadShape shape;
    shape.duration = std::chrono::milliseconds(static_cast<int64_t>(duration * 1000));
    shape.warmup = std::chrono::milliseconds(static_cast<int64_t>(warmup * 1000));
    shape.concurrency = concurrency;

    // 2. The echo limit, same client shape; and at the burst's shape.
    std::cerr << "loadgen-news: echo limit\n";
    EchoOptions eo;
    eo.channels = channels;
    Stats echo = RunEchoLimit(shape, eo);
    // The same echo on the sync server API the services use: the share of the gap that is the API's own.
    EchoOptions sync_eo = eo;
    sync_eo.server_kind = "sync";
    Stats echo_sync = RunEchoLimit(shape, sync_eo);
    LoadShape burst;
    burst.duration = std::chrono::milliseconds(static_cast<int64_t>(burst_duration * 1000));
    burst.warmup = std::chrono::milliseconds(0);
    burst.concurrency = burst_concurrency;
    EchoOptions ebo;
    ebo.channels = burst_channels;
    Stats echo_burst = RunEchoLimit(burst, ebo);
    echo_burst.name = "gRPC echo (burst shape)";

    // The bound's plain SQL, same shape as the reads.
    std::optional<Stats> plain_keyed, plain_page;
    if (!database_url.empty()) {
      std::cerr << "loadgen-news: plain SQL (the bound)\n";
      PlainSqlLimit plain(database_url, schema, sql_connections);
      plain_keyed = plain.Keyed(shape);
      plain_page = plain.Page(shape, list_page_size);
    }
    auto bound = [&](const std::optional<Stats>& plain) { return plain ? SerialBound(echo.qps, plain->qps) : 0.0; };
    const double get_bound = bound(plain_keyed), list_bound = bound(plain_page);

    auto stub_for = [&](int slot, int nch) { return stubs[static_cast<size_t>(slot % nch)]->async(); };

    // 3. GetArticleBySlug of a random slug.
    std::cerr << "loadgen-news: GetArticleBySlug\n";
    std::vector<Slot<nv1::Article>> gs(static_cast<size_t>(concurrency));
    std::vector<nv1::GetArticleBySlugRequest> greq(gs.size());
    for (size_t i = 0; i < gs.size(); ++i) gs[i].rng.seed(201 + i);
    Stats get = RunAsync("GetArticleBySlug", shape, [&](int i, Done done) {
      auto& s = gs[static_cast<size_t>(i)];
      s.ctx = Context(reader);
      s.response.Clear();
      greq[static_cast<size_t>(i)].set_slug(Slug(1 + static_cast<int64_t>(s.rng() % static_cast<uint64_t>(articles))));
      stub_for(i, channels)
          ->GetArticleBySlug(s.ctx.get(), &greq[static_cast<size_t>(i)], &s.response,
                             [done = std::move(done)](grpc::Status st) { done(ErrorName(st)); });
    });

    // 4. ListArticles of the category, first page.
    std::cerr << "loadgen-news: ListArticles\n";
    std::vector<Slot<nv1::ListArticlesResponse>> ls(static_cast<size_t>(concurrency));
    nv1::ListArticlesRequest lreq;
    lreq.mutable_filter()->set_category(kCategory);
    lreq.set_page_size(list_page_size);
    Stats list = RunAsync("ListArticles", shape, [&](int i, Done done) {
      auto& s = ls[static_cast<size_t>(i)];
      s.ctx = Context(reader);
      s.response.Clear();
      stub_for(i, channels)->ListArticles(s.ctx.get(), &lreq, &s.response, [done = std::move(done)](grpc::Status st) {
        done(ErrorName(st));
      });
    });

    // 5. RecordView burst on one article; every acknowledged view is counted, warm-up or not (there is none).
    auto read_article = [&]() {
      nv1::GetArticleBySlugRequest r;
      r.set_slug(Slug(1));
      nv1::Article a;
      auto ctx = Context(reader);
      auto st = stubs[0]->GetArticleBySlug(ctx.get(), r, &a);
      if (!st.ok()) throw std::runtime_error("GetArticleBySlug " + Slug(1) + ": " + st.error_message());
      return a;
    };
    nv1::Article target = read_article();
    const int64_t before = target.view_count();
    std::cerr << "loadgen-news: RecordView burst on " << target.name() << " (view_count " << before << ")\n";
    std::atomic<int64_t> acknowledged{0};
    std::vector<Slot<nv1::RecordViewResponse>> vs(static_cast<size_t>(burst_concurrency));
    nv1::RecordViewRequest vreq;
    vreq.set_name(target.name());
    Stats views = RunAsync("RecordView (one article)", burst, [&](int i, Done done) {
      auto& s = vs[static_cast<size_t>(i)];
      s.ctx = Context(reader);
      stub_for(i, burst_channels)
          ->RecordView(s.ctx.get(), &vreq, &s.response, [&acknowledged, done = std::move(done)](grpc::Status st) {
            if (st.ok()) ++acknowledged;
            done(ErrorName(st));
          });
    });
    // Acknowledged means durable, so the count should be there at once; wait at most `settle` for it.
    int64_t counted = 0;
    double waited = 0;
    auto w0 = std::chrono::steady_clock::now();
    for (;;) {
      counted = read_article().view_count() - before;
      waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
      if (counted >= acknowledged.load() || waited >= settle) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const int64_t lost = acknowledged.load() - counted;

    if (json) {
      nlohmann::json out;
      out["config"] = {{"address", address},
                       {"articles", articles},
                       {"duration_s", duration},
                       {"warmup_s", warmup},
                       {"concurrency", concurrency},
                       {"channels", channels},
                       {"burst_duration_s", burst_duration},
                       {"burst_concurrency", burst_concurrency},
                       {"burst_channels", burst_channels},
                       {"list_page_size", list_page_size}};
      out["corpus"] = {{"skipped", skip_load}, {"created", created}, {"failed", failed}, {"seconds", load_seconds}};
      out["limits"]["echo"] = echo.ToJson();
      out["limits"]["echo_burst"] = echo_burst.ToJson();
      out["limits"]["echo_other_server"] = echo_sync.ToJson();
      for (const auto* plain : {&plain_keyed, &plain_page})
        if (*plain) out["limits"]["sql"][(*plain)->name] = (*plain)->ToJson();
      for (auto [s, b, target] : {std::tuple{&get, get_bound, 0.6}, std::tuple{&list, list_bound, 0.5}}) {
        auto j = s->ToJson();
        j["limit_qps"] = echo.qps;
        j["ratio"] = echo.qps > 0 ? s->qps / echo.qps : 0;
        if (b > 0) {
          j["bound_qps"] = b;
          j["bound_ratio"] = s->qps / b;
          j["bound_target"] = target;
        }
        out["rpcs"][s->name] = j;
      }
      auto j = views.ToJson();
      j["limit_qps"] = echo_burst.qps;
      j["ratio"] = echo_burst.qps > 0 ? views.qps / echo_burst.qps : 0;
      out["rpcs"][views.name] = j;
      out["views"] = {{"acknowledged", acknowledged.load()},
                      {"counted", counted},
                      {"lost", lost},
                      {"accepted_per_s", views.qps},
                      {"waited_s", waited}};
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "cchc-loadgen-news: " << articles << " articles; reads " << concurrency << " in flight over "
                << channels << " channels, " << Fixed(duration, 1) << " s (+" << Fixed(warmup, 1)
                << " s warm-up); RecordView " << burst_concurrency << " in flight over " << burst_channels
                << " channels, " << Fixed(burst_duration, 1) << " s\n\n"
                << Pad("", 26, true) << Pad("QPS", 9) << Pad("p50 ms", 9) << Pad("p95 ms", 9) << Pad("p99 ms", 9)
                << "  " << Pad("errors", 7, true) << Pad("echo QPS", 11) << Pad("ratio", 8) << Pad("bound QPS", 11)
                << Pad("ratio", 8) << Pad("target", 8) << "\n";
      PrintRow(echo);
      PrintRow(echo_sync);
      PrintRow(echo_burst);
      for (const auto* plain : {&plain_keyed, &plain_page})
        if (*plain) PrintRow(**plain);
      auto with_bound = [&](const Stats& s, double b, double target) {
        std::string extra = Pad(Fixed(echo.qps, 0), 11) + Pad(Fixed(s.qps / echo.qps, 2), 8);
        if (b > 0) extra += Pad(Fixed(b, 0), 11) + Pad(Fixed(s.qps / b, 2), 8) + Pad(Fixed(target, 2), 8);
        PrintRow(s, extra);
      };
      with_bound(get, get_bound, 0.6);
      with_bound(list, list_bound, 0.5);
      PrintRow(views, Pad(Fixed(echo_burst.qps, 0), 11) + Pad(Fixed(views.qps / echo_burst.qps, 2), 8));
      std::cout << "\nviews: acknowledged " << acknowledged.load() << ", counted " << counted << " (after "
                << Fixed(waited, 2) << " s), lost " << lost << "; accepted " << Fixed(views.qps, 0) << " views/s\n";
    }
    return lost == 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "loadgen-news: " << e.what() << "\n";
    return 1;
  }
}
