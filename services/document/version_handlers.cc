// DocumentService's version RPCs (phiên bản, issue 29): the versions an update keeps (store/versions.h). Editors of
// the document's unit and admin only: a published document's earlier versions include its text before publication,
// which was never public, and the portal shows the current text; to another unit's editor a draft or withdrawn
// document does not exist (NOT_FOUND) and a published one's history is PERMISSION_DENIED (CheckOwner).
#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/validate.h"
#include "rules/versions.h"
#include "service.h"
#include "service_checks.h"

namespace cchc::document {
namespace {

using grpc::Status;
using grpc::StatusCode;

// The next page of a document's versions: the number to continue below, bound to the document.
constexpr paging::CursorShape<int64_t> kVersionCursor{{"v"}, "listing of versions (another document?)"};

}  // namespace

Status DocumentService::ListDocumentVersions(grpc::ServerContext* ctx, const v1::ListDocumentVersionsRequest* req,
                                             v1::ListDocumentVersionsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = RequireDocumentId(req->parent(), "parent");
    int limit = 0;
    Require(validate::PageSize(req->page_size(), &limit));
    int64_t below = 0;
    if (!req->page_token().empty()) {
      std::tie(below) = kVersionCursor.Decode(req->page_token(), id);
      if (below < 2)
        throw DomainError(DomainErrorKind::kInvalid, "page_token: out of range", platform::v1::INVALID_PAGE_TOKEN);
    }
    auto page = versions_.List(id, below, limit, [&](const v1::Document& doc) { CheckOwner(p, doc, "parent"); });
    for (auto& v : page.versions) *out->add_versions() = std::move(v);
    if (page.next != 0) out->set_next_page_token(kVersionCursor.Encode(id, page.next));
    return Status::OK;
  });
}

Status DocumentService::GetDocumentVersion(grpc::ServerContext* ctx, const v1::GetDocumentVersionRequest* req,
                                           v1::DocumentVersion* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    auto name = ParseVersionName(req->name());
    if (!name)
      return error_details::ErrorStatus(StatusCode::INVALID_ARGUMENT,
                                        "name: must be documents/{uuid}/versions/{n}, n from 1",
                                        platform::v1::INVALID_NAME);
    auto version =
        versions_.Get(name->first, name->second, [&](const v1::Document& doc) { CheckOwner(p, doc, "name"); });
    if (!version)
      return Status(StatusCode::NOT_FOUND,
                    "name: " + req->name() + " does not exist (never made, or dropped past --max-document-versions)");
    *out = std::move(*version);
    return Status::OK;
  });
}

}  // namespace cchc::document
