// scoring-service: wiring only. Settings: --help.
#include <CLI/CLI.hpp>

#include "document_client.h"
#include "events.h"
#include "platform/log.h"
#include "platform/options.h"
#include "platform/runtime.h"
#include "repository.h"
#include "service.h"

int main(int argc, char** argv) {
  cchc::BlockTerminationSignals();
  CLI::App app{"cchc scoring service (chỉ số CCHC, PAR INDEX)"};
  cchc::CommonOptions options;
  options.grpc_address = "127.0.0.1:50063";
  options.metrics_address = "127.0.0.1:9463";
  cchc::AddCommonOptions(app, options, "scoring");  // after the defaults, so --help shows them
  std::string document_address = "127.0.0.1:50061", document_token;
  int64_t document_timeout_ms = 2000;
  app.add_option("--document-service-address", document_address, "host:port of the document service")
      ->envname("CCHC_DOCUMENT_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--document-service-token", document_token,
                 "Bearer token of this service at the document service (role reader)")
      ->envname("CCHC_DOCUMENT_SERVICE_TOKEN");
  app.add_option("--document-service-timeout-ms", document_timeout_ms, "Deadline of each document service call")
      ->envname("CCHC_DOCUMENT_SERVICE_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    cchc::ValidateCommonOptions(options);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  cchc::log::Init("scoring", cchc::log::ParseLevel(options.log_level));
  try {
    cchc::ServiceRuntime runtime(options, cchc::scoring::Statements(), cchc::scoring::AllMigrations(),
                                 cchc::scoring::kSource);
    cchc::scoring::Repository repository(runtime.pool);
    cchc::scoring::DocumentClient documents(document_address, document_token,
                                            std::chrono::milliseconds(document_timeout_ms));
    cchc::scoring::ScoringService service(repository, documents, runtime.tokens, &runtime.registry);
    runtime.host.AddService(&service, "cchc.scoring.v1.ScoringService");
    return runtime.Run();
  } catch (const std::exception& e) {
    cchc::log::Error("cannot start", {{"error", e.what()}});
    return 1;
  }
}
