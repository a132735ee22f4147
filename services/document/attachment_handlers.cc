// DocumentService's attachment RPCs: uploads checked for size, media type and SHA-256, and downloads streamed a
// slice at a time under the process's cap and deadlines (store/attachments.h, rules/download_gate.h).
#include "platform/crypto.h"
#include "platform/handler.h"
#include "platform/text.h"
#include "platform/validate.h"
#include "rules/media_types.h"
#include "rules/validation.h"
#include "rules/visibility.h"
#include "service.h"
#include "service_checks.h"

namespace cchc::document {
namespace {

using grpc::Status;
using grpc::StatusCode;

}  // namespace

Status DocumentService::UploadAttachment(grpc::ServerContext* ctx,
                                         grpc::ServerReader<v1::UploadAttachmentRequest>* reader, v1::Attachment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    v1::UploadAttachmentRequest first;
    if (!reader->Read(&first) || !first.has_header())
      return Status(StatusCode::INVALID_ARGUMENT, "header: the first message must be the header");
    auto header = first.header();
    std::string id = RequireDocumentId(header.document(), "header.document");
    std::string file_name = header.file_name();
    Require(validate::Text(&file_name, "header.file_name", {255, true}));
    if (file_name.find_first_of("/\\") != std::string::npos || file_name == "." || file_name == "..")
      return Status(StatusCode::INVALID_ARGUMENT, "header.file_name: must be a file name without folders");
    if (!IsAllowedMediaType(header.media_type()))
      return Status(StatusCode::INVALID_ARGUMENT,
                    "header.media_type: must be PDF, DOC/DOCX, XLS/XLSX, ZIP, PNG, JPEG or plain text");
    if (header.size_bytes() <= 0 || header.size_bytes() > limits_.max_attachment_bytes)
      return Status(StatusCode::INVALID_ARGUMENT, "header.size_bytes: must be between 1 and " +
                                                      std::to_string(limits_.max_attachment_bytes) + " bytes");
    const std::string& declared_sha = header.sha256();
    if (!declared_sha.empty() &&
        (declared_sha.size() != 64 || declared_sha.find_first_not_of("0123456789abcdef") != std::string::npos))
      return Status(StatusCode::INVALID_ARGUMENT, "header.sha256: must be 64 lowercase hex digits");
    // Ownership before reading megabytes.
    auto doc = documents_.Get(id);
    if (!doc) return Status(StatusCode::NOT_FOUND, "header.document: " + header.document() + " does not exist");
    CheckOwner(p, *doc, "header.document");

    std::string content;
    content.reserve(static_cast<size_t>(header.size_bytes()));
    crypto::Sha256 digest;
    v1::UploadAttachmentRequest part;
    while (reader->Read(&part)) {
      if (!part.has_chunk() && part.has_header()) return Status(StatusCode::INVALID_ARGUMENT, "header: sent twice");
      if (static_cast<int64_t>(content.size() + part.chunk().size()) > header.size_bytes())
        return Status(StatusCode::INVALID_ARGUMENT,
                      "chunk: more bytes than header.size_bytes = " + std::to_string(header.size_bytes()));
      digest.Update(part.chunk());
      content += part.chunk();
    }
    if (static_cast<int64_t>(content.size()) != header.size_bytes())
      return Status(StatusCode::INVALID_ARGUMENT, "header.size_bytes: declared " + std::to_string(header.size_bytes()) +
                                                      " bytes but received " + std::to_string(content.size()));
    std::string sha = digest.HexDigest();
    if (!declared_sha.empty() && sha != declared_sha)
      return Status(StatusCode::INVALID_ARGUMENT, "header.sha256: the content's SHA-256 is " + sha);
    if (!ContentMatchesMediaType(header.media_type(), content) ||
        (header.media_type() == "text/plain" && !text::IsValidUtf8(content)))
      return Status(StatusCode::INVALID_ARGUMENT, "header.media_type: the content is not " + header.media_type());
    v1::Attachment meta;
    meta.set_file_name(file_name);
    meta.set_media_type(header.media_type());
    meta.set_sha256(sha);
    *out = attachments_.Add(id, meta, content, limits_.max_attachments_per_document, limits_.max_document_versions);
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::DownloadAttachment(grpc::ServerContext* ctx, const v1::DownloadAttachmentRequest* req,
                                           grpc::ServerWriter<v1::DownloadAttachmentResponse>* writer) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto ids = ParseAttachmentName(req->name());
    if (!ids)
      return error_details::ErrorStatus(StatusCode::INVALID_ARGUMENT,
                                        "name: must be documents/{uuid}/attachments/{uuid}",
                                        platform::v1::INVALID_NAME);
    auto ticket = downloads_.TryEnter([ctx] { ctx->TryCancel(); });
    if (!ticket)
      return Status(StatusCode::RESOURCE_EXHAUSTED,
                    "download: " + std::to_string(limits_.downloads.concurrency) +
                        " downloads are running, the most this process serves at once (--download-concurrency); "
                        "retry later");
    Visibility visibility = VisibilityOf(p);
    const bool published_only = !(visibility.all || (visibility.SeesUnpublished() && [&] {
                                    auto doc = documents_.Get(ids->first);  // an editor: its own unit's only
                                    return doc && Sees(visibility, *doc);
                                  }()));
    auto meta = attachments_.Open(ids->first, ids->second, published_only);
    if (!meta) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    audit_.Append(ActorOf(p), v1::AuditAction::DOWNLOAD_ATTACHMENT, req->name(), ids->first, meta->file_name());
    // Why a Write failed: the gate cancelled the call at a deadline, or the client went away.
    auto ended = [&] {
      auto why = ticket->Cancelled();
      if (why == DownloadGate::Overdue::kNo) return Status(StatusCode::CANCELLED, "the client went away");
      log::Info("download cancelled at its deadline",
                {{"attachment", req->name()}, {"deadline", why == DownloadGate::Overdue::kIdle ? "idle" : "overall"}});
      return Status(StatusCode::DEADLINE_EXCEEDED, why == DownloadGate::Overdue::kIdle
                                                       ? "download: the client took nothing for --download-idle-seconds"
                                                       : "download: it ran longer than --download-max-seconds");
    };
    v1::DownloadAttachmentResponse head;
    *head.mutable_attachment() = *meta;
    if (!writer->Write(head)) return ended();
    ticket->Progress();
    const auto chunk_bytes = static_cast<size_t>(limits_.download_chunk_bytes);
    for (int64_t offset = 0; offset < meta->size_bytes();) {
      if (ticket->PastOverall())
        return Status(StatusCode::DEADLINE_EXCEEDED,
                      "download: it ran longer than --download-max-seconds after " + std::to_string(offset) + " of " +
                          std::to_string(meta->size_bytes()) + " bytes; download it again");
      auto slice = attachments_.ReadSlice(ids->first, ids->second, meta->sha256(), offset, limits_.download_slice_bytes,
                                          published_only);
      if (!slice)
        return Status(StatusCode::ABORTED, "name: " + req->name() + " was replaced or removed after " +
                                               std::to_string(offset) + " of " + std::to_string(meta->size_bytes()) +
                                               " bytes were sent; download it again");
      if (slice->empty()) throw std::runtime_error("attachment content shorter than its size_bytes: " + req->name());
      for (size_t at = 0; at < slice->size(); at += chunk_bytes) {
        v1::DownloadAttachmentResponse chunk;
        chunk.set_chunk(slice->data() + at, std::min(chunk_bytes, slice->size() - at));
        if (!writer->Write(chunk)) return ended();
        ticket->Progress();
      }
      offset += static_cast<int64_t>(slice->size());
    }
    return Status::OK;
  });
}

}  // namespace cchc::document
