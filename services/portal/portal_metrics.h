#pragma once
// The portal's metrics on /metrics (platform/metrics.h), looked up once.
#include <string>

#include "platform/metrics.h"

namespace cchc::portal {

struct PortalMetrics {
  explicit PortalMetrics(metrics::Registry& registry);

  // One request answered: its route pattern ("/cai-cach-hanh-chinh/{slug}", "static", "unmatched", …), method and
  // status code; and its duration.
  void Observe(const std::string& route, const std::string& method, int status, double seconds);

  metrics::Family<metrics::Counter>& requests;     // cchc_portal_http_requests_total{route,method,code}
  metrics::Family<metrics::Histogram>& durations;  // cchc_portal_http_request_seconds{route}
  metrics::Counter& views_recorded;                // cchc_portal_views_recorded_total
  metrics::Counter& view_failures;                 // cchc_portal_view_failures_total
  metrics::Counter& comments_submitted;            // cchc_portal_comments_submitted_total
  metrics::Counter& download_bytes;                // cchc_portal_download_bytes_total
  metrics::Gauge& in_flight;                       // cchc_portal_http_requests_in_flight
};

}  // namespace cchc::portal
