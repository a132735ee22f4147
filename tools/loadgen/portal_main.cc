// cchc-loadgen-portal: the portal's article page under load. Drives GET /cai-cach-hanh-chinh/<slug> (a page that
// counts a view: the article, its comments, the school year and the sidebar from the services, the layout
// rendered, then one RecordView) with `concurrency` requests in flight, each thread on its own kept-alive
// connection, for a fixed time; then reads the article's view_count and checks it grew by exactly the pages
// answered 200 (none lost). The same run's gRPC echo limit (echo_limit.cc) is measured with the same
// concurrency. Loopback only. Settings: --help.
#include <httplib.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cchc/news/v1/news.grpc.pb.h"
#include "driver.h"
#include "echo_limit.h"

namespace {

using namespace cchc::loadgen;
namespace nv1 = cchc::news::v1;

int64_t ViewCount(nv1::NewsService::Stub& news, const std::string& token, const std::string& slug) {
  nv1::GetArticleBySlugRequest req;
  req.set_slug(slug);
  nv1::Article article;
  Must(news.GetArticleBySlug(BearerContext(token).get(), req, &article), "GetArticleBySlug");
  return article.view_count();
}

void PrintRow(const Stats& s) {
  std::cout << Pad(s.name, 22, true) << Pad(Fixed(s.qps, 0), 9) << Pad(Fixed(s.p50_ms, 2), 9)
            << Pad(Fixed(s.p95_ms, 2), 9) << Pad(Fixed(s.p99_ms, 2), 9) << "  " << Errors(s) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("cchc-loadgen-portal: the article page at N requests in flight, beside the same run's gRPC echo");
  std::string portal = "127.0.0.1:8080", news_address = "127.0.0.1:50062", token, out_path;
  std::string slug = "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016";
  LoadShape shape;
  int64_t duration_ms = 10000, warmup_ms = 1000;
  app.add_option("--portal", portal, "host:port of the portal (loopback only)")->capture_default_str();
  app.add_option("--news-address", news_address, "The news service, to read the view count")->capture_default_str();
  app.add_option("--token", token, "A reader's token at the news service")->required();
  app.add_option("--slug", slug, "The article")->capture_default_str();
  app.add_option("--concurrency", shape.concurrency, "Requests in flight")->capture_default_str();
  app.add_option("--duration-ms", duration_ms, "Measured time per phase")->capture_default_str();
  app.add_option("--warmup-ms", warmup_ms, "Warm-up per phase (not measured)")->capture_default_str();
  app.add_option("--out", out_path, "Append the run's figures as one JSON line to this file");
  CLI11_PARSE(app, argc, argv);
  shape.duration = std::chrono::milliseconds(duration_ms);
  shape.warmup = std::chrono::milliseconds(warmup_ms);
  try {
    if (!IsLoopbackAddress(portal) || !IsLoopbackAddress(news_address))
      throw std::runtime_error("load is only generated on loopback");
    auto colon = portal.rfind(':');
    const std::string host = portal.substr(0, colon);
    const int port = std::stoi(portal.substr(colon + 1));
    auto news = nv1::NewsService::NewStub(MakeChannels(news_address, 1)[0]);
    const std::string path = "/cai-cach-hanh-chinh/" + slug;

    const int64_t views_before = ViewCount(*news, token, slug);
    std::vector<std::unique_ptr<httplib::Client>> clients;
    for (int i = 0; i < shape.concurrency; ++i) {
      clients.push_back(std::make_unique<httplib::Client>(host, port));
      clients.back()->set_keep_alive(true);
      clients.back()->set_read_timeout(std::chrono::seconds(30));
    }
    std::atomic<int64_t> answered{0};  // every 200, warm-up included: each recorded one view
    Stats page = RunBlocking("article page", shape, [&](int slot) -> const char* {
      auto res = clients[slot]->Get(path.c_str());
      if (!res) return "connection";
      if (res->status != 200) return "http_status";
      ++answered;
      return nullptr;
    });
    clients.clear();
    // The news service counts views in batches: wait for the last to land.
    int64_t views_after = views_before;
    for (int i = 0; i < 100; ++i) {
      views_after = ViewCount(*news, token, slug);
      if (views_after - views_before >= answered) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const int64_t lost = answered - (views_after - views_before);

    EchoOptions eo;
    eo.server_kind = "sync";  // the services' server API
    Stats echo = RunEchoLimit(shape, eo);

    std::cout << "concurrency " << shape.concurrency << ", " << duration_ms / 1000.0 << " s per phase\n"
              << Pad("", 22, true) << Pad("per s", 9) << Pad("p50 ms", 9) << Pad("p95 ms", 9) << Pad("p99 ms", 9)
              << "  errors\n";
    PrintRow(page);
    PrintRow(echo);
    std::cout << "pages answered 200: " << answered << ", views recorded: " << (views_after - views_before)
              << ", lost: " << lost << "\n"
              << "article page / echo: " << Fixed(echo.qps > 0 ? page.qps / echo.qps : 0, 4) << "\n";
    if (!out_path.empty()) {
      nlohmann::json j;
      j["concurrency"] = shape.concurrency;
      j["article_page"] = page.ToJson();
      j["echo"] = echo.ToJson();
      j["views"] = {{"answered", answered.load()}, {"recorded", views_after - views_before}, {"lost", lost}};
      std::ofstream(out_path, std::ios::app) << j.dump() << "\n";
    }
    return lost == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "cchc-loadgen-portal: " << e.what() << "\n";
    return 1;
  }
}
