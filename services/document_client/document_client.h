#pragma once
// Another service's view of the document service (văn bản): news checks related documents, scoring the
// evidence (tài liệu kiểm chứng) cited by số/ký hiệu. Every call carries the calling service's token and a
// deadline. Also the flags that configure it, the same in every service that calls the document service.
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"

namespace cchc {

struct DocumentServiceOptions {
  std::string address = "127.0.0.1:50061";
  std::string token;          // this service's bearer token there (role reader)
  int64_t timeout_ms = 2000;  // deadline of each call
};

// --document-service-address / -token / -timeout-ms (CCHC_DOCUMENT_SERVICE_ADDRESS, …_TOKEN, …_TIMEOUT_MS).
void AddDocumentServiceOptions(CLI::App& app, DocumentServiceOptions& options);

class DocumentClient {
 public:
  // `address` host:port of cchc.document.v1.DocumentService; `token` the calling service's bearer token there.
  DocumentClient(const std::string& address, std::string token, std::chrono::milliseconds deadline);
  explicit DocumentClient(const DocumentServiceOptions& options)
      : DocumentClient(options.address, options.token, std::chrono::milliseconds(options.timeout_ms)) {}

  // The document service's spelling of each code ("998/qd-sgddt" → "998/QĐ-SGDĐT"), in order. Throws
  // StatusError: INVALID_ARGUMENT "<field>[i]: no document <code>" for an unknown code, UNAVAILABLE when the
  // document service cannot answer (down, deadline passed, or it refuses our token). Each call carries the
  // thread's trace (trace::Current(), the handler's; a new one outside any) as `traceparent` metadata.
  std::vector<std::string> Resolve(const std::vector<std::string>& codes, const std::string& field);

 private:
  std::string address_, token_;
  std::chrono::milliseconds deadline_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<document::v1::DocumentService::Stub> stub_;
};

}  // namespace cchc
