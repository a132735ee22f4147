#pragma once
// The scoring service's view of the document service (văn bản): evidence (tài liệu kiểm chứng) cites
// documents by số/ký hiệu, which must exist there. Every call
// carries the service token and a deadline.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"

namespace cchc::scoring {

class DocumentClient {
 public:
  // `address` host:port of cchc.document.v1.DocumentService; `token` the scoring service's bearer token there.
  DocumentClient(const std::string& address, std::string token, std::chrono::milliseconds deadline);

  // The document service's spelling of each code ("998/qd-sgddt" → "998/QĐ-SGDĐT"), in order. Throws
  // StatusError: INVALID_ARGUMENT "<field>[i]: no document <code>" for an unknown code, UNAVAILABLE when the
  // document service cannot answer (down, deadline passed, or it refuses our token).
  std::vector<std::string> Resolve(const std::vector<std::string>& codes, const std::string& field);

 private:
  std::string address_, token_;
  std::chrono::milliseconds deadline_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<document::v1::DocumentService::Stub> stub_;
};

}  // namespace cchc::scoring
