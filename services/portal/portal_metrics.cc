#include "portal_metrics.h"

namespace cchc::portal {

PortalMetrics::PortalMetrics(metrics::Registry& r)
    : requests(r.AddCounter("cchc_portal_http_requests_total", "HTTP requests answered, by route, method and code",
                            {"route", "method", "code"})),
      durations(r.AddHistogram("cchc_portal_http_request_seconds", "Time to answer an HTTP request, by route",
                               {"route"}, metrics::LatencyBuckets())),
      views_recorded(
          r.AddCounter("cchc_portal_views_recorded_total", "Article views recorded (RecordView OK)").WithLabels({})),
      view_failures(
          r.AddCounter("cchc_portal_view_failures_total", "Article views RecordView did not take").WithLabels({})),
      comments_submitted(
          r.AddCounter("cchc_portal_comments_submitted_total", "Comments SubmitComment took").WithLabels({})),
      download_bytes(
          r.AddCounter("cchc_portal_download_bytes_total", "Attachment bytes streamed to readers").WithLabels({})),
      in_flight(r.AddGauge("cchc_portal_http_requests_in_flight", "HTTP requests being answered").WithLabels({})) {}

void PortalMetrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  requests.WithLabels({route, method, std::to_string(status)}).Increment();
  durations.WithLabels({route}).Observe(seconds);
}

}  // namespace cchc::portal
