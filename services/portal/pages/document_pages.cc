// The document pages' fetch parts: the document service's List/Search, Get and GetByCode calls (each through
// Clients::Prepare: the portal's token, a deadline, the request's trace), then the pure views.
#include <cctype>

#include "pages/document_query.h"
#include "pages/document_views.h"
#include "pages/pages.h"
#include "pages/status_page.h"
#include "platform/dates.h"

namespace cchc::portal {
namespace {

namespace dv1 = cchc::document::v1;
using pages::ErrorFromStatus;
using pages::ErrorPage;

constexpr const char* kService = "văn bản";
constexpr size_t kMaxLinkedDocuments = 20;  // related or replaced codes looked up per page

// A lower-case uuid, as the document service names documents (8-4-4-4-12 hex digits).
bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// The day the page is read for: ?date= (an archive view) or today in Asia/Ho_Chi_Minh.
std::string DayOf(const PageRequest& request) {
  if (!request.date.empty() && dates::ParseIso(request.date)) return request.date;
  return dates::ToIso(dates::VietnamDay());
}

// Each code linked to its document when the service finds it; a code it does not know stays text.
std::vector<pages::DocumentLink> Links(const Clients& clients, const PageRequest& request,
                                       const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::vector<pages::DocumentLink> out;
  for (const auto& code : codes) {
    pages::DocumentLink link{code, ""};
    if (out.size() < kMaxLinkedDocuments) {
      grpc::ClientContext context;
      clients.Prepare(context, request.traceparent);
      dv1::GetDocumentByCodeRequest req;
      req.set_code(code);
      dv1::Document found;
      if (clients.documents->GetDocumentByCode(&context, req, &found).ok()) link.id = pages::DocumentId(found.name());
    }
    out.push_back(std::move(link));
  }
  return out;
}

}  // namespace

PageContent DocumentListPage(const Clients& clients, const PageRequest& request) {
  std::string error;
  auto query = pages::ParseDocumentQuery(request, &error);
  if (!query) return ErrorPage(400, error);
  grpc::ClientContext context;
  clients.Prepare(context, request.traceparent);
  grpc::Status status;
  if (query->q.empty()) {
    dv1::ListDocumentsResponse out;
    status = clients.documents->ListDocuments(&context, pages::ListRequestOf(*query), &out);
    if (status.ok()) return pages::DocumentListView(*query, out.documents(), out.next_page_token());
  } else {
    dv1::SearchDocumentsResponse out;
    status = clients.documents->SearchDocuments(&context, pages::SearchRequestOf(*query), &out);
    if (status.ok()) return pages::DocumentListView(*query, out.documents(), out.next_page_token());
  }
  return ErrorFromStatus(status, kService, "Không tìm thấy văn bản.");
}

PageContent DocumentPage(const Clients& clients, const PageRequest& request) {
  auto it = request.path.find("id");
  const std::string not_found = "Không tìm thấy văn bản này. Văn bản có thể đã bị thu hồi hoặc địa chỉ không đúng.";
  if (it == request.path.end() || !IsUuid(it->second)) return ErrorPage(404, not_found);
  grpc::ClientContext context;
  clients.Prepare(context, request.traceparent);
  dv1::GetDocumentRequest req;
  req.set_name("documents/" + it->second);
  dv1::Document document;
  auto status = clients.documents->GetDocument(&context, req, &document);
  if (!status.ok()) return ErrorFromStatus(status, kService, not_found);
  return pages::DocumentView(document, Links(clients, request, document.related_codes()),
                             Links(clients, request, document.replaces_codes()), DayOf(request));
}

}  // namespace cchc::portal
