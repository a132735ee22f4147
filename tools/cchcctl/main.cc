// cchcctl: the command-line client of the cchc gRPC services. Wiring only; commands live in document_*.cc.
// Exit codes: 0 success, 1 a failed call or local error ("error: <STATUS>: <message>" on stderr),
// 2 a usage error.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "client.h"
#include "command.h"
#include "news_client.h"
#include "notify_client.h"
#include "platform/errors.h"
#include "scoring_client.h"

namespace {

void AddGlobalOptions(CLI::App& app, cchc::cchcctl::GlobalOptions& o) {
  app.add_option("--address", o.address, "host:port of the document service")
      ->envname("CCHC_DOCUMENT_ADDRESS")
      ->capture_default_str();
  app.add_option("--token", o.token,
                 "Bearer token (default: the contents of $CCHC_HOME/admin.token, "
                 "CCHC_HOME defaulting to ./.cchc)")
      ->envname("CCHC_TOKEN");
  app.add_flag("--json", o.json, "Print JSON (proto field names) instead of tables");
  app.add_option("--timeout", o.timeout_seconds, "Deadline of each call, in seconds")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  app.add_option("--request-id", o.request_id, "Sent as x-request-id; makes a retried create replay its answer");
}

int Fail(grpc::StatusCode code, const std::string& message) {
  std::cerr << "error: " << cchc::cchcctl::StatusCodeName(code);
  if (!message.empty()) std::cerr << ": " << message;
  std::cerr << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchcctl: command-line client of the cchc services"};
  app.fallthrough();  // global options may follow the subcommand; set before subcommands inherit it
  app.require_subcommand(1);
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
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!action) return 2;  // unreachable: every leaf subcommand sets one and one is required
  try {
    cchc::cchcctl::Client client(options);
    action(client);
  } catch (const cchc::StatusError& e) {
    return Fail(e.Code(), e.what());
  } catch (const std::exception& e) {
    return Fail(grpc::StatusCode::UNKNOWN, e.what());
  }
  return 0;
}
