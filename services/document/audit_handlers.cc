// DocumentService's audit trail (nhật ký): ListAuditEvents, and the draft reads it records. The writes record
// theirs in their stores' statements (store/documents.cc); downloads in attachment_handlers.cc.
#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/validate.h"
#include "rules/audit_filter.h"
#include "service.h"
#include "service_checks.h"

namespace cchc::document {
namespace {

constexpr paging::CursorShape<int64_t, int64_t> kAuditCursor{{"t", "i"}, "audit listing (filters changed?)"};

}  // namespace

void DocumentService::AuditDraftRead(const auth::Principal& p, const v1::Document& doc) {
  if (doc.status() != v1::DRAFT) return;
  audit_.Append(ActorOf(p), v1::AuditAction::READ_DRAFT, doc.name(),
                doc.name().substr(std::string("documents/").size()), doc.code());
}

grpc::Status DocumentService::ListAuditEvents(grpc::ServerContext* ctx, const v1::ListAuditEventsRequest* req,
                                              v1::ListAuditEventsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    AuditFilter filter;
    Require(ParseAuditFilter(*req, &filter));
    AuditQuery q;
    Require(validate::PageSize(req->page_size(), &q.limit));
    const std::string fingerprint = paging::Fingerprint(AuditFilterKey(filter));
    if (!req->page_token().empty()) {
      auto [at, id] = kAuditCursor.Decode(req->page_token(), fingerprint);
      q.after = std::make_pair(at, id);
    }
    q.document_id = filter.document_id;
    q.principal = filter.principal;
    q.action = filter.action;
    q.start_us = filter.start_us;
    q.end_us = filter.end_us;
    AuditPage page = audit_.List(q);
    for (auto& e : page.events) *out->add_events() = std::move(e);
    if (page.last) out->set_next_page_token(kAuditCursor.Encode(fingerprint, page.last->first, page.last->second));
    return grpc::Status::OK;
  });
}

}  // namespace cchc::document
