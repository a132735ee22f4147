#include "router.h"

namespace cchc::portal {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

RouteAnswer Answer(PageContent page) {
  RouteAnswer out;
  out.page = std::move(page);
  return out;
}

RouteFn Page(PageFn page) {
  return [page](const Clients& clients, const PageRequest& request, const Visitor&) {
    return Answer(page(clients, request));
  };
}

std::optional<std::map<std::string, std::string>> MatchPattern(std::string_view pattern, std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  auto want = Segments(pattern), got = Segments(path);
  if (want.size() != got.size()) return std::nullopt;
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < want.size(); ++i) {
    std::string_view w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return std::nullopt;
      out.emplace(std::string(w.substr(1, w.size() - 2)), std::string(got[i]));
    } else if (w != got[i]) {
      return std::nullopt;
    }
  }
  return out;
}

RouteMatch MatchRoute(const std::vector<Route>& routes, std::string_view method, std::string_view path) {
  RouteMatch out;
  for (const auto& r : routes) {
    auto params = MatchPattern(r.pattern, path);
    if (!params) continue;
    if (r.method != method) {
      out.other_method = true;
      continue;
    }
    out.route = &r;
    out.path = std::move(*params);
    out.other_method = false;
    return out;
  }
  return out;
}

}  // namespace cchc::portal
