#pragma once
// The portal's HTTP server (cpp-httplib): every page through one path — the route's answer, the layout around
// it (header of the day, breadcrumb, sidebar), conditional GETs for cacheable pages (ETag, Last-Modified, 304)
// and no-store for the rest, one RecordView after an article is rendered, the security headers (a strict
// Content-Security-Policy) on every answer, gzip (and brotli) by the client's Accept-Encoding, keep-alive.
// Also /livez, /readyz, /static/portal.css and the attachment downloads streamed from the document service.
#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "clients.h"
#include "layout.h"
#include "options.h"
#include "portal_metrics.h"
#include "router.h"

namespace cchc::portal {

// The Content-Security-Policy of every answer: the portal's own stylesheet and images, forms to itself only,
// no script, no frames.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

// The routes the portal serves (one line each). The pages of documents and rankings (services/portal/pages/)
// are added here at merge.
std::vector<Route> PortalRoutes();

class PortalServer {
 public:
  PortalServer(const PortalOptions& options, Clients clients, Channels channels, std::string csrf_secret,
               metrics::Registry& registry, std::vector<Route> routes = PortalRoutes());
  ~PortalServer();

  // Binds --http-address (port 0: any free port); throws std::runtime_error naming it when it cannot.
  void Bind();
  int Port() const { return port_; }
  // Serves until Stop(); returns when the last request in flight is answered.
  void Serve();
  // /readyz answers 503 from now on (the drain is coming).
  void SetUnready() { ready_ = false; }
  void Stop();

 private:
  void Handle(const httplib::Request& req, httplib::Response& res);
  void Download(const httplib::Request& req, httplib::Response& res, const std::string& document_id,
                const std::string& file, const std::string& traceparent, const PageDay& day);
  void Render(const httplib::Request& req, httplib::Response& res, const RouteAnswer& answer, const PageDay& day,
              const std::string& traceparent);

  PortalOptions options_;
  Clients clients_;
  Channels channels_;
  std::string secret_;
  PortalMetrics metrics_;
  std::vector<Route> routes_;
  SidebarSettings sidebar_;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<bool> ready_{true};
  int port_ = 0;
};

}  // namespace cchc::portal
