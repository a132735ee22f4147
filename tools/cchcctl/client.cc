#include "client.h"

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>

#include "conventions.h"
#include "platform/errors.h"
#include "platform/text.h"

namespace cchc::cchcctl {

const char* StatusCodeName(grpc::StatusCode code) {
  // Indexed by the numeric code, as gRPC defines it.
  static constexpr const char* kNames[] = {
      "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
      "DATA_LOSS", "UNAUTHENTICATED"};
  auto index = static_cast<size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "UNKNOWN";
}

std::string ReadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StatusError(grpc::StatusCode::NOT_FOUND, "--token-file: cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string token(text::Trim(buffer.str()));
  if (token.empty()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--token-file: " + path + " is empty");
  return token;
}

namespace {
std::shared_ptr<grpc::ChannelCredentials>& Credentials() {
  static std::shared_ptr<grpc::ChannelCredentials> credentials;
  return credentials;
}
}  // namespace

void UseTls(const tls::ClientFiles& files) {
  try {
    Credentials() = tls::ClientCredentials(files, kTlsFlags);
  } catch (const tls::SettingError& e) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, e.what());
  }
}

std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address) {
  if (!Credentials()) Credentials() = grpc::InsecureChannelCredentials();
  return grpc::CreateChannel(address, Credentials());
}

Client::Client(GlobalOptions options) : options_(std::move(options)) {}

cchc::document::v1::DocumentService::Stub& Client::Documents() {
  if (!documents_) {
    channel_ = OpenChannel(options_.address);
    documents_ = cchc::document::v1::DocumentService::NewStub(channel_);
  }
  return *documents_;
}

std::unique_ptr<grpc::ClientContext> Client::NewContext() {
  if (!token_) token_ = options_.token_file.empty() ? options_.token : ReadTokenFile(options_.token_file);
  auto context = std::make_unique<grpc::ClientContext>();
  auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(options_.timeout_seconds));
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  if (!token_->empty()) context->AddMetadata("authorization", "Bearer " + *token_);
  if (!options_.request_id.empty()) context->AddMetadata("x-request-id", options_.request_id);
  context->AddMetadata(trace::kHeader, trace_.ToHeader());
  return context;
}

void Client::Check(const grpc::Status& status) const {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
    throw RpcError(status,
                   "the document service at " + options_.address + " is unavailable: " + status.error_message());
  throw RpcError(status, status.error_message());
}

}  // namespace cchc::cchcctl
