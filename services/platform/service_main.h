#pragma once
// What every service's main does around its own wiring, written once:
//   cchc::ServiceMain main({"document", "cchc document service (văn bản)", "127.0.0.1:50061", "127.0.0.1:9461"},
//                          options);
//   main.App().add_option(…);                                  // the service's own flags
//   if (auto exit = main.Parse(argc, argv, [&] { … })) return *exit;  // bad flags: CLI11's message and code
//   return main.Run([&] { …; return runtime.Run(); });         // "cannot start" logged, exit 1, if it throws
// Termination signals are blocked from the start (the runtime's thread takes them); the common options
// (options.h) are added first, defaulting to the service's addresses, so --help shows them.
#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "options.h"

namespace cchc {

struct ServiceIdentity {
  std::string name;          // "document": the log's service name, the schema's default
  std::string description;   // --help's first line
  std::string grpc_address;  // defaults
  std::string metrics_address;
};

class ServiceMain {
 public:
  // `options` receives the common settings; it must outlive the parse.
  ServiceMain(ServiceIdentity identity, CommonOptions& options);
  CLI::App& App() { return app_; }
  // Parses the command line and the environment, checks the common options, then runs `finish` (which throws
  // CLI::ValidationError naming a flag). nullopt: go on; else the process's exit code (--help, or a refusal).
  std::optional<int> Parse(int argc, char** argv, const std::function<void()>& finish = {});
  // Starts the JSON log and runs `serve`; what it throws is logged as "cannot start" and exits 1.
  int Run(const std::function<int()>& serve);

 private:
  ServiceIdentity identity_;
  CommonOptions& options_;
  CLI::App app_;
};

}  // namespace cchc
