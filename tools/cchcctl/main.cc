// cchcctl: the command-line client of the cchc gRPC services. Wiring only; commands live in document_*.cc.
// Exit codes (conventions.h): 0 success, 64 + the gRPC status code of a failed call, 1 a local error
// ("error: <STATUS>: <message>" on stderr for both, then "[reason …, field …]" when a refusal has AIP-193
// details), 2 a usage error.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "client.h"
#include "command.h"
#include "conventions.h"
#include "news_client.h"
#include "notify_client.h"
#include "platform/errors.h"
#include "scoring_client.h"

namespace {

void AddGlobalOptions(CLI::App& app, cchc::cchcctl::GlobalOptions& o) {
  app.add_option("--address", o.address, "host:port of the document service")
      ->envname("CCHC_DOCUMENT_ADDRESS")
      ->capture_default_str();
  CLI::Option* token = app.add_option("--token", o.token, "Bearer token (default: $CCHC_TOKEN)");
  app.add_option("--token-file", o.token_file, "Read the bearer token from this file, e.g. .cchc/admin.token")
      ->excludes(token);
  app.add_flag("--json", o.json, "Print JSON (proto field names) instead of tables");
  app.add_option("--timeout", o.timeout_seconds, "Deadline of each call, in seconds")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  app.add_option("--request-id", o.request_id, "Sent as x-request-id; makes a retried create replay its answer");
  app.add_option("--tls-ca", o.tls.ca_file,
                 "PEM CA certificates the services' certificates must chain to; turns TLS on")
      ->envname("CCHC_TLS_CA");
  CLI::Option* cert =
      app.add_option("--tls-cert", o.tls.cert_file, "PEM client certificate (mTLS); with --tls-key; turns TLS on")
          ->envname("CCHC_TLS_CERT");
  CLI::Option* key =
      app.add_option("--tls-key", o.tls.key_file, "PEM private key of --tls-cert")->envname("CCHC_TLS_KEY");
  cert->needs(key);
  key->needs(cert);
}

constexpr const char* kFooter =
    "Token: --token or --token-file, else $CCHC_TOKEN; never a file by default. With none, calls carry no\n"
    "token and a service that needs one answers UNAUTHENTICATED (exit code 80). `tools/dev up` prints the\n"
    "line to export.\n"
    "TLS: --tls-ca (and for mTLS --tls-cert with --tls-key), or CCHC_TLS_CA, CCHC_TLS_CERT, CCHC_TLS_KEY; for every\n"
    "service called. None: plain text. `tools/dev up --tls` prints the lines to export.\n"
    "Exit codes: 0 success; 64 + the gRPC status code of a failed call (NOT_FOUND 69, PERMISSION_DENIED 71,\n"
    "UNAUTHENTICATED 80, …); 1 a local error (a file not found, an entry not valid); 2 a usage error.";

// Prints "error: <STATUS>: <message> [reason …, field …]" and returns the exit code for `e` (conventions.h).
int Fail(grpc::StatusCode code, const std::exception& e) {
  std::cerr << cchc::cchcctl::ErrorLine(code, e) << '\n';
  return cchc::cchcctl::ExitCodeFor(e);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchcctl: command-line client of the cchc services"};
  app.fallthrough();  // global options may follow the subcommand; set before subcommands inherit it
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("cchcctl ") + CCHC_VERSION);
  app.footer(kFooter);
  cchc::cchcctl::GlobalOptions options;
  AddGlobalOptions(app, options);
  cchc::cchcctl::Action action;
  cchc::cchcctl::AddDocumentCommands(app, &action);
  cchc::cchcctl::AddArticleCommands(app, &action);
  cchc::cchcctl::AddCommentCommands(app, &action);
  cchc::cchcctl::AddSchoolYearCommands(app, &action);
  cchc::cchcctl::AddPageCommand(app, &action);
  cchc::cchcctl::AddScoringCommands(app, &action);
  cchc::cchcctl::AddNotifyCommands(app, &action);
  cchc::cchcctl::AddOutboxCommands(app, &action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : cchc::cchcctl::kExitUsageError;
  }
  if (!action)
    return cchc::cchcctl::kExitUsageError;  // unreachable: every leaf subcommand sets one and one is required
  if (options.token.empty() && options.token_file.empty()) {
    const char* env = std::getenv("CCHC_TOKEN");
    if (env != nullptr) options.token = env;
  }
  try {
    cchc::cchcctl::UseTls(options.tls);
    cchc::cchcctl::Client client(options);
    action(client);
  } catch (const cchc::StatusError& e) {
    return Fail(e.Code(), e);
  } catch (const std::exception& e) {
    return Fail(grpc::StatusCode::UNKNOWN, e);
  }
  return 0;
}
