#pragma once
// The layout every page is wrapped in (bố cục): the Sở's header with the day's Vietnamese date and the school
// year's theme (chủ đề năm học), the breadcrumb, the page, and the sidebar of the field's documents as they
// stood that day. What it needs is fetched once per request (FetchLayoutParts: a service that does not answer
// leaves its part "unavailable", never the page); rendering is a pure function.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "day.h"
#include "page.h"

namespace cchc::portal {

// Characters of a trích yếu the sidebar shows before it cuts at a word boundary and adds " ..." (as the seed).
inline constexpr size_t kSidebarSubjectChars = 100;

struct Sidebar {
  bool available = true;  // false: the document service did not answer
  std::string field;      // lĩnh vực, "Cải cách hành chính"
  std::vector<document::v1::Document> documents;
};

struct LayoutParts {
  PageDay day;
  bool theme_available = true;  // false: the news service did not answer
  std::string theme;            // chủ đề năm học of the day; empty when no school year holds it
  Sidebar sidebar;
};

struct SidebarSettings {
  std::string field = "Cải cách hành chính";
  int documents = 30;
};

// The theme of `day` and the newest published documents of the field issued on or before it.
LayoutParts FetchLayoutParts(const Clients& clients, const SidebarSettings& settings, const PageDay& day,
                             const std::string& traceparent);

// The whole HTML document: the layout around `page` (its main_html, or the Vietnamese error page for a status
// other than 200).
std::string RenderLayout(const LayoutParts& parts, const PageContent& page);

// What of the layout changes the bytes of a page, for its entity tag.
std::string LayoutFingerprint(const LayoutParts& parts);

// The Vietnamese error page's content for `status` (400, 404, 429, 503, …) with `message` for the reader.
PageContent ErrorPage(int status, const std::string& message);
// The error page a failed gRPC call leads to: NOT_FOUND 404, INVALID_ARGUMENT 400, RESOURCE_EXHAUSTED 429,
// anything else 503 (a service missing, down or refusing the portal). `what` names what was asked, in Vietnamese.
PageContent ErrorFromStatus(const grpc::Status& status, const std::string& what);

// "documents/{id}" → "/van-ban/{id}".
std::string DocumentHref(const std::string& document_name);

}  // namespace cchc::portal
