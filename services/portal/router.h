#pragma once
// The portal's routes: one line each, (method, pattern) → a function of the clients and the request. Patterns
// are literal segments and {name} placeholders ("/van-ban/{id}"); a placeholder takes one non-empty segment,
// percent-decoded, into PageRequest::path. Pages that only read (the pages/ library's) are adapted by Page();
// routes that count a view, redirect or answer a status of their own return a RouteAnswer directly.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "page.h"

namespace cchc::portal {

// Who asks, as the HTTP layer knows it.
struct Visitor {
  std::string client_id;   // the hashed client address (security.h), passed to the news service on a comment
  std::string csrf_token;  // a fresh token for the forms this answer renders
  bool csrf_ok = false;    // the request carried a valid token in its "csrf" field (POSTs)
};

struct RouteAnswer {
  PageContent page;
  int http_status = 0;      // 0: page.status; else this status with the page's own content (a form's error)
  std::string redirect;     // non-empty: 303 See Other to this path, nothing rendered
  std::string record_view;  // articles/{id}: one RecordView after the page is rendered
};

// An answer that is just `page`.
RouteAnswer Answer(PageContent page);

using RouteFn = std::function<RouteAnswer(const Clients&, const PageRequest&, const Visitor&)>;
using PageFn = PageContent (*)(const Clients&, const PageRequest&);

// A read-only page as a route.
RouteFn Page(PageFn page);

struct Route {
  std::string method;   // "GET" or "POST"
  std::string pattern;  // "/cai-cach-hanh-chinh/{slug}"
  RouteFn handler;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> path;
  bool other_method = false;  // the path matched a route of another method only (405)
};

// The first route whose method and pattern match `path` (already percent-decoded), with its placeholders.
RouteMatch MatchRoute(const std::vector<Route>& routes, std::string_view method, std::string_view path);

// The placeholders of `pattern` in `path`; nullopt when it does not match.
std::optional<std::map<std::string, std::string>> MatchPattern(std::string_view pattern, std::string_view path);

}  // namespace cchc::portal
