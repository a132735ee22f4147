#pragma once
// How subcommands are wired: while CLI11 parses, the chosen subcommand stores what it will do; main runs
// it only after parsing succeeded, so a usage error never makes a call.
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>

#include "client.h"

namespace cchc::cchcctl {

using Action = std::function<void(Client&)>;

// When `cmd` is chosen, *slot becomes run(client, *args). `args` is what `cmd`'s options are bound to.
template <typename Args>
void OnRun(CLI::App* cmd, Action* slot, std::shared_ptr<Args> args, void (*run)(Client&, const Args&)) {
  cmd->callback([slot, args, run] { *slot = [args, run](Client& client) { run(client, *args); }; });
}

// `cchcctl document …`.
void AddDocumentCommands(CLI::App& app, Action* slot);

// The groups AddDocumentCommands is made of, one per source file.
void AddDocumentEditCommands(CLI::App* document, Action* slot);      // create, get, publish, withdraw, delete
void AddDocumentListCommands(CLI::App* document, Action* slot);      // list, search
void AddDocumentTransferCommands(CLI::App* document, Action* slot);  // attach, download
void AddDocumentImportCommand(CLI::App* document, Action* slot);     // import
void AddDocumentRegisterCommands(CLI::App* document, Action* slot);  // register create|list|reserve|cancel
void AddDocumentVersionsCommand(CLI::App* document, Action* slot);   // versions
void AddDocumentAuditCommand(CLI::App* document, Action* slot);      // audit

// `cchcctl outbox list|retry|discard --service …` (outbox_commands.cc).
void AddOutboxCommands(CLI::App& app, Action* slot);

// Prints `doc` to stdout as "label: value" lines, or as JSON under --json.
void ShowDocument(const Client& client, const cchc::document::v1::Document& doc);

}  // namespace cchc::cchcctl
