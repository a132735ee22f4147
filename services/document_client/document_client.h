#pragma once
// Another service's view of the document service (văn bản): news checks related documents, scoring the
// evidence (tài liệu kiểm chứng) cited by số/ký hiệu. Every call carries the calling service's token and a
// deadline. One channel, balanced round-robin over every address the target resolves to, reads retried on
// UNAVAILABLE, keepalive, TLS or mTLS when files are given (platform/grpc_channel.h, platform/tls_credentials.h).
// Also the flags that configure it, the same in every service that calls the document service.
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"
#include "platform/tls_credentials.h"

namespace cchc {

struct DocumentServiceOptions {
  std::string address = "127.0.0.1:50061";  // host:port, or dns:///name:port (every address it resolves to)
  std::string token;                        // this service's bearer token there (role reader)
  int64_t timeout_ms = 2000;                // deadline of each call
  tls::ClientFiles tls;                     // none: insecure
};

// The flags of DocumentServiceOptions::tls, as errors name them.
inline const tls::ClientFlags kDocumentServiceTlsFlags{
    "--document-service-tls-ca-file", "--document-service-tls-cert-file", "--document-service-tls-key-file"};

// The document service's methods a caller may retry on UNAVAILABLE: unary reads that change nothing.
inline const std::vector<std::string> kDocumentServiceIdempotentReads{"GetDocument", "GetDocumentByCode",
                                                                      "ListDocuments", "SearchDocuments"};

// --document-service-address / -token / -timeout-ms / -tls-ca-file / -tls-cert-file / -tls-key-file
// (CCHC_DOCUMENT_SERVICE_ADDRESS, …_TOKEN, …_TIMEOUT_MS, …_TLS_CA_FILE, …_TLS_CERT_FILE, …_TLS_KEY_FILE).
void AddDocumentServiceOptions(CLI::App& app, DocumentServiceOptions& options);
// Reads the TLS files; throws CLI::ValidationError naming the flag when the combination cannot work or a file
// is unreadable. For ServiceMain::Parse's `finish`, so a bad file stops start-up.
void ValidateDocumentServiceOptions(const DocumentServiceOptions& options);

class DocumentClient {
 public:
  // Connects lazily to options.address; throws tls::SettingError when a TLS file cannot be used.
  explicit DocumentClient(const DocumentServiceOptions& options);

  // The document service's spelling of each code ("998/qd-sgddt" → "998/QĐ-SGDĐT"), in order. Throws
  // StatusError: INVALID_ARGUMENT "<field>[i]: no document <code>" for an unknown code, UNAVAILABLE when the
  // document service cannot answer (down, deadline passed, or it refuses our token). Each call carries the
  // thread's trace (trace::Current(), the handler's; a new one outside any) as `traceparent` metadata.
  std::vector<std::string> Resolve(const std::vector<std::string>& codes, const std::string& field);

 private:
  std::string address_, token_;  // address_ as given, for the logs
  std::chrono::milliseconds deadline_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<document::v1::DocumentService::Stub> stub_;
};

}  // namespace cchc
