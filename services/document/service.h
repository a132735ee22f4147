#pragma once
// gRPC handlers of cchc.document.v1.DocumentService: translate requests to the rules (rules/) and the stores
// (store/), and results back to statuses; what the stores throw becomes a status in the handler frame
// (platform/handler.h). No SQL here.
#include <chrono>
#include <functional>

#include "cchc/document/v1/document.grpc.pb.h"
#include "platform/auth.h"
#include "platform/proto_read_cache.h"
#include "rules/download_gate.h"
#include "store/attachments.h"
#include "store/audit.h"
#include "store/documents.h"
#include "store/registers.h"
#include "store/search.h"
#include "store/versions.h"

namespace cchc::document {

struct ServiceLimits {
  int64_t max_attachment_bytes = int64_t{20} * 1024 * 1024;
  int max_attachments_per_document = 100;
  int download_chunk_bytes = 64 * 1024;
  std::chrono::milliseconds read_cache_ttl{2000};  // 0 disables the cache of what readers see
  // The most bytes (proto_read_cache.h's count) the three read caches hold together, a third each.
  size_t read_cache_bytes = kDefaultReadCacheBytes;
  // Downloads: how many at once and their deadlines (download_gate.h), and the bytes read per statement.
  DownloadLimits downloads;
  int64_t download_slice_bytes = 256 * 1024;
  // A reserved number unused this many days is expired (sổ văn bản đi; the lifecycle scheduler records it).
  int reservation_expiry_days = 7;
  // Versions kept per document and per attachment file name (--max-document-versions); past it the oldest but
  // the first go.
  int max_document_versions = kDefaultMaxVersions;
};

using Clock = std::function<std::chrono::system_clock::time_point()>;

class DocumentService final : public v1::DocumentService::Service {
 public:
  // `registry` (optional) receives the read caches' and the downloads' metrics; `clock` is "now" for the outgoing
  // register (its year, its reservations' times), injected in tests.
  DocumentService(
      DocumentStore& documents, AttachmentStore& attachments, SearchStore& search, RegisterStore& registers,
      AuditStore& audit, const auth::TokenStore& tokens, ServiceLimits limits = {},
      metrics::Registry* registry = nullptr, Clock clock = [] { return std::chrono::system_clock::now(); });

  grpc::Status CreateDocument(grpc::ServerContext*, const v1::CreateDocumentRequest*, v1::Document*) override;
  grpc::Status GetDocument(grpc::ServerContext*, const v1::GetDocumentRequest*, v1::Document*) override;
  grpc::Status GetDocumentByCode(grpc::ServerContext*, const v1::GetDocumentByCodeRequest*, v1::Document*) override;
  grpc::Status UpdateDocument(grpc::ServerContext*, const v1::UpdateDocumentRequest*, v1::Document*) override;
  grpc::Status PublishDocument(grpc::ServerContext*, const v1::PublishDocumentRequest*, v1::Document*) override;
  grpc::Status WithdrawDocument(grpc::ServerContext*, const v1::WithdrawDocumentRequest*, v1::Document*) override;
  grpc::Status DeleteDocument(grpc::ServerContext*, const v1::DeleteDocumentRequest*,
                              v1::DeleteDocumentResponse*) override;
  grpc::Status ListDocuments(grpc::ServerContext*, const v1::ListDocumentsRequest*,
                             v1::ListDocumentsResponse*) override;
  grpc::Status SearchDocuments(grpc::ServerContext*, const v1::SearchDocumentsRequest*,
                               v1::SearchDocumentsResponse*) override;
  grpc::Status UploadAttachment(grpc::ServerContext*, grpc::ServerReader<v1::UploadAttachmentRequest>*,
                                v1::Attachment*) override;
  // Streams the metadata, then the content in chunks read a slice at a time (store/attachments.h). RESOURCE_EXHAUSTED
  // when limits.downloads.concurrency are running; ABORTED when the attachment is replaced or removed (or its
  // document withdrawn, for a reader) mid-stream; DEADLINE_EXCEEDED past the overall deadline; a client that
  // takes nothing for the idle deadline (or is past the overall one while blocked) is cancelled.
  grpc::Status DownloadAttachment(grpc::ServerContext*, const v1::DownloadAttachmentRequest*,
                                  grpc::ServerWriter<v1::DownloadAttachmentResponse>*) override;
  // Versions (version_handlers.cc).
  grpc::Status ListDocumentVersions(grpc::ServerContext*, const v1::ListDocumentVersionsRequest*,
                                    v1::ListDocumentVersionsResponse*) override;
  grpc::Status GetDocumentVersion(grpc::ServerContext*, const v1::GetDocumentVersionRequest*,
                                  v1::DocumentVersion*) override;

  // The outgoing register (sổ văn bản đi): register_handlers.cc.
  grpc::Status CreateRegister(grpc::ServerContext*, const v1::CreateRegisterRequest*, v1::Register*) override;
  grpc::Status GetRegister(grpc::ServerContext*, const v1::GetRegisterRequest*, v1::Register*) override;
  grpc::Status ListRegisters(grpc::ServerContext*, const v1::ListRegistersRequest*,
                             v1::ListRegistersResponse*) override;
  grpc::Status ReserveNumber(grpc::ServerContext*, const v1::ReserveNumberRequest*, v1::Reservation*) override;
  grpc::Status CancelReservation(grpc::ServerContext*, const v1::CancelReservationRequest*, v1::Reservation*) override;
  // audit_handlers.cc. Role: admin.
  grpc::Status ListAuditEvents(grpc::ServerContext*, const v1::ListAuditEventsRequest*,
                               v1::ListAuditEventsResponse*) override;

 private:
  // CreateDocument's write: with `reservation` named, the reserved number checked and marked used in the insert's
  // transaction; without, a typed number already allocated in the outgoing register refused (register_handlers.cc).
  v1::Document CreateInRegister(const auth::Principal& p, const v1::Document& doc, const DocumentCode& code,
                                const std::string& request_id, const std::string& reservation);

  // Readers' results (published documents only) are served from memory for up to the TTL; every write
  // that changes what readers see invalidates them in this process.
  void ReaderViewChanged();
  // A draft read by `p` goes into the audit trail (READ_DRAFT) before it is answered; other reads do not.
  void AuditDraftRead(const auth::Principal& p, const v1::Document& doc);

  DocumentStore& documents_;
  AttachmentStore& attachments_;
  VersionStore versions_;
  SearchStore& search_;
  RegisterStore& registers_;
  AuditStore& audit_;
  const auth::TokenStore& tokens_;
  ServiceLimits limits_;
  ProtoReadCache<v1::Document> documents_cache_;
  ProtoReadCache<v1::ListDocumentsResponse> list_cache_;
  ProtoReadCache<v1::SearchDocumentsResponse> search_cache_;
  DownloadGate downloads_;
  Clock clock_;
};

}  // namespace cchc::document
