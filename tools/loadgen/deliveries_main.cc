// cchc-loadgen-deliveries: does one dead webhook endpoint slow the healthy ones? Runs in-process a healthy
// webhook receiver (one HTTP server on 127.0.0.1; the --healthy endpoints are its URLs /hook/0 … /hook/N-1)
// and a black hole (another 127.0.0.1 port that accepts connections and never reads or answers). Creates one
// subscriber per healthy endpoint (webhook channel, immediate, cchc.document.v1.DocumentPublished), then
// publishes documents through the document service at --rate events/s in --pairs pairs of --phase-seconds
// phases: WITH one more subscriber whose webhook is the black hole, then WITHOUT it (deleted, its deliveries
// with it). A healthy delivery's latency is the time the receiver has the whole POST minus the start of the
// PublishDocument call of its document (the webhook body's notification.event.subject names it). After each
// phase's publishing the tool waits up to --drain-seconds for that phase's healthy deliveries (those still
// missing then count as missing, and enter the percentiles at the time waited: the phase's figures are then
// lower bounds), and before the next phase up to --settle-seconds for earlier phases' stragglers. Prints one
// JSON line per phase and a summary line. Loopback only. Settings: --help.
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <iostream>
#include <thread>

#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/notification/v1/notification.grpc.pb.h"
#include "delivery_ledger.h"
#include "drafts.h"
#include "driver.h"
#include "webhook_receiver.h"

namespace {

using namespace cchc::loadgen;
namespace dv1 = cchc::document::v1;
namespace nv1 = cchc::notification::v1;
using Clock = std::chrono::steady_clock;

constexpr const char* kEventType = "cchc.document.v1.DocumentPublished";
constexpr const char* kDeadId = "LGD-DEAD";

struct Options {
  std::string document_address = "127.0.0.1:50181", notification_address = "127.0.0.1:50184";
  std::string editor_token, admin_token;
  double rate = 5, phase_seconds = 30, warmup_seconds = 3, drain_seconds = 15, settle_seconds = 5;
  int pairs = 3, healthy = 100;
  int64_t webhook_timeout_ms = 5000;
  std::string run_id;
  bool keep_subscribers = false;
};

std::string HealthyId(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "LGD-H%03d", i);
  return id;
}

void DeleteSubscriber(nv1::NotificationService::Stub& stub, const Options& o, const std::string& id) {
  nv1::DeleteSubscriberRequest req;
  req.set_name("subscribers/" + id);
  google::protobuf::Empty out;
  auto status = stub.DeleteSubscriber(BearerContext(o.admin_token).get(), req, &out);
  if (status.error_code() != grpc::StatusCode::NOT_FOUND) Must(status, "DeleteSubscriber " + id);
}

// A webhook subscriber to every DocumentPublished, delivered immediately.
void CreateWebhookSubscriber(nv1::NotificationService::Stub& stub, const Options& o, const std::string& id,
                             const std::string& url) {
  nv1::CreateSubscriberRequest sreq;
  auto* s = sreq.mutable_subscriber();
  s->set_id(id);
  s->set_display_name("Đo hiệu năng webhook " + id);
  s->set_kind(nv1::SYSTEM);
  s->set_unit("BENCH");
  s->set_webhook_url(url);
  // No webhook_secret: the service generates one (the benchmark receiver does not verify signatures).
  nv1::Subscriber subscriber;
  Must(stub.CreateSubscriber(BearerContext(o.admin_token).get(), sreq, &subscriber), "CreateSubscriber " + id);
  nv1::CreateSubscriptionRequest req;
  req.set_parent("subscribers/" + id);
  req.mutable_subscription()->set_event_type(kEventType);
  auto* channel = req.mutable_subscription()->add_channels();
  channel->set_channel(nv1::WEBHOOK);
  channel->set_mode(nv1::IMMEDIATE);
  nv1::Subscription sub;
  Must(stub.CreateSubscription(BearerContext(o.admin_token).get(), req, &sub), "CreateSubscription " + id);
}

// Publishes events [first, first + count) at the rate, without waiting for the answers.
// The ledger is shared with the calls' callbacks, which may outlive an early return.
void Publish(dv1::DocumentService::Stub& stub, const Options& o, const std::shared_ptr<DeliveryLedger>& ledger,
             int first, int count) {
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    dv1::PublishDocumentRequest request;
    dv1::Document response;
  };
  auto begin = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(begin + std::chrono::microseconds(static_cast<int64_t>(i * 1e6 / o.rate)));
    auto* call = new Call;
    call->context = BearerContext(o.editor_token);
    call->request.set_name(ledger->Name(first + i));
    ledger->Published(first + i);
    stub.async()->PublishDocument(call->context.get(), &call->request, &call->response,
                                  [ledger, call, event = first + i](grpc::Status status) {
                                    ledger->Answered(event, status);
                                    delete call;
                                  });
  }
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int Run(const Options& o) {
  auto shared = std::make_shared<DeliveryLedger>(o.healthy);
  DeliveryLedger& ledger = *shared;
  WebhookReceiver receiver([&ledger](std::string_view path, std::string_view body, Clock::time_point at) {
    ledger.Received(path, body, at);
  });
  auto nstub = nv1::NotificationService::NewStub(
      grpc::CreateChannel(o.notification_address, grpc::InsecureChannelCredentials()));
  auto dstub =
      dv1::DocumentService::NewStub(grpc::CreateChannel(o.document_address, grpc::InsecureChannelCredentials()));
  const std::string base = "http://127.0.0.1:" + std::to_string(receiver.port());
  const std::string dead_url = "http://127.0.0.1:" + std::to_string(receiver.black_hole_port()) + "/hook/dead";

  // Subscribers of an earlier run in the same stack go first (with their pending deliveries).
  DeleteSubscriber(*nstub, o, kDeadId);
  for (int i = 0; i < o.healthy; ++i) DeleteSubscriber(*nstub, o, HealthyId(i));
  for (int i = 0; i < o.healthy; ++i)
    CreateWebhookSubscriber(*nstub, o, HealthyId(i), base + "/hook/" + std::to_string(i));

  const int warm = static_cast<int>(o.rate * o.warmup_seconds);
  const int per_phase = static_cast<int>(o.rate * o.phase_seconds);
  const int phases = 2 * o.pairs;
  std::vector<int> first{0};  // first event of each phase; phase 0 is the warm-up
  for (int p = 1; p <= phases + 1; ++p) first.push_back(warm + (p - 1) * per_phase);
  auto names = CreateDrafts(*dstub, o.editor_token,
                            {"D" + o.run_id, "Kế hoạch chuyển đổi số năm 2026, bản đo giao nhận số", "Chuyển đổi số"},
                            first.back());
  std::vector<int> phase_of(names.size());
  for (int p = 0; p <= phases; ++p)
    for (int i = first[p]; i < first[p + 1]; ++i) phase_of[i] = p;
  ledger.SetEvents(names, phase_of, phases + 1);

  auto seconds = [](double s) { return std::chrono::microseconds(static_cast<int64_t>(s * 1e6)); };
  // Warm-up, not reported: the stack's pools, consumer and workers awake, no dead endpoint.
  Publish(*dstub, o, shared, first[0], first[1] - first[0]);
  ledger.WaitPhase(0, Clock::now() + seconds(o.drain_seconds));

  std::vector<PhaseFigures> figures;
  bool dead = false;
  for (int p = 1; p <= phases; ++p) {
    const bool with = p % 2 == 1;
    if (with && !dead) CreateWebhookSubscriber(*nstub, o, kDeadId, dead_url);
    if (!with && dead) DeleteSubscriber(*nstub, o, kDeadId);
    dead = with;
    ledger.WaitEarlier(p, Clock::now() + seconds(o.settle_seconds));
    auto begin = Clock::now();
    const int64_t held_before = receiver.black_hole_connections();
    Publish(*dstub, o, shared, first[p], first[p + 1] - first[p]);
    auto published_end = Clock::now();
    ledger.WaitPhase(p, published_end + seconds(o.drain_seconds));
    PhaseFigures f = ledger.Figures(p, begin, published_end, Clock::now());
    f.pair = (p + 1) / 2;
    f.with_dead = with;
    f.black_hole_connections = receiver.black_hole_connections() - held_before;
    std::cout << f.ToJson().dump() << std::endl;
    figures.push_back(f);
  }
  if (dead) DeleteSubscriber(*nstub, o, kDeadId);
  ledger.WaitAnswers(Clock::now() + std::chrono::seconds(15));  // no callback may outlive the ledger

  std::vector<double> p99_with, p99_without, pair_ratios;
  double max_with = 0;
  bool lower_bound = false;
  for (const auto& f : figures) {
    (f.with_dead ? p99_with : p99_without).push_back(f.p99_ms);
    if (f.with_dead) max_with = std::max(max_with, f.max_ms);
    if (f.with_dead && f.missing > 0) lower_bound = true;
  }
  for (size_t i = 0; i + 1 < figures.size(); i += 2)
    if (figures[i + 1].p99_ms > 0) pair_ratios.push_back(figures[i].p99_ms / figures[i + 1].p99_ms);
  const double with_median = Median(p99_with), without_median = Median(p99_without);
  const double ratio = without_median > 0 ? with_median / without_median : 0;
  int64_t missing = 0, missing_without = 0;
  for (const auto& f : figures) missing += f.missing, missing_without += f.with_dead ? 0 : f.missing;
  nlohmann::json summary = {{"rate", o.rate},
                            {"phase_seconds", o.phase_seconds},
                            {"pairs", o.pairs},
                            {"healthy_endpoints", o.healthy},
                            {"median_p99_with_ms", with_median},
                            {"median_p99_without_ms", without_median},
                            {"ratio_p99_with_over_without", ratio},
                            {"median_pair_ratio", Median(pair_ratios)},
                            {"pair_ratios", pair_ratios},
                            {"max_healthy_with_ms", max_with},
                            {"with_figures_are_lower_bounds", lower_bound},
                            {"webhook_timeout_ms", o.webhook_timeout_ms},
                            {"healthy_missing", missing},
                            // False: the service did not keep up with the rate even without the dead endpoint,
                            // and the ratio compares two saturated, backlogged runs.
                            {"baseline_kept_up", missing_without == 0},
                            {"ratio_at_most_1_25", ratio > 0 && ratio <= 1.25 && !lower_bound && missing_without == 0},
                            {"max_below_webhook_timeout", max_with < o.webhook_timeout_ms && !lower_bound}};
  summary.update(ledger.Totals());
  summary["webhook_requests"] = receiver.requests();
  summary["malformed_requests"] = receiver.malformed();
  std::cout << nlohmann::json{{"summary", summary}}.dump() << std::endl;

  if (!o.keep_subscribers)
    for (int i = 0; i < o.healthy; ++i) DeleteSubscriber(*nstub, o, HealthyId(i));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen-deliveries: healthy webhook latency with and without one dead endpoint"};
  Options o;
  app.add_option("--document-address", o.document_address)->capture_default_str();
  app.add_option("--notification-address", o.notification_address)->capture_default_str();
  app.add_option("--editor-token", o.editor_token, "Document editor")->required();
  app.add_option("--admin-token", o.admin_token, "Notification admin")->required();
  app.add_option("--rate", o.rate, "Events (documents published) per second")
      ->check(CLI::Range(0.5, 100.0))
      ->capture_default_str();
  app.add_option("--phase-seconds", o.phase_seconds, "Seconds of publishing per phase")
      ->check(CLI::Range(1.0, 600.0))
      ->capture_default_str();
  app.add_option("--pairs", o.pairs, "Pairs of phases, with then without the dead endpoint")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  app.add_option("--healthy", o.healthy, "Healthy webhook endpoints (one subscriber each)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--warmup-seconds", o.warmup_seconds, "Seconds published before the phases, not reported")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--drain-seconds", o.drain_seconds, "Longest wait for a phase's deliveries after its publishing")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--settle-seconds", o.settle_seconds, "Longest wait for earlier phases' deliveries before a phase")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--webhook-timeout-ms", o.webhook_timeout_ms,
                 "The service's --webhook-timeout-ms, reported beside the slowest healthy delivery")
      ->capture_default_str();
  app.add_option("--run-id", o.run_id, "Makes document codes unique; default: the time");
  app.add_flag("--keep-subscribers", o.keep_subscribers, "Leave the healthy subscribers in place at the end");
  CLI11_PARSE(app, argc, argv);
  for (const auto* a : {&o.document_address, &o.notification_address})
    if (!IsLoopbackAddress(*a)) {
      std::cerr << "loopback addresses only\n";
      return 2;
    }
  if (o.run_id.empty()) o.run_id = std::to_string(std::time(nullptr) % 100000000);
  try {
    return Run(o);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
