// cchc-loadgen-writes: the document service's writes. Drives create + publish pairs — CreateDocument of a
// draft with a ~1 KB body, then PublishDocument of it (its DocumentPublished event goes through the outbox) —
// `--concurrency` pairs in flight, and measures in the same run the bound they are judged against: the same
// two transactions bare over libpqxx (write_limit.h). Loopback only. Settings: --help.
#include <CLI/CLI.hpp>
#include <atomic>
#include <iostream>

#include "cchc/document/v1/document.grpc.pb.h"
#include "driver.h"
#include "platform/cloudevents.h"
#include "write_limit.h"

namespace {

using namespace cchc::loadgen;
namespace dv1 = cchc::document::v1;

void PrintRow(const Stats& s, const std::string& extra = "") {
  std::cout << Pad(s.name, 30, true) << Pad(Fixed(s.qps, 0), 9) << Pad(Fixed(s.p50_ms, 2), 9)
            << Pad(Fixed(s.p95_ms, 2), 9) << Pad(Fixed(s.p99_ms, 2), 9) << "  " << Pad(Errors(s), 7, true) << extra
            << "\n";
}

// A create + publish pair per call; codes "<n>/KH-W<run>" are unique to the run.
Stats ServicePairs(const std::vector<std::shared_ptr<grpc::Channel>>& channels, const std::string& token,
                   const LoadShape& shape) {
  std::vector<std::unique_ptr<dv1::DocumentService::Stub>> stubs;
  for (const auto& c : channels) stubs.push_back(dv1::DocumentService::NewStub(c));
  // The uuid's random end: a v7 uuid starts with the time, the same for runs a minute apart.
  const std::string run = cchc::events::NewUuid().substr(28);
  const std::string body = VietnameseText(1000, 7);
  std::atomic<int64_t> next{0};
  return RunBlocking("CreateDocument + Publish", shape, [&](int slot) -> const char* {
    auto& stub = *stubs[static_cast<size_t>(slot) % stubs.size()];
    const int64_t n = ++next;
    dv1::CreateDocumentRequest create;
    auto* d = create.mutable_document();
    d->set_code(std::to_string(n) + "/KH-W" + run);
    d->set_issue_date("2026-11-20");
    d->set_subject("Kế hoạch tuyên truyền cải cách hành chính " + std::to_string(n));
    d->set_body(body);
    d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
    d->add_fields("Cải cách hành chính");
    d->mutable_signer()->set_name("Trần Văn Chuyện");
    dv1::Document draft;
    if (const char* e = ErrorName(stub.CreateDocument(BearerContext(token).get(), create, &draft))) return e;
    dv1::PublishDocumentRequest publish;
    publish.set_name(draft.name());
    publish.set_etag(draft.etag());
    dv1::Document published;
    return ErrorName(stub.PublishDocument(BearerContext(token).get(), publish, &published));
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen-writes: create + publish pairs against the same run's bare write of them"};
  std::string address = "127.0.0.1:50191", token, database_url, schema = "document";
  double duration = 10, warmup = 1;
  int concurrency = 16, channels = 4;
  bool json = false;
  app.add_option("--address", address, "document service gRPC address (loopback)")->capture_default_str();
  app.add_option("--token", token, "bearer token of an editor or admin")->envname("CCHC_TOKEN")->required();
  app.add_option("--database-url", database_url, "the document role's PostgreSQL URL, for the bound")
      ->envname("CCHC_DATABASE_URL")
      ->required();
  app.add_option("--schema", schema, "the service's schema")->capture_default_str();
  app.add_option("--duration", duration, "seconds measured per phase")
      ->check(CLI::Range(0.5, 600.0))
      ->capture_default_str();
  app.add_option("--warmup", warmup, "seconds of warm-up before each phase")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--concurrency", concurrency, "pairs in flight (and the bound's connections)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--channels", channels, "gRPC channels (TCP connections)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_flag("--json", json, "print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);
  if (!IsLoopbackAddress(address) || database_url.find("@127.0.0.1:") == std::string::npos) {
    std::cerr << "--address and --database-url: loopback (127.0.0.1) only\n";
    return 2;
  }
  LoadShape shape;
  shape.duration = std::chrono::milliseconds(static_cast<int64_t>(duration * 1000));
  shape.warmup = std::chrono::milliseconds(static_cast<int64_t>(warmup * 1000));
  shape.concurrency = concurrency;
  try {
    auto chans = MakeChannels(address, channels);
    for (auto& c : chans)
      if (!c->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10)))
        throw std::runtime_error("the document service at " + address + " is unreachable");
    std::cerr << "loadgen-writes: the bound (bare SQL)\n";
    Stats bound = WriteLimit(database_url, schema, concurrency).Pairs(shape);
    std::cerr << "loadgen-writes: CreateDocument + PublishDocument\n";
    Stats pairs = ServicePairs(chans, token, shape);
    const double ratio = bound.qps > 0 ? pairs.qps / bound.qps : 0;
    if (json) {
      nlohmann::json out;
      out["config"] = {{"address", address},
                       {"duration_s", duration},
                       {"warmup_s", warmup},
                       {"concurrency", concurrency},
                       {"channels", channels}};
      out["limits"]["write"] = bound.ToJson();
      auto j = pairs.ToJson();
      j["limit_qps"] = bound.qps;
      j["ratio"] = ratio;
      out["rpcs"][pairs.name] = j;
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "cchc-loadgen-writes: " << concurrency << " pairs in flight over " << channels << " channels, "
                << Fixed(duration, 1) << " s per phase (+" << Fixed(warmup, 1) << " s warm-up)\n\n"
                << Pad("pairs", 30, true) << Pad("pairs/s", 9) << Pad("p50 ms", 9) << Pad("p95 ms", 9)
                << Pad("p99 ms", 9) << "  " << Pad("errors", 7, true) << Pad("ratio", 8) << "\n";
      PrintRow(bound);
      PrintRow(pairs, Pad(Fixed(ratio, 2), 8));
    }
    return pairs.ErrorCount() == 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "loadgen-writes: " << e.what() << "\n";
    return 1;
  }
}
