#include "service.h"

#include <map>

#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/text.h"
#include "platform/validate.h"
#include "rules/validation.h"
#include "service_checks.h"
#include "store/document_rows.h"

namespace cchc::document {
namespace {

constexpr paging::CursorShape<std::string, int64_t> kListCursor{{"d", "s"}, "listing (filters changed?)"};

using grpc::Status;
using grpc::StatusCode;

std::string FilterFingerprint(const v1::DocumentFilter& filter, const std::string& extra = "") {
  std::string bytes;
  filter.SerializeToString(&bytes);  // deterministic enough for one server build and version
  return paging::Fingerprint(bytes + "\x1f" + extra);
}

}  // namespace

DocumentService::DocumentService(DocumentStore& documents, AttachmentStore& attachments, SearchStore& search,
                                 RegisterStore& registers, AuditStore& audit, const auth::TokenStore& tokens,
                                 ServiceLimits limits, metrics::Registry* registry, Clock clock)
    : documents_(documents),
      attachments_(attachments),
      versions_(documents.pool()),
      search_(search),
      registers_(registers),
      audit_(audit),
      tokens_(tokens),
      limits_(limits),
      documents_cache_("document", limits.read_cache_bytes / 3, limits.read_cache_ttl, registry),
      list_cache_("list", limits.read_cache_bytes / 3, limits.read_cache_ttl, registry),
      search_cache_("search", limits.read_cache_bytes / 3, limits.read_cache_ttl, registry),
      downloads_(limits.downloads, registry),
      clock_(std::move(clock)) {}

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
    *out = CreateInRegister(p, doc, code, request_id, req->reservation());
    return Status::OK;
  });
}

Status DocumentService::GetDocument(grpc::ServerContext* ctx, const v1::GetDocumentRequest* req, v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    Visibility visibility = VisibilityOf(p);
    if (visibility.SeesUnpublished()) {
      auto doc = documents_.Get(id);
      if (!doc || !Sees(visibility, *doc))
        return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " does not exist");
      AuditDraftRead(p, *doc);
      *out = std::move(*doc);
      return Status::OK;
    }
    bool found = documents_cache_.GetOrLoad(
        "id:" + id,
        [&]() -> std::optional<v1::Document> {
          auto d = documents_.Get(id);
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
    auto load = [&] { return documents_.GetByCode(key, req->year(), visibility); };
    bool found;
    if (visibility.SeesUnpublished()) {
      auto d = load();
      found = d.has_value();
      if (found) {
        AuditDraftRead(p, *d);
        *out = std::move(*d);
      }
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
    *out = documents_.Modify(
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
          Mutation m;
          Require(ValidateDocument(&doc, &m.code));
          if (doc.status() == v1::PUBLISHED) m.event = EventKind::kUpdated;
          m.changed_fields = paths;
          return m;
        },
        ActorOf(p));
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::PublishDocument(grpc::ServerContext* ctx, const v1::PublishDocumentRequest* req,
                                        v1::Document* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    *out = documents_.ChangeStatus(
        id, {v1::PUBLISHED, "", EventKind::kPublished},
        [&](const v1::Document& doc) {
          CheckOwner(p, doc);
          CheckEtag(req->etag(), doc);
          if (doc.status() != v1::DRAFT)
            throw StatusError(StatusCode::FAILED_PRECONDITION, "name: only a draft can be published; this one is " +
                                                                   v1::DocumentStatus_Name(doc.status()));
        },
        ActorOf(p));
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
    *out = documents_.ChangeStatus(
        id, {v1::WITHDRAWN, reason, EventKind::kWithdrawn},
        [&](const v1::Document& doc) {
          CheckOwner(p, doc);
          CheckEtag(req->etag(), doc);
          if (doc.status() != v1::PUBLISHED)
            throw StatusError(StatusCode::FAILED_PRECONDITION,
                              "name: only a published document can be withdrawn; this one is " +
                                  v1::DocumentStatus_Name(doc.status()));
        },
        ActorOf(p));
    ReaderViewChanged();
    return Status::OK;
  });
}

Status DocumentService::DeleteDocument(grpc::ServerContext* ctx, const v1::DeleteDocumentRequest* req,
                                       v1::DeleteDocumentResponse*) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->name(), "name");
    documents_.Delete(
        id,
        [&](const v1::Document& doc) {
          CheckOwner(p, doc);
          CheckEtag(req->etag(), doc);
          if (doc.status() == v1::PUBLISHED)
            throw StatusError(StatusCode::FAILED_PRECONDITION,
                              "name: withdraw a published document before deleting it");
        },
        ActorOf(p));
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
    if (!v1::DocumentView_IsValid(req->view()))
      return Status(StatusCode::INVALID_ARGUMENT, "view: BASIC, FULL or unset");
    const v1::DocumentView view = req->view() == v1::BASIC ? v1::BASIC : v1::FULL;
    q.visibility = VisibilityOf(p);
    if (!q.visibility.SeesUnpublished()) {
      if (q.filter.status() != v1::DOCUMENT_STATUS_UNSPECIFIED && q.filter.status() != v1::PUBLISHED)
        return Status(StatusCode::PERMISSION_DENIED, "filter.status: readers see published documents only");
      q.filter.set_status(v1::PUBLISHED);
    }
    std::string fingerprint = FilterFingerprint(q.filter);
    if (!req->page_token().empty()) {
      auto [date, seq] = kListCursor.Decode(req->page_token(), fingerprint);
      Require(validate::IsoDate(date, "page_token", true));
      q.after = std::make_pair(date, seq);
    }
    auto load = [&] {
      std::optional<v1::ListDocumentsResponse> response(std::in_place);
      std::optional<ListPage> prepared = documents_.ListPrepared(q, view);
      ListPage page = prepared ? std::move(*prepared) : search_.List(q);
      if (!prepared && view == v1::BASIC)
        for (auto& d : page.documents) KeepBasic(&d);
      for (auto& d : page.documents) *response->add_documents() = std::move(d);
      if (page.last)
        response->set_next_page_token(kListCursor.Encode(fingerprint, page.last->first, page.last->second));
      return response;
    };
    if (q.visibility.SeesUnpublished())
      *out = std::move(*load());
    else
      list_cache_.GetOrLoad(
          fingerprint + ":" + std::to_string(q.limit) + ":" + std::to_string(view) + ":" + req->page_token(), load,
          out);
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
    q.offset = paging::DecodeSearchOffset(req->page_token(), fingerprint, kMaxSearchResults);
    auto load = [&] {
      std::optional<v1::SearchDocumentsResponse> response(std::in_place);
      auto docs = search_.Search(q);
      bool more = static_cast<int>(docs.size()) == q.limit && q.offset + q.limit < kMaxSearchResults;
      for (auto& d : docs) *response->add_documents() = std::move(d);
      if (more) response->set_next_page_token(paging::kSearchCursor.Encode(fingerprint, q.offset + q.limit));
      return response;
    };
    if (q.visibility.SeesUnpublished())
      *out = std::move(*load());
    else
      search_cache_.GetOrLoad(fingerprint + ":" + std::to_string(q.offset) + ":" + std::to_string(q.limit), load, out);
    return Status::OK;
  });
}

}  // namespace cchc::document
