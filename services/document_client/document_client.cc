#include "document_client.h"

#include "platform/errors.h"
#include "platform/grpc_channel.h"
#include "platform/log.h"
#include "platform/trace_context.h"

namespace cchc {
namespace {
constexpr int kMaxReplyBytes = 4 * 1024 * 1024;  // a Document: the servers' default --max-message-bytes
}  // namespace

void AddDocumentServiceOptions(CLI::App& app, DocumentServiceOptions& o) {
  app.add_option("--document-service-address", o.address,
                 "host:port of the document service, or dns:///name:port: calls go round robin over every address "
                 "the name resolves to (in Kubernetes its headless Service)")
      ->envname("CCHC_DOCUMENT_SERVICE_ADDRESS")
      ->capture_default_str();
  app.add_option("--document-service-token", o.token,
                 "Bearer token of this service at the document service (role reader)")
      ->envname("CCHC_DOCUMENT_SERVICE_TOKEN");
  app.add_option("--document-service-timeout-ms", o.timeout_ms, "Deadline of each document service call")
      ->envname("CCHC_DOCUMENT_SERVICE_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{60000}))
      ->capture_default_str();
  app.add_option(kDocumentServiceTlsFlags.ca, o.tls.ca_file,
                 "PEM CA certificates the document service's certificate must chain to; turns TLS on (given only "
                 "a client certificate: the system's roots)")
      ->envname("CCHC_DOCUMENT_SERVICE_TLS_CA_FILE");
  app.add_option(kDocumentServiceTlsFlags.cert, o.tls.cert_file,
                 "PEM certificate this service presents to the document service (mTLS); with the key")
      ->envname("CCHC_DOCUMENT_SERVICE_TLS_CERT_FILE");
  app.add_option(kDocumentServiceTlsFlags.key, o.tls.key_file, "PEM private key of that certificate")
      ->envname("CCHC_DOCUMENT_SERVICE_TLS_KEY_FILE");
}

void ValidateDocumentServiceOptions(const DocumentServiceOptions& o) {
  try {
    tls::ClientCredentials(o.tls, kDocumentServiceTlsFlags);
  } catch (const tls::SettingError& e) {
    throw CLI::ValidationError(e.flag(), e.reason());
  }
}

DocumentClient::DocumentClient(const DocumentServiceOptions& options)
    : address_(options.address),
      token_(options.token),
      deadline_(std::chrono::milliseconds(options.timeout_ms)),
      channel_(grpc::CreateCustomChannel(
          options.address, tls::ClientCredentials(options.tls, kDocumentServiceTlsFlags),
          grpc_channel::Arguments(grpc_channel::ServiceConfigJson(document::v1::DocumentService::service_full_name(),
                                                                  kDocumentServiceIdempotentReads),
                                  kMaxReplyBytes))),
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
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": no document " + codes[i],
                          platform::v1::UNKNOWN_DOCUMENT, where);
      case grpc::StatusCode::INVALID_ARGUMENT:
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": " + s.error_message(),
                          platform::v1::INVALID_DOCUMENT_CODE, where);
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
