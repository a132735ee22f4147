// cchc-loadgen: the document service benchmark. Loads a corpus through the gRPC API (unless it is there),
// drives GetDocument, the sidebar ListDocuments and SearchDocuments for a fixed time each, and measures in
// the same run what they are judged against: a bare gRPC echo (in process), the same SQL over libpqxx without
// gRPC, and the bound of an uncached read (issue 27): 1 / (1/echo + 1/plain SQL), the plain SQL being a prepared
// keyed SELECT of a ~1 KB row (GetDocument) or of a page of such rows as long as the sidebar's (ListDocuments)
// (plain_sql_limit.h). Loopback only. Settings: --help.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "corpus.h"
#include "echo_limit.h"
#include "plain_sql_limit.h"
#include "rpc_load.h"
#include "search_queries.h"
#include "sql_limit.h"

namespace {

using namespace cchc::loadgen;

// Realistic portal searches, with and without accents (one in NFD), prefixes being typed.
const std::vector<std::string> kQueries = {
    "cai cach hanh chinh",
    "cải cách hành chính",
    "kế hoạch tuyên truyền",
    "ke hoach tuyen truyen",
    "bao cao quy",
    "báo cáo kết quả thực hiện",
    "thu tuc hanh chinh",
    "thủ tục hành chính năm 2018",
    "dịch vụ công trực tuyến mức độ 4",
    "chi so cchc",
    "kiem tra cong tac",
    "tuyển dụng viên chức",
    "ky thi tuyen sinh lop 10",
    "phổ cập giáo dục mầm non",
    "tiep nhan va tra ket qua",
    "hội nghị tổng kết",
    "kie\xCC\x82"
    "\xCC\x89"
    "m soa\xCC\x81"
    "t thu\xCC\x89"
    " tu\xCC\xA3"
    "c",  // "kiểm soát thủ tục" in NFD
    "iso 9001",
};

// The host of "host:port" or of a postgresql:// URL.
std::string HostOf(const std::string& s) {
  std::string rest = s;
  if (auto scheme = rest.find("://"); scheme != std::string::npos) rest = rest.substr(scheme + 3);
  if (auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find_first_of(":/?"));
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

void PrintRow(const Stats& s, const std::string& extra = "") {
  std::cout << Pad(s.name, 26, true) << Pad(Fixed(s.qps, 0), 9) << Pad(Fixed(s.p50_ms, 2), 9)
            << Pad(Fixed(s.p95_ms, 2), 9) << Pad(Fixed(s.p99_ms, 2), 9) << "  " << Pad(Errors(s), 7, true) << extra
            << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen: benchmark of the document service against same-run gRPC and SQL limits"};
  std::string address = "127.0.0.1:50061", token, reader_token, database_url, schema = "document",
              echo_server = "callback";
  int64_t documents = 100000;
  double duration = 10, warmup = 1;
  int concurrency = 16, channels = 4, load_workers = 8, sql_connections = 4, list_page_size = 26, search_page_size = 20,
      search_queries = 1000;
  bool skip_load = false, json = false;
  std::string list_view = "basic";
  std::vector<std::string> phases = {"get", "list", "search"};
  app.add_option("--address", address, "document service gRPC address (loopback)")->capture_default_str();
  app.add_option("--token", token, "bearer token (editor or admin, for loading)")->envname("CCHC_TOKEN");
  app.add_option("--reader-token", reader_token,
                 "bearer token of a reader, for the read phases (default: --token; readers are served from the "
                 "service's read cache, editors and admins are not)")
      ->envname("CCHC_READER_TOKEN");
  app.add_option("--database-url", database_url,
                 "the document role's PostgreSQL URL, for the SQL limit (skipped when empty)")
      ->envname("CCHC_DATABASE_URL");
  app.add_option("--schema", schema, "the service's schema")->capture_default_str();
  app.add_option("--documents", documents, "corpus size")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}))
      ->capture_default_str();
  app.add_option("--duration", duration, "seconds measured per phase")
      ->check(CLI::Range(0.5, 600.0))
      ->capture_default_str();
  app.add_option("--warmup", warmup, "seconds of warm-up before each phase")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--concurrency", concurrency, "calls in flight")->check(CLI::Range(1, 1024))->capture_default_str();
  app.add_option("--channels", channels, "gRPC channels (TCP connections)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--load-workers", load_workers, "concurrent workers creating the corpus")
      ->check(CLI::Range(1, 128))
      ->capture_default_str();
  app.add_option("--sql-connections", sql_connections, "connections of the SQL limit")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--echo-server", echo_server, "gRPC server API of the echo limit")
      ->check(CLI::IsMember({"callback", "sync"}))
      ->capture_default_str();
  app.add_option("--search-queries", search_queries,
                 "distinct queries generated from the corpus (search_queries.h), beside the realistic ones")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--phases", phases, "RPCs measured (get, list, search), e.g. one alone while profiling")
      ->check(CLI::IsMember({"get", "list", "search"}))
      ->capture_default_str();
  app.add_option("--list-view", list_view,
                 "the view ListDocuments asks for: basic (the portal's sidebar and list) or full (every field)")
      ->check(CLI::IsMember({"basic", "full"}))
      ->capture_default_str();
  app.add_flag("--skip-load", skip_load, "do not create the corpus (use the published documents already there)");
  app.add_flag("--json", json, "print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);

  if (!IsLoopback(HostOf(address))) {
    std::cerr << "--address: loopback (127.0.0.1) only\n";
    return 2;
  }
  if (!database_url.empty() && !IsLoopback(HostOf(database_url))) {
    std::cerr << "--database-url: loopback (127.0.0.1) only\n";
    return 2;
  }
  if (token.empty()) {
    std::cerr << "--token or CCHC_TOKEN is required\n";
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

    // 1. The corpus.
    Corpus corpus(chans, token);
    CorpusReport report;
    std::vector<std::string> names = corpus.ListPublished();
    report.existing = static_cast<int64_t>(names.size());
    if (skip_load || report.existing >= documents) {
      report.skipped = true;
      std::cerr << "loadgen: corpus there (" << names.size() << " published documents), not loading\n";
    } else {
      std::cerr << "loadgen: " << names.size() << " published documents; loading " << documents << "\n";
      names = corpus.Load(documents, load_workers, &report);
      std::cerr << "loadgen: loaded " << report.created << " in " << Fixed(report.seconds, 1) << " s\n";
    }
    if (names.empty()) throw std::runtime_error("no published documents to read");

    // 2. + 3. Each RPC, then its SQL; the echo limit first.
    std::cerr << "loadgen: echo limit\n";
    EchoOptions echo_options;
    echo_options.server_kind = echo_server;
    echo_options.channels = channels;
    Stats echo = RunEchoLimit(shape, echo_options);
    // The same echo on the sync server API the services use: not a limit the reads are judged against, the
    // share of the gap that is the server API's own.
    EchoOptions sync_options = echo_options;
    sync_options.server_kind = echo_server == "sync" ? "callback" : "sync";
    Stats echo_other = RunEchoLimit(shape, sync_options);

    std::optional<SqlLimit> sql;
    std::optional<Stats> plain_keyed, plain_page;
    if (!database_url.empty()) {
      sql.emplace(database_url, schema, sql_connections);
      std::cerr << "loadgen: plain SQL (the bound)\n";
      PlainSqlLimit plain(database_url, schema, sql_connections);
      plain_keyed = plain.Keyed(shape);
      plain_page = plain.Page(shape, list_page_size);
    }
    std::vector<std::string> ids;
    for (const auto& n : names) ids.push_back(n.substr(n.find('/') + 1));

    DocumentLoad load(chans, reader_token.empty() ? token : reader_token);
    struct Pair {
      Stats rpc;
      std::optional<Stats> sql;
      const std::optional<Stats>* plain = nullptr;  // the plain SQL of its bound (none for search)
      double target = 0;                            // the bound's share it should reach
    };
    std::vector<Pair> pairs;
    auto measured = [&](const char* phase) { return std::find(phases.begin(), phases.end(), phase) != phases.end(); };
    if (measured("get")) {
      std::cerr << "loadgen: GetDocument\n";
      pairs.push_back({load.Get(shape, names), {}, &plain_keyed, 0.6});
      if (sql) pairs.back().sql = sql->Get(shape, ids);
    }
    if (measured("list")) {
      std::cerr << "loadgen: ListDocuments\n";
      pairs.push_back({load.List(shape, kCchcField, list_page_size, list_view == "basic"), {}, &plain_page, 0.5});
      if (sql) pairs.back().sql = sql->List(shape, kCchcField, list_page_size, list_view == "basic");
    }
    if (measured("search")) {
      std::cerr << "loadgen: SearchDocuments\n";
      std::vector<std::string> queries = kQueries;
      for (auto& q : SearchQueryTexts(documents, static_cast<size_t>(search_queries))) queries.push_back(std::move(q));
      pairs.push_back({load.Search(shape, queries, search_page_size), {}});
      if (sql) pairs.back().sql = sql->Search(shape, queries, search_page_size);
    }

    auto limit_of = [&](const Pair& p) { return p.sql ? std::min(echo.qps, p.sql->qps) : echo.qps; };
    // The bound (issue 27) of Get and List; 0 without --database-url or for search.
    auto bound_of = [&](const Pair& p) { return p.plain && *p.plain ? SerialBound(echo.qps, (*p.plain)->qps) : 0.0; };

    if (json) {
      nlohmann::json out;
      out["config"] = {{"address", address},
                       {"documents", documents},
                       {"duration_s", duration},
                       {"warmup_s", warmup},
                       {"concurrency", concurrency},
                       {"channels", channels},
                       {"sql_connections", sql_connections},
                       {"echo_server", echo_server},
                       {"list_page_size", list_page_size},
                       {"list_view", list_view},
                       {"search_page_size", search_page_size},
                       {"search_queries", search_queries}};
      out["corpus"] = {{"published_before", report.existing}, {"skipped", report.skipped},
                       {"created", report.created},           {"failed", report.failed},
                       {"seconds", report.seconds},           {"documents_read", names.size()}};
      out["limits"]["echo"] = echo.ToJson();
      out["limits"]["echo_other_server"] = echo_other.ToJson();
      for (const auto* plain : {&plain_keyed, &plain_page})
        if (*plain) out["limits"]["sql"][(*plain)->name] = (*plain)->ToJson();
      for (const auto& p : pairs) {
        auto j = p.rpc.ToJson();
        if (p.sql) {
          out["limits"]["sql"][p.sql->name] = p.sql->ToJson();
          j["sql_limit_qps"] = p.sql->qps;
        }
        j["echo_limit_qps"] = echo.qps;
        j["limit_qps"] = limit_of(p);
        j["ratio"] = limit_of(p) > 0 ? p.rpc.qps / limit_of(p) : 0;
        if (double bound = bound_of(p); bound > 0) {
          j["bound_qps"] = bound;
          j["bound_ratio"] = p.rpc.qps / bound;
          j["bound_target"] = p.target;
        }
        out["rpcs"][p.rpc.name] = j;
      }
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << "cchc-loadgen: " << names.size() << " documents, " << concurrency << " in flight over " << channels
                << " channels, " << Fixed(duration, 1) << " s per phase (+" << Fixed(warmup, 1) << " s warm-up)\n";
      if (!report.skipped)
        std::cout << "corpus: created " << report.created << " (" << report.failed << " failed) in "
                  << Fixed(report.seconds, 1) << " s, " << Fixed(report.created / std::max(report.seconds, 1e-9), 0)
                  << " documents/s\n";
      std::cout << "\n"
                << Pad("limit", 26, true) << Pad("QPS", 9) << Pad("p50 ms", 9) << Pad("p95 ms", 9) << Pad("p99 ms", 9)
                << "  errors\n";
      PrintRow(echo);
      PrintRow(echo_other);
      for (const auto* plain : {&plain_keyed, &plain_page})
        if (*plain) PrintRow(**plain);
      for (const auto& p : pairs)
        if (p.sql) PrintRow(*p.sql);
      std::cout << "\n"
                << Pad("RPC", 26, true) << Pad("QPS", 9) << Pad("p50 ms", 9) << Pad("p95 ms", 9) << Pad("p99 ms", 9)
                << "  " << Pad("errors", 7, true) << Pad("limit QPS", 11) << Pad("ratio", 8) << Pad("bound QPS", 11)
                << Pad("ratio", 8) << Pad("target", 8) << "\n";
      for (const auto& p : pairs) {
        double limit = limit_of(p), bound = bound_of(p);
        std::string extra = Pad(Fixed(limit, 0), 11) + Pad(Fixed(p.rpc.qps / limit, 2), 8);
        if (bound > 0)
          extra += Pad(Fixed(bound, 0), 11) + Pad(Fixed(p.rpc.qps / bound, 2), 8) + Pad(Fixed(p.target, 2), 8);
        PrintRow(p.rpc, extra);
      }
      std::cout << "\nlimit = min(echo, the RPC's SQL)" << (sql ? "" : " — no --database-url: echo only")
                << "; bound = 1 / (1/echo + 1/plain SQL): the keyed 1 KB SELECT for Get, the page for List\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "loadgen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
