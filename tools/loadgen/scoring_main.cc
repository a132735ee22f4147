// cchc-loadgen-scoring: the scoring service benchmark. Reads the published demo results (cchcctl scoring
// import-demo) as a reader, for a fixed time each: GetRanking of one year and kind (the 63 provinces) and
// GetResult of a random unit of it. The same run's gRPC echo limit (echo_limit.cc), with the ranking's reply
// size, is measured with the same client, concurrency and channels. Loopback only. Settings: --help.
#include <CLI/CLI.hpp>
#include <iostream>
#include <random>

#include "cchc/scoring/v1/scoring.grpc.pb.h"
#include "driver.h"
#include "echo_limit.h"

namespace {

using namespace cchc::loadgen;
namespace sv1 = cchc::scoring::v1;

template <typename Response>
struct Slot {
  std::unique_ptr<grpc::ClientContext> ctx;
  Response response;
  std::mt19937_64 rng;
};

std::unique_ptr<grpc::ClientContext> Context(const std::string& bearer) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", bearer);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen-scoring: GetRanking and GetResult QPS against the same-run gRPC echo limit"};
  std::string address = "127.0.0.1:50063", token, kind_name = "PROVINCE";
  int year = 2015, concurrency = 16, channels = 4;
  double duration = 10, warmup = 1;
  bool json = false;
  app.add_option("--address", address, "scoring service gRPC address (loopback)")->capture_default_str();
  app.add_option("--token", token, "reader bearer token")->envname("CCHC_TOKEN")->required();
  app.add_option("--year", year, "the ranking's year")->capture_default_str();
  app.add_option("--kind", kind_name, "the ranking's unit kind")->capture_default_str();
  app.add_option("--duration", duration, "seconds measured per phase")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--warmup", warmup, "seconds of warm-up before each phase")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--concurrency", concurrency, "calls in flight")->check(CLI::Range(1, 1024))->capture_default_str();
  app.add_option("--channels", channels, "gRPC channels")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_flag("--json", json, "print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);
  if (address.rfind("127.0.0.1:", 0) != 0 && address.rfind("localhost:", 0) != 0 && address.rfind("[::1]:", 0) != 0) {
    std::cerr << "loadgen-scoring: --address must be a loopback address\n";
    return 2;
  }
  sv1::UnitKind kind;
  if (!sv1::UnitKind_Parse(kind_name, &kind)) {
    std::cerr << "loadgen-scoring: --kind is PROVINCE, DEPARTMENT, DISTRICT or SUBORDINATE_UNIT\n";
    return 2;
  }
  std::string bearer = "Bearer " + token;
  auto chans = MakeChannels(address, channels);
  std::vector<std::unique_ptr<sv1::ScoringService::Stub>> stubs;
  for (auto& c : chans) stubs.push_back(sv1::ScoringService::NewStub(c));

  // The ranking once: it must be there (import-demo), and its size shapes the echo limit.
  sv1::GetRankingRequest rreq;
  rreq.set_year(year);
  rreq.set_unit_kind(kind);
  sv1::Ranking ranking;
  auto first = stubs[0]->GetRanking(Context(bearer).get(), rreq, &ranking);
  if (!first.ok() || ranking.results().empty()) {
    std::cerr << "loadgen-scoring: no ranking for " << year << " " << kind_name << " (" << first.error_message()
              << "); run cchcctl scoring import-demo first\n";
    return 1;
  }
  std::vector<std::string> units;
  for (const auto& r : ranking.results()) units.push_back(r.unit_code());

  LoadShape shape;
  shape.duration = std::chrono::milliseconds(static_cast<int64_t>(duration * 1000));
  shape.warmup = std::chrono::milliseconds(static_cast<int64_t>(warmup * 1000));
  shape.concurrency = concurrency;
  std::cerr << "loadgen-scoring: echo limit\n";
  EchoOptions eo;
  eo.channels = channels;
  eo.payload_bytes = static_cast<int>(ranking.ByteSizeLong());
  Stats echo = RunEchoLimit(shape, eo);

  auto stub_for = [&](int slot) { return stubs[static_cast<size_t>(slot % channels)]->async(); };
  std::cerr << "loadgen-scoring: GetRanking\n";
  std::vector<Slot<sv1::Ranking>> rs(static_cast<size_t>(concurrency));
  Stats get_ranking = RunAsync("GetRanking", shape, [&](int i, Done done) {
    auto& s = rs[static_cast<size_t>(i)];
    s.ctx = Context(bearer);
    s.response.Clear();
    stub_for(i)->GetRanking(s.ctx.get(), &rreq, &s.response,
                            [done = std::move(done)](grpc::Status st) { done(ErrorName(st)); });
  });
  std::cerr << "loadgen-scoring: GetResult\n";
  std::vector<Slot<sv1::UnitResultDetail>> us(static_cast<size_t>(concurrency));
  std::vector<sv1::GetResultRequest> ureq(us.size());
  for (size_t i = 0; i < us.size(); ++i) {
    us[i].rng.seed(301 + i);
    ureq[i].set_year(year);
    ureq[i].set_unit_kind(kind);
  }
  Stats get_result = RunAsync("GetResult", shape, [&](int i, Done done) {
    auto& s = us[static_cast<size_t>(i)];
    s.ctx = Context(bearer);
    s.response.Clear();
    ureq[static_cast<size_t>(i)].set_unit_code(units[s.rng() % units.size()]);
    stub_for(i)->GetResult(s.ctx.get(), &ureq[static_cast<size_t>(i)], &s.response,
                           [done = std::move(done)](grpc::Status st) { done(ErrorName(st)); });
  });

  nlohmann::json out;
  out["settings"] = {{"year", year},
                     {"kind", kind_name},
                     {"units", units.size()},
                     {"duration_s", duration},
                     {"concurrency", concurrency},
                     {"channels", channels},
                     {"echo_payload_bytes", eo.payload_bytes}};
  out["limits"]["echo"] = echo.ToJson();
  for (const Stats* s : {&get_ranking, &get_result}) {
    auto j = s->ToJson();
    j["ratio"] = echo.qps > 0 ? s->qps / echo.qps : 0;
    out["rpcs"][s->name] = j;
  }
  std::cout << (json ? out.dump() : out.dump(2)) << "\n";
  return get_ranking.ErrorCount() + get_result.ErrorCount() == 0 ? 0 : 3;
}
