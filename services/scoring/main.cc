// scoring-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>

#include "document_client.h"
#include "events.h"
#include "platform/proto_read_cache.h"
#include "platform/runtime.h"
#include "platform/service_main.h"
#include "results_publishing.h"
#include "service.h"
#include "store/stores.h"

int main(int argc, char** argv) {
  cchc::CommonOptions options;
  cchc::ServiceMain main(
      {"scoring", "cchc scoring service (chỉ số CCHC, PAR INDEX)", "127.0.0.1:50063", "127.0.0.1:9463"}, options);
  CLI::App& app = main.App();
  cchc::DocumentServiceOptions document_service;
  cchc::AddDocumentServiceOptions(app, document_service);
  size_t read_cache_bytes = cchc::kDefaultReadCacheBytes;
  app.add_option("--read-cache-bytes", read_cache_bytes,
                 "Most bytes published rankings and results take in memory (kept serialized; counted with key and "
                 "overhead; half each); the least recently used go first")
      ->envname("CCHC_READ_CACHE_BYTES")
      ->check(CLI::Range(size_t{0}, size_t{1} << 34))
      ->capture_default_str();
  if (auto exit = main.Parse(argc, argv, [&] { cchc::ValidateDocumentServiceOptions(document_service); })) return *exit;
  return main.Run([&] {
    cchc::ServiceRuntime runtime(options, cchc::scoring::Statements(),
                                 cchc::db::WithPlatformMigrations(cchc::scoring::Migrations()), cchc::scoring::kSource);
    cchc::scoring::Stores stores(runtime.pool, cchc::scoring::PlanPublication);
    cchc::DocumentClient documents(document_service);
    cchc::scoring::ScoringService service(stores, documents, runtime.tokens, &runtime.registry, read_cache_bytes);
    runtime.host.AddService(&service, "cchc.scoring.v1.ScoringService");
    return runtime.Run();
  });
}
