#pragma once
// The command-line conventions every command shares, as plain functions main and the commands call: exit codes
// (64 + the gRPC status code of a failed call, as grpcurl does), one compact JSON object per line on streams,
// and the progress, --continue-on-error and summary of bulk imports.
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "platform/errors.h"

namespace CLI {
class App;
}

namespace cchc::cchcctl {

// " [reason INVALID_DOCUMENT_CODE, field document.code]": the AIP-193 details of a refusal (ErrorInfo's reason,
// then each BadRequest field violation, or ErrorInfo's "field" when there is none); "" when it has none.
std::string DetailsSuffix(const grpc::Status& status);

// A call the service refused or could not answer: main exits with 64 + its code. Every other StatusError
// cchcctl throws is a local failure (a file it cannot read, an entry it cannot parse): exit code 1.
class RpcError : public StatusError {
 public:
  using StatusError::StatusError;
  // `status`'s code with `message`, keeping its details as DetailsSuffix prints them.
  RpcError(const grpc::Status& status, const std::string& message)
      : StatusError(status.error_code(), message), details_(DetailsSuffix(status)) {}
  RpcError(grpc::StatusCode code, const std::string& message, std::string details)
      : StatusError(code, message), details_(std::move(details)) {}
  // DetailsSuffix of the refusal; "" when it had none.
  const std::string& details() const { return details_; }

 private:
  std::string details_;
};

inline constexpr int kExitLocalError = 1;  // a file not found, an entry that is not valid JSON, …
inline constexpr int kExitUsageError = 2;  // CLI11 refused the command line
inline constexpr int kExitRpcBase = 64;    // + the gRPC status code of a failed call

// 0 for OK, else 64 + `code`: NOT_FOUND → 69, PERMISSION_DENIED → 71, UNAUTHENTICATED → 80.
int ExitCodeForStatus(grpc::StatusCode code);

// "error: <STATUS>: <message><details>" (no newline): what main prints on stderr for `e` ended by `code`; the
// details are an RpcError's DetailsSuffix.
std::string ErrorLine(grpc::StatusCode code, const std::exception& e);

// The exit code main returns for an exception a command threw: ExitCodeForStatus for an RpcError,
// kExitLocalError for anything else.
int ExitCodeFor(const std::exception& e);

// `message` as one line of compact JSON (proto field names, no white space, no newline); a stream prints one
// such line per message.
std::string JsonLine(const google::protobuf::Message& message);

// Prints JsonLine(message) and a newline, and flushes: a reader sees each object as soon as it arrives.
void PrintJsonLine(std::ostream& out, const google::protobuf::Message& message);

// "\r<done>/<total>": the progress line of an import, rewritten in place.
std::string ProgressLine(size_t done, size_t total);

// "done <done>, failed <failed>": the summary an import with --continue-on-error ends with.
std::string ImportSummary(size_t done, size_t failed);

// Adds --continue-on-error to an import command.
void AddContinueOnError(CLI::App* cmd, bool* flag);

// One bulk import: runs each item, shows "\r<n>/<total>" on `err` when `progress` (main passes isatty(2)),
// and either stops at the first failure (rethrown as it is, `label` prefixed) or, with continue_on_error,
// reports it on `err` and goes on. Finish prints the summary and throws the first failure's kind and code.
class ImportRun {
 public:
  ImportRun(size_t total, bool continue_on_error, std::ostream& err, bool progress);
  // The same, on std::cerr, with progress when stderr is a terminal.
  ImportRun(size_t total, bool continue_on_error);

  // Runs `item`; true if it succeeded. A failure is rethrown (without continue_on_error) or recorded.
  bool Run(const std::string& label, const std::function<void()>& item);
  // Ends the progress line; with continue_on_error prints ImportSummary on `err`, and if an item failed throws
  // its kind (RpcError or StatusError) with its code and "<failed> of <total> failed; first: <message>".
  void Finish();

  size_t done() const { return done_; }
  size_t failed() const { return failed_; }

 private:
  struct Failure {
    bool rpc;
    grpc::StatusCode code;
    std::string message;
    std::string details;  // RpcError::details()
  };
  void Step();

  size_t total_;
  bool continue_on_error_;
  std::ostream& err_;
  bool progress_;
  size_t done_ = 0;
  size_t failed_ = 0;
  std::optional<Failure> first_;
};

}  // namespace cchc::cchcctl
