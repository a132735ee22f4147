#include "conventions.h"

#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "client.h"
#include "platform/error_details.h"

namespace cchc::cchcctl {

int ExitCodeForStatus(grpc::StatusCode code) {
  return code == grpc::StatusCode::OK ? 0 : kExitRpcBase + static_cast<int>(code);
}

std::string DetailsSuffix(const grpc::Status& status) {
  auto details = error_details::ParseDetails(status);
  if (!details) return "";
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? " [" : ", ") + part; };
  if (!details->reason.empty()) add("reason " + details->reason);
  for (const auto& [field, description] : details->field_violations) add("field " + field);
  auto field = details->metadata.find("field");
  if (details->field_violations.empty() && field != details->metadata.end()) add("field " + field->second);
  return out.empty() ? "" : out + "]";
}

std::string ErrorLine(grpc::StatusCode code, const std::exception& e) {
  std::string line = std::string("error: ") + StatusCodeName(code);
  std::string message = e.what();
  if (!message.empty()) line += ": " + message;
  if (const auto* rpc = dynamic_cast<const RpcError*>(&e)) line += rpc->details();
  return line;
}

int ExitCodeFor(const std::exception& e) {
  if (const auto* rpc = dynamic_cast<const RpcError*>(&e)) return ExitCodeForStatus(rpc->Code());
  return kExitLocalError;
}

std::string JsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok())
    throw StatusError(grpc::StatusCode::INTERNAL, "cannot print JSON: " + std::string(status.message()));
  while (!json.empty() && json.back() == '\n') json.pop_back();
  return json;
}

void PrintJsonLine(std::ostream& out, const google::protobuf::Message& message) {
  out << JsonLine(message) << '\n';
  out.flush();
}

std::string ProgressLine(size_t done, size_t total) {
  return "\r" + std::to_string(done) + "/" + std::to_string(total);
}

std::string ImportSummary(size_t done, size_t failed) {
  return "done " + std::to_string(done) + ", failed " + std::to_string(failed);
}

void AddContinueOnError(CLI::App* cmd, bool* flag) {
  cmd->add_flag("--continue-on-error", *flag,
                "Go on past a failed entry (reported on stderr); end with \"done N, failed M\" on stderr and "
                "the first failure's exit code");
}

ImportRun::ImportRun(size_t total, bool continue_on_error, std::ostream& err, bool progress)
    : total_(total), continue_on_error_(continue_on_error), err_(err), progress_(progress) {}

ImportRun::ImportRun(size_t total, bool continue_on_error)
    : ImportRun(total, continue_on_error, std::cerr, isatty(STDERR_FILENO) == 1) {}

void ImportRun::Step() {
  if (progress_) err_ << ProgressLine(done_ + failed_, total_) << std::flush;
}

bool ImportRun::Run(const std::string& label, const std::function<void()>& item) {
  std::optional<Failure> failure;
  try {
    item();
  } catch (const StatusError& e) {
    const auto* rpc = dynamic_cast<const RpcError*>(&e);
    failure = Failure{rpc != nullptr, e.Code(), label + ": " + e.what(), rpc != nullptr ? rpc->details() : ""};
  } catch (const std::exception& e) {  // e.g. a JSON entry of the wrong type: a local error
    failure = Failure{false, grpc::StatusCode::UNKNOWN, label + ": " + e.what(), ""};
  }
  if (!failure) {
    ++done_;
    Step();
    return true;
  }
  if (!continue_on_error_) {
    if (progress_) err_ << '\n';
    if (failure->rpc) throw RpcError(failure->code, failure->message, failure->details);
    throw StatusError(failure->code, failure->message);
  }
  ++failed_;
  if (progress_) err_ << '\n';  // the error on a line of its own, the count going on below it
  err_ << "error: " << StatusCodeName(failure->code) << ": " << failure->message << failure->details << '\n';
  if (!first_) first_ = std::move(failure);
  Step();
  return false;
}

void ImportRun::Finish() {
  if (progress_ && total_ > 0) err_ << '\n';
  if (continue_on_error_) err_ << ImportSummary(done_, failed_) << '\n';
  if (!first_) return;
  std::string message =
      std::to_string(failed_) + " of " + std::to_string(total_) + " failed; first: " + first_->message;
  if (first_->rpc) throw RpcError(first_->code, message, first_->details);
  throw StatusError(first_->code, message);
}

}  // namespace cchc::cchcctl
