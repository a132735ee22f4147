#pragma once
// Connection settings shared by every command and the one place calls are set up: a deadline, the bearer
// token, the request id and a W3C traceparent (one trace per invocation) on every call; failed statuses become
// cchc::StatusError.
#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "cchc/document/v1/document.grpc.pb.h"
#include "platform/tls_credentials.h"
#include "platform/trace_context.h"

namespace cchc::cchcctl {

struct GlobalOptions {
  std::string address = "127.0.0.1:50061";
  std::string token;            // --token / CCHC_TOKEN; empty: see token_file
  std::string token_file;       // --token-file: the token is this file's content; neither: calls carry none
  bool json = false;            // print JSON instead of tables
  double timeout_seconds = 10;  // deadline of each call
  std::string request_id;       // sent as x-request-id; also the idempotency key of `document create`
  tls::ClientFiles tls;         // --tls-ca, --tls-cert, --tls-key; none: plain text
};

// The names errors give GlobalOptions::tls.
inline const tls::ClientFlags kTlsFlags{"--tls-ca", "--tls-cert", "--tls-key"};

// Reads the TLS files once and makes every later OpenChannel use them. Throws StatusError (a local error)
// naming the flag when a file cannot be used or only one of --tls-cert and --tls-key is given.
void UseTls(const tls::ClientFiles& files);
// A channel to `address` (any service's), with the credentials UseTls made (plain text before it).
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address);

// "NOT_FOUND" for grpc::StatusCode::NOT_FOUND, and so on.
const char* StatusCodeName(grpc::StatusCode code);

// The token in `path` with surrounding white space removed; throws StatusError (a local error) when the file
// cannot be read or holds nothing.
std::string ReadTokenFile(const std::string& path);

class Client {
 public:
  explicit Client(GlobalOptions options);

  const GlobalOptions& options() const { return options_; }
  // The stub; the channel is created on first use (commands that make no call never connect).
  cchc::document::v1::DocumentService::Stub& Documents();
  // A context carrying the deadline, authorization and x-request-id metadata; one per call.
  std::unique_ptr<grpc::ClientContext> NewContext();
  // Throws cchc::StatusError unless `status` is OK; UNAVAILABLE names the address.
  void Check(const grpc::Status& status) const;

 private:
  GlobalOptions options_;
  std::optional<std::string> token_;  // resolved once, at the first call
  // This invocation's trace: every call carries it as `traceparent` metadata (one trace per invocation).
  const trace::TraceParent trace_ = trace::NewTrace();
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<cchc::document::v1::DocumentService::Stub> documents_;
};

}  // namespace cchc::cchcctl
