#include "service.h"

#include <openssl/evp.h>

#include <map>

#include "platform/handler.h"
#include "platform/page_token.h"
#include "platform/text.h"
#include "platform/validate.h"
#include "validation.h"

namespace cchc::document {
namespace {

using grpc::Status;
using grpc::StatusCode;

std::string RequireDocumentId(const std::string& name, const std::string& field) {
  auto id = ParseDocumentName(name);
  if (!id) throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be documents/{uuid}");
  return *id;
}

// Only the creating unit's editors (and admin) change a document; to another unit's editor, a draft or a
// withdrawn document does not exist (visibility.h), so `field` gets the same NOT_FOUND as a missing one.
void CheckOwner(const auth::Principal& p, const v1::Document& doc, const std::string& field = "name") {
  if (p.Has(auth::Role::kAdmin) || doc.created_by() == p.unit) return;
  if (!Sees(VisibilityOf(p), doc))
    throw StatusError(StatusCode::NOT_FOUND, field + ": " + doc.name() + " does not exist");
  throw StatusError(StatusCode::PERMISSION_DENIED,
                    "principal " + p.unit + " may not change " + doc.name() + " of unit " + doc.created_by());
}

void CheckEtag(const std::string& given, const v1::Document& doc) {
  if (!given.empty() && given != doc.etag())
    throw StatusError(StatusCode::ABORTED, "etag: " + given + " is stale; the document is now at " + doc.etag());
}

void Require(std::optional<FieldError> error) {
  if (error) throw StatusError(StatusCode::INVALID_ARGUMENT, error->field + ": " + error->description);
}

std::string FilterFingerprint(const v1::DocumentFilter& filter, const std::string& extra = "") {
  std::string bytes;
  filter.SerializeToString(&bytes);  // deterministic enough for one server build and version
  return paging::Fingerprint(bytes + "\x1f" + extra);
}

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  void Update(std::string_view s) { EVP_DigestUpdate(ctx_, s.data(), s.size()); }
  std::string HexDigest() {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_, d, &n);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < n; ++i) {
      out += hex[d[i] >> 4];
      out += hex[d[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

const std::map<std::string, std::string_view>& MediaTypes() {
  // media type → magic bytes its files start with ("" = any, checked otherwise).
  static const std::map<std::string, std::string_view> kTypes = {
      {"application/pdf", "%PDF-"},
      {"application/msword", std::string_view("\xD0\xCF\x11\xE0", 4)},
      {"application/vnd.ms-excel", std::string_view("\xD0\xCF\x11\xE0", 4)},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
      {"application/zip", "PK\x03\x04"},
      {"image/png", "\x89PNG"},
      {"image/jpeg", "\xFF\xD8\xFF"},
      {"text/plain", ""},
  };
  return kTypes;
}

}  // namespace

bool IsAllowedMediaType(const std::string& media_type) {
  return MediaTypes().count(media_type) > 0;
}

bool ContentMatchesMediaType(const std::string& media_type, std::string_view head) {
  auto it = MediaTypes().find(media_type);
  if (it == MediaTypes().end()) return false;
  return head.substr(0, it->second.size()) == it->second;
}

DocumentService::DocumentService(Repository& repository, AttachmentReader& attachments, const auth::TokenStore& tokens,
                                 ServiceLimits limits, metrics::Registry* registry)
    : repository_(repository),
      attachments_(attachments),
      tokens_(tokens),
      limits_(limits),
      documents_cache_("document", limits.read_cache_bytes / 3, limits.read_cache_ttl, registry),
      list_cache_("list", limits.read_cache_bytes / 3, limits.read_cache_ttl, registry),
      search_cache_("search", limits.read_cache_bytes / 3, limits.read_cache_ttl, registry),
      downloads_(limits.downloads, registry) {}

void DocumentService::ReaderViewChanged() {
  documents_cache_.InvalidateAll();
  list_cache_.InvalidateAll();
  search_cache_.InvalidateAll();
}

Status DocumentService::CreateDocument(grpc::ServerContext* ctx, const v1::CreateDocumentRequest* req,
                                       v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    v1::Document doc = req->document();
    std::string request_id = req->request_id();
    Require(validate::Text(&request_id, "request_id", {64}));
    DocumentCode code;
    Require(ValidateDocument(&doc, &code));
    *out = repository_.Create(doc, code, p.unit, request_id);
    return Status::OK;
  });
}

Status DocumentService::GetDocument(grpc::ServerContext* ctx, const v1::GetDocumentRequest* req, v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    Visibility visibility = VisibilityOf(p);
    if (visibility.SeesUnpublished()) {
      auto doc = repository_.Get(id);
      if (!doc || !Sees(visibility, *doc))
        return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
      *out = std::move(*doc);
      return Status::OK;
    }
    bool found = documents_cache_.GetOrLoad(
        "id:" + id,
        [&]() -> std::optional<v1::Document> {
          auto d = repository_.Get(id);
          if (!d || d->status() != v1::PUBLISHED) return std::nullopt;
          return d;
        },
        out);
    if (!found) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
    return Status::OK;
  });
}

Status DocumentService::GetDocumentByCode(grpc::ServerContext* ctx, const v1::GetDocumentByCodeRequest* req,
                                          v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string code = req->code();
    Require(validate::Text(&code, "code", {80, true}));
    if (req->year() != 0 && (req->year() < 1945 || req->year() > 2100))
      return Status(StatusCode::INVALID_ARGUMENT, "year: must be 0 or between 1945 and 2100");
    std::string key = LookupKey(code);
    Visibility visibility = VisibilityOf(p);
    auto load = [&] { return repository_.GetByCode(key, req->year(), visibility); };
    bool found;
    if (visibility.SeesUnpublished()) {
      auto d = load();
      found = d.has_value();
      if (found) *out = std::move(*d);
    } else {
      found = documents_cache_.GetOrLoad("code:" + key + ":" + std::to_string(req->year()), load, out);
    }
    if (!found) return Status(StatusCode::NOT_FOUND, "code: no document " + code);
    return Status::OK;
  });
}

Status DocumentService::UpdateDocument(grpc::ServerContext* ctx, const v1::UpdateDocumentRequest* req,
                                       v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->document().name(), "document.name");
    std::vector<std::string> paths(req->update_mask().paths().begin(), req->update_mask().paths().end());
    Require(ResolveUpdateMask(req->document(), &paths));
    *out = repository_.Modify(
        id,
        [&](v1::Document& doc) {
          CheckOwner(p, doc);
          CheckEtag(req->document().etag(), doc);
          if (doc.status() == v1::WITHDRAWN)
            throw StatusError(StatusCode::FAILED_PRECONDITION, "document: a withdrawn document cannot change");
          for (const auto& path : paths) {
            if ((path == "code" || path == "issue_date") && doc.status() != v1::DRAFT)
              throw StatusError(StatusCode::FAILED_PRECONDITION,
                                "update_mask: " + path + " can change only while the document is a draft");
          }
          ApplyMask(req->document(), paths, &doc);
          DocumentCode code;
          if (auto e = ValidateDocument(&doc, &code)) Require(e);
          Mutation m;
          if (doc.status() == v1::PUBLISHED) m.event = EventKind::kUpdated;
          m.changed_fields = paths;
          return m;
        },
        p.unit);
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::PublishDocument(grpc::ServerContext* ctx, const v1::PublishDocumentRequest* req,
                                        v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    *out = repository_.ChangeStatus(
        id, {v1::PUBLISHED, "", EventKind::kPublished},
        [&](const v1::Document& doc) {
          CheckOwner(p, doc);
          CheckEtag(req->etag(), doc);
          if (doc.status() != v1::DRAFT)
            throw StatusError(StatusCode::FAILED_PRECONDITION, "name: only a draft can be published; this one is " +
                                                                   v1::DocumentStatus_Name(doc.status()));
        },
        p.unit);
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::WithdrawDocument(grpc::ServerContext* ctx, const v1::WithdrawDocumentRequest* req,
                                         v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    std::string reason = req->reason();
    Require(validate::Text(&reason, "reason", {500, false, true}));
    *out = repository_.ChangeStatus(
        id, {v1::WITHDRAWN, reason, EventKind::kWithdrawn},
        [&](const v1::Document& doc) {
          CheckOwner(p, doc);
          CheckEtag(req->etag(), doc);
          if (doc.status() != v1::PUBLISHED)
            throw StatusError(StatusCode::FAILED_PRECONDITION,
                              "name: only a published document can be withdrawn; this one is " +
                                  v1::DocumentStatus_Name(doc.status()));
        },
        p.unit);
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::DeleteDocument(grpc::ServerContext* ctx, const v1::DeleteDocumentRequest* req,
                                       v1::DeleteDocumentResponse*) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    repository_.Delete(id, [&](const v1::Document& doc) {
      CheckOwner(p, doc);
      CheckEtag(req->etag(), doc);
      if (doc.status() == v1::PUBLISHED)
        throw StatusError(StatusCode::FAILED_PRECONDITION, "name: withdraw a published document before deleting it");
    });
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::ListDocuments(grpc::ServerContext* ctx, const v1::ListDocumentsRequest* req,
                                      v1::ListDocumentsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    ListQuery q;
    q.filter = req->filter();
    Require(ValidateFilter(&q.filter));
    Require(validate::PageSize(req->page_size(), &q.limit));
    q.visibility = VisibilityOf(p);
    if (!q.visibility.SeesUnpublished()) {
      if (q.filter.status() != v1::DOCUMENT_STATUS_UNSPECIFIED && q.filter.status() != v1::PUBLISHED)
        return Status(StatusCode::PERMISSION_DENIED, "filter.status: readers see published documents only");
      q.filter.set_status(v1::PUBLISHED);
    }
    std::string fingerprint = FilterFingerprint(q.filter);
    if (!req->page_token().empty()) {
      auto cursor = paging::DecodeToken(req->page_token());
      if (!cursor || !cursor->contains("d") || !cursor->contains("s") || (*cursor)["f"] != fingerprint ||
          !(*cursor)["d"].is_string() || !(*cursor)["s"].is_number_integer())
        return Status(StatusCode::INVALID_ARGUMENT, "page_token: not a token of this listing (filters changed?)");
      q.after = std::make_pair((*cursor)["d"].get<std::string>(), (*cursor)["s"].get<int64_t>());
      Require(validate::IsoDate(q.after->first, "page_token", true));
    }
    auto load = [&] {
      std::optional<v1::ListDocumentsResponse> response(std::in_place);
      ListPage page = repository_.List(q);
      for (auto& d : page.documents) *response->add_documents() = std::move(d);
      if (page.last)
        response->set_next_page_token(
            paging::EncodeToken({{"d", page.last->first}, {"s", page.last->second}, {"f", fingerprint}}));
      return response;
    };
    if (q.visibility.SeesUnpublished())
      *out = std::move(*load());
    else
      list_cache_.GetOrLoad(fingerprint + ":" + std::to_string(q.limit) + ":" + req->page_token(), load, out);
    return Status::OK;
  });
}

Status DocumentService::SearchDocuments(grpc::ServerContext* ctx, const v1::SearchDocumentsRequest* req,
                                        v1::SearchDocumentsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string query = req->query();
    Require(validate::Text(&query, "query", {kMaxQueryChars, true}));
    SearchQuery q;
    q.tsquery = BuildTsQuery(query);
    q.phrase = BuildTsPhrase(query);
    if (q.tsquery.empty()) return Status(StatusCode::INVALID_ARGUMENT, "query: must contain a letter or a digit");
    q.filter = req->filter();
    Require(ValidateFilter(&q.filter));
    Require(validate::PageSize(req->page_size(), &q.limit));
    q.visibility = VisibilityOf(p);
    if (!q.visibility.SeesUnpublished()) {
      if (q.filter.status() != v1::DOCUMENT_STATUS_UNSPECIFIED && q.filter.status() != v1::PUBLISHED)
        return Status(StatusCode::PERMISSION_DENIED, "filter.status: readers see published documents only");
      q.filter.set_status(v1::PUBLISHED);
    }
    std::string fingerprint = FilterFingerprint(q.filter, q.tsquery);
    if (!req->page_token().empty()) {
      auto cursor = paging::DecodeToken(req->page_token());
      if (!cursor || (*cursor)["f"] != fingerprint || !(*cursor)["o"].is_number_integer())
        return Status(StatusCode::INVALID_ARGUMENT, "page_token: not a token of this search (query changed?)");
      q.offset = (*cursor)["o"].get<int>();
      if (q.offset < 0 || q.offset >= kMaxSearchResults)
        return Status(StatusCode::INVALID_ARGUMENT, "page_token: out of range");
    }
    auto load = [&] {
      std::optional<v1::SearchDocumentsResponse> response(std::in_place);
      auto docs = repository_.Search(q);
      bool more = static_cast<int>(docs.size()) == q.limit && q.offset + q.limit < kMaxSearchResults;
      for (auto& d : docs) *response->add_documents() = std::move(d);
      if (more) response->set_next_page_token(paging::EncodeToken({{"o", q.offset + q.limit}, {"f", fingerprint}}));
      return response;
    };
    if (q.visibility.SeesUnpublished())
      *out = std::move(*load());
    else
      search_cache_.GetOrLoad(fingerprint + ":" + std::to_string(q.offset) + ":" + std::to_string(q.limit), load, out);
    return Status::OK;
  });
}

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
    auto doc = repository_.Get(id);
    if (!doc) return Status(StatusCode::NOT_FOUND, "header.document: " + header.document() + " does not exist");
    CheckOwner(p, *doc, "header.document");

    std::string content;
    content.reserve(static_cast<size_t>(header.size_bytes()));
    Sha256 digest;
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
    *out = repository_.AddAttachment(id, meta, content, limits_.max_attachments_per_document);
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::DownloadAttachment(grpc::ServerContext* ctx, const v1::DownloadAttachmentRequest* req,
                                           grpc::ServerWriter<v1::DownloadAttachmentResponse>* writer) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto ids = ParseAttachmentName(req->name());
    if (!ids) return Status(StatusCode::INVALID_ARGUMENT, "name: must be documents/{uuid}/attachments/{uuid}");
    auto ticket = downloads_.TryEnter([ctx] { ctx->TryCancel(); });
    if (!ticket)
      return Status(StatusCode::RESOURCE_EXHAUSTED,
                    "download: " + std::to_string(limits_.downloads.concurrency) +
                        " downloads are running, the most this process serves at once (--download-concurrency); "
                        "retry later");
    Visibility visibility = VisibilityOf(p);
    const bool published_only = !(visibility.all || (visibility.SeesUnpublished() && [&] {
                                    auto doc = repository_.Get(ids->first);  // an editor: its own unit's only
                                    return doc && Sees(visibility, *doc);
                                  }()));
    auto meta = attachments_.Open(ids->first, ids->second, published_only);
    if (!meta) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
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
