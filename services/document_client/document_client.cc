#include "document_client.h"

#include "platform/errors.h"
#include "platform/log.h"
#include "platform/trace_context.h"

namespace cchc {

void AddDocumentServiceOptions(CLI::App& app, DocumentServiceOptions& o) {
  app.add_option("--document-service-address", o.address, "host:port of the document service")
      ->envname("CCHC_DOCUMENT_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--document-service-token", o.token,
                 "Bearer token of this service at the document service (role reader)")
      ->envname("CCHC_DOCUMENT_SERVICE_TOKEN");
  app.add_option("--document-service-timeout-ms", o.timeout_ms, "Deadline of each document service call")
      ->envname("CCHC_DOCUMENT_SERVICE_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
}

DocumentClient::DocumentClient(const std::string& address, std::string token, std::chrono::milliseconds deadline)
    : address_(address),
      token_(std::move(token)),
      deadline_(deadline),
      channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
      stub_(document::v1::DocumentService::NewStub(channel_)) {}

std::vector<std::string> DocumentClient::Resolve(const std::vector<std::string>& codes, const std::string& field) {
  std::vector<std::string> out;
  for (size_t i = 0; i < codes.size(); ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + deadline_);
    if (!token_.empty()) ctx.AddMetadata("authorization", "Bearer " + token_);
    ctx.AddMetadata(trace::kHeader, trace::CurrentOrNew().ToHeader());  // the caller's span is the parent
    document::v1::GetDocumentByCodeRequest req;
    req.set_code(codes[i]);
    document::v1::Document doc;
    grpc::Status s = stub_->GetDocumentByCode(&ctx, req, &doc);
    std::string where = field + "[" + std::to_string(i) + "]";
    if (s.ok()) {
      out.push_back(doc.code());
      continue;
    }
    switch (s.error_code()) {
      case grpc::StatusCode::NOT_FOUND:
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": no document " + codes[i]);
      case grpc::StatusCode::INVALID_ARGUMENT:
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": " + s.error_message());
      default:
        log::Warn("document service call failed",
                  {{"address", address_}, {"code", std::to_string(s.error_code())}, {"error", s.error_message()}});
        throw StatusError(grpc::StatusCode::UNAVAILABLE, "the document service is unavailable to check " + where +
                                                             " (" + s.error_message() +
                                                             "); nothing was saved, retry later");
    }
  }
  return out;
}

}  // namespace cchc
