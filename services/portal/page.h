#pragma once
// The contract between the portal's HTTP layer (server, layout, caching: services/portal/) and its pages
// (services/portal/pages/): a page reads what it needs from the services and answers a PageContent; the HTTP
// layer wraps it in the layout (header of the day, breadcrumb, sidebar), sets ETag/Last-Modified or no-store,
// compresses it and renders the Vietnamese error page for a status other than 200.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/news/v1/news.grpc.pb.h"
#include "cchc/notification/v1/notification.grpc.pb.h"
#include "cchc/scoring/v1/scoring.grpc.pb.h"

namespace cchc::portal {

// The four services as the portal calls them: its own token (roles reader and portal), a deadline per call.
struct Clients {
  std::shared_ptr<cchc::document::v1::DocumentService::Stub> documents;
  std::shared_ptr<cchc::news::v1::NewsService::Stub> news;
  std::shared_ptr<cchc::scoring::v1::ScoringService::Stub> scoring;
  std::shared_ptr<cchc::notification::v1::NotificationService::Stub> notification;
  std::string token;                         // sent as "authorization: Bearer <token>"
  std::chrono::milliseconds deadline{2000};  // per call
  // Sets the token, the deadline and the request's trace on a context before a call.
  void Prepare(grpc::ClientContext& context, const std::string& traceparent) const;
};

// What a route is asked: path and query parameters, percent-decoded UTF-8 (the services fold and normalise).
struct PageRequest {
  std::map<std::string, std::string> path;   // e.g. {"year", "2015"}, {"kind", "tinh"}, {"id", "…"}
  std::map<std::string, std::string> query;  // e.g. {"q", "cai cach"}, {"page_token", "…"}
  std::string date;                          // ?date=YYYY-MM-DD (an archive view), else empty: today
  std::string traceparent;                   // the trace the portal continues on its gRPC calls
};

// What a page answers before the layout wraps it.
struct PageContent {
  int status = 200;     // 400, 404, 503: the layout renders the Vietnamese error page, `message` its text
  std::string message;  // for an error status: what to tell the reader (Vietnamese)
  std::string title;    // <title> and the page's <h1>
  std::vector<std::pair<std::string, std::string>> breadcrumb;  // (label, href); href empty for the last
  std::string main_html;  // the page's body, rendered by its template (escaping on)
  // Validators for conditional GETs; both empty means the page is not cacheable (Cache-Control: no-store).
  std::string etag_source;            // any string that changes when the content does (hashed by the layer)
  std::string last_modified_rfc1123;  // e.g. "Tue, 19 Jun 2018 03:00:00 GMT"
};

}  // namespace cchc::portal
