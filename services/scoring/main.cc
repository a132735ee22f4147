// scoring-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>

#include "document_client.h"
#include "events.h"
#include "platform/log.h"
#include "platform/options.h"
#include "platform/proto_read_cache.h"
#include "platform/runtime.h"
#include "results_publishing.h"
#include "service.h"
#include "store/stores.h"

int main(int argc, char** argv) {
  cchc::BlockTerminationSignals();
  CLI::App app{"cchc scoring service (chỉ số CCHC, PAR INDEX)"};
  cchc::CommonOptions options;
  options.grpc_address = "127.0.0.1:50063";
  options.metrics_address = "127.0.0.1:9463";
  cchc::AddCommonOptions(app, options, "scoring");  // after the defaults, so --help shows them
  cchc::DocumentServiceOptions document_service;
  cchc::AddDocumentServiceOptions(app, document_service);
  size_t read_cache_bytes = cchc::kDefaultReadCacheBytes;
  app.add_option("--read-cache-bytes", read_cache_bytes,
                 "Most bytes published rankings and results take in memory (kept serialized; counted with key and "
                 "overhead; half each); the least recently used go first")
      ->envname("CCHC_READ_CACHE_BYTES")
      ->check(CLI::Range(size_t{0}, size_t{1} << 34))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    cchc::ValidateCommonOptions(options);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  cchc::log::Init("scoring", cchc::log::ParseLevel(options.log_level));
  try {
    cchc::ServiceRuntime runtime(options, cchc::scoring::Statements(),
                                 cchc::db::WithPlatformMigrations(cchc::scoring::Migrations()), cchc::scoring::kSource);
    cchc::scoring::Stores stores(runtime.pool, cchc::scoring::PlanPublication);
    cchc::DocumentClient documents(document_service);
    cchc::scoring::ScoringService service(stores, documents, runtime.tokens, &runtime.registry, read_cache_bytes);
    runtime.host.AddService(&service, "cchc.scoring.v1.ScoringService");
    return runtime.Run();
  } catch (const std::exception& e) {
    cchc::log::Error("cannot start", {{"error", e.what()}});
    return 1;
  }
}
