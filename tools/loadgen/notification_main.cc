// cchc-loadgen-notification: the notification service benchmark. Creates a subscriber (inbox only,
// DocumentPublished, no filter) and N draft documents in the document service, opens a Watch stream on the
// subscriber's inbox, then publishes the drafts at a fixed rate (default 500/s) and measures, per document,
// the time from the start of its PublishDocument call to its notification arriving on the stream (p50/p99).
// The first --warmup seconds of documents (published at the same rate right before) are not counted.
// In the same run it measures the broker's own raw produce → consume latency with a librdkafka producer and
// consumer at the same rate on a scratch topic — the floor under the service's figure. Loopback only.
// Settings: --help.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "broker_limit.h"
#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/notification/v1/notification.grpc.pb.h"
#include "drafts.h"
#include "driver.h"
#include "platform/db.h"
#include "platform/kafka.h"
#include "stats.h"

namespace {

using namespace cchc::loadgen;
namespace dv1 = cchc::document::v1;
namespace nv1 = cchc::notification::v1;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string document_address = "127.0.0.1:50161", notification_address = "127.0.0.1:50164";
  std::string editor_token, admin_token, subscriber_token, brokers = "127.0.0.1:19292";
  double rate = 500, duration = 10, warmup = 2;
  std::string run_id;
  std::string samples_path;  // per-document times, for finding where a slow one spent its time
  bool json = false;
};

Stats ServicePhase(const Options& o) {
  auto nstub = nv1::NotificationService::NewStub(
      grpc::CreateChannel(o.notification_address, grpc::InsecureChannelCredentials()));
  auto dchannel = grpc::CreateChannel(o.document_address, grpc::InsecureChannelCredentials());
  auto dstub = dv1::DocumentService::NewStub(dchannel);
  // The subscriber (once per stack): inbox only, every DocumentPublished.
  nv1::CreateSubscriberRequest sreq;
  sreq.mutable_subscriber()->set_id("BENCH");
  sreq.mutable_subscriber()->set_display_name("Đo hiệu năng");
  sreq.mutable_subscriber()->set_kind(nv1::SYSTEM);
  sreq.mutable_subscriber()->set_unit("BENCH");
  nv1::Subscriber subscriber;
  auto created = nstub->CreateSubscriber(BearerContext(o.admin_token).get(), sreq, &subscriber);
  if (created.ok()) {
    nv1::CreateSubscriptionRequest req;
    req.set_parent("subscribers/BENCH");
    req.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
    req.mutable_subscription()->add_channels()->set_channel(nv1::INBOX);
    nv1::Subscription sub;
    Must(nstub->CreateSubscription(BearerContext(o.admin_token).get(), req, &sub), "CreateSubscription");
  } else if (created.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
    Must(created, "CreateSubscriber");
  }
  // The first `warm` documents go out at the same rate just before the measured ones and are not counted:
  // the figures are of the steady state, not of the pools and fetch loops waking up.
  int warm = static_cast<int>(o.rate * o.warmup);
  int count = warm + static_cast<int>(o.rate * o.duration);
  auto names =
      CreateDrafts(*dstub, o.editor_token,
                   {"B" + o.run_id, "Kế hoạch cải cách hành chính năm 2026, bản đo số", "Cải cách hành chính"}, count);

  // Watch from the inbox's current end.
  nv1::ListNotificationsRequest last_req;
  last_req.set_parent("subscribers/BENCH");
  last_req.set_page_size(1);
  nv1::ListNotificationsResponse last;
  Must(nstub->ListNotifications(BearerContext(o.subscriber_token).get(), last_req, &last), "ListNotifications");
  int64_t after = last.notifications_size() ? last.notifications(0).cursor() : 0;
  std::unordered_map<std::string, int> index;
  for (int i = 0; i < count; ++i) index[names[i]] = i;
  std::vector<std::atomic<int64_t>> started(count), answered(count), arrived(count);
  // From the notification: the event's time (the document service's clock as it wrote the change) and the
  // notification's (the notification service's database, as the consumer inserted it). Both on the wall
  // clock, kept here relative to `epoch` like the others.
  std::vector<int64_t> event_at(count, 0), created_at(count, 0);
  for (int i = 0; i < count; ++i) started[i] = 0, answered[i] = 0, arrived[i] = 0;
  auto epoch = Clock::now();
  const int64_t wall_epoch = cchc::db::NowMicros();
  auto micros = [&] { return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch).count(); };
  auto wall_micros = [&](const google::protobuf::Timestamp& t) {
    return google::protobuf::util::TimeUtil::TimestampToMicroseconds(t) - wall_epoch;
  };

  // One thread and one completion queue drive everything: it starts each publish at its time without waiting
  // for the answer, and takes answers and notifications as they come. The load generator shares the machine's
  // two cores with the stack; a thread per call in flight (or gRPC's callback threads) cost it more CPU and
  // wake-ups than the stack's own services.
  grpc::CompletionQueue cq;
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    dv1::Document response;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<dv1::Document>> rpc;
  };
  std::vector<Call> calls(count);
  // Tags: a publish's Call; the Watch stream's steps, these three.
  char watch_started = 0, watch_read = 0, watch_finished = 0;

  grpc::ClientContext watch_ctx;
  watch_ctx.AddMetadata("authorization", "Bearer " + o.subscriber_token);
  nv1::WatchNotificationsRequest watch;
  watch.set_parent("subscribers/BENCH");
  watch.set_after_cursor(after);
  auto reader = nstub->PrepareAsyncWatchNotifications(&watch_ctx, watch, &cq);
  reader->StartCall(&watch_started);
  nv1::Notification incoming;
  grpc::Status watch_status;
  int received = 0;
  bool watch_open = true;

  std::map<std::string, int64_t> errors;
  int next = 0, answered_count = 0;
  auto begin = Clock::now();
  auto due = [&](int i) { return begin + std::chrono::microseconds(static_cast<int64_t>(i * 1e6 / o.rate)); };
  std::optional<Clock::time_point> give_up;  // 30 s after the last answer
  double seconds = 0;                        // of the measured publishes, until the last answer
  bool cancelled = false;                    // the stream, by this loop once done
  while (watch_open) {
    for (; next < count && due(next) <= Clock::now(); ++next) {
      Call& call = calls[next];
      call.context = BearerContext(o.editor_token);
      dv1::PublishDocumentRequest req;
      req.set_name(names[next]);
      started[next] = micros();
      call.rpc = dstub->AsyncPublishDocument(call.context.get(), req, &cq);
      call.rpc->Finish(&call.response, &call.status, &call);
    }
    if (!give_up && answered_count == count) {
      seconds = std::chrono::duration<double>(Clock::now() - begin).count() - warm / o.rate;
      give_up = Clock::now() + std::chrono::seconds(30);
    }
    if (!cancelled && give_up && (received == count || Clock::now() >= *give_up)) {
      watch_ctx.TryCancel();  // then wait for the stream to finish
      cancelled = true;
    }
    auto wake_at = next < count ? due(next) : Clock::now() + std::chrono::milliseconds(50);
    void* got = nullptr;
    bool ok = false;
    auto event = cq.AsyncNext(&got, &ok, std::chrono::system_clock::now() + (wake_at - Clock::now()));
    if (event == grpc::CompletionQueue::SHUTDOWN) break;
    if (event == grpc::CompletionQueue::TIMEOUT) continue;
    if (got != &watch_started && got != &watch_read && got != &watch_finished) {
      const auto t = static_cast<Call*>(got) - calls.data();
      answered[t] = micros();
      ++answered_count;
      if (!calls[t].status.ok()) {
        ++errors["publish_" + std::to_string(calls[t].status.error_code())];
        started[t] = -1;
      }
      calls[t].context.reset();
      calls[t].rpc.reset();
    } else if (got != &watch_finished) {
      if (got == &watch_read && ok) {
        int64_t now = micros();
        auto it = index.find(incoming.subject());
        if (it != index.end() && arrived[it->second] == 0) {
          arrived[it->second] = now;
          event_at[it->second] = wall_micros(incoming.event_time());
          created_at[it->second] = wall_micros(incoming.create_time());
          ++received;
        } else if (it != index.end()) {
          ++errors["notified_twice"];
        }
      }
      if (ok)
        reader->Read(&incoming, &watch_read);
      else
        reader->Finish(&watch_status, &watch_finished);
    } else {
      watch_open = false;
      if (!cancelled) ++errors["watch_ended_" + std::to_string(watch_status.error_code())];
    }
  }
  cq.Shutdown();
  void* drained = nullptr;
  bool drained_ok = false;
  while (cq.Next(&drained, &drained_ok)) {
  }
  if (!o.samples_path.empty()) {
    // One line per document: its index, then microseconds from the run's start to the publish call, its
    // answer and the notification on the stream (0: never came), then to the event's time and the
    // notification's creation as the notification gave them (wall clock; 0 when it never came). The first
    // `warm` are the warm-up. Where a slow one spent its time: call → event time (the document read),
    // event time → created (outbox, relay, broker, consumer), created → arrived (commit and Watch).
    std::FILE* f = std::fopen(o.samples_path.c_str(), "w");
    if (!f) throw std::runtime_error("cannot write " + o.samples_path);
    std::fprintf(f, "# index started_us answered_us arrived_us event_time_us created_us (warm-up: first %d)\n", warm);
    for (int i = 0; i < count; ++i)
      std::fprintf(f, "%d %lld %lld %lld %lld %lld\n", i, static_cast<long long>(started[i].load()),
                   static_cast<long long>(answered[i].load()), static_cast<long long>(arrived[i].load()),
                   static_cast<long long>(event_at[i]), static_cast<long long>(created_at[i]));
    std::fclose(f);
  }
  std::vector<uint32_t> latencies;
  for (int i = warm; i < count; ++i) {
    if (started[i] < 0) continue;
    if (arrived[i] == 0) {
      ++errors["not_arrived"];
      continue;
    }
    latencies.push_back(static_cast<uint32_t>(std::max<int64_t>(0, arrived[i] - started[i])));
  }
  return Summarize("publish_to_watch", latencies, errors, seconds);
}

void Print(const Stats& s) {
  std::printf("%-24s %8lld ok %8.1f/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  errors %lld\n", s.name.c_str(),
              static_cast<long long>(s.ok), s.qps, s.p50_ms, s.p99_ms, s.max_ms,
              static_cast<long long>(s.ErrorCount()));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cchc-loadgen-notification: document published → notification on Watch, vs raw broker latency"};
  Options o;
  app.add_option("--document-address", o.document_address)->capture_default_str();
  app.add_option("--notification-address", o.notification_address)->capture_default_str();
  app.add_option("--brokers", o.brokers, "The broker the services use")->capture_default_str();
  app.add_option("--editor-token", o.editor_token, "Document editor")->required();
  app.add_option("--admin-token", o.admin_token, "Notification admin")->required();
  app.add_option("--subscriber-token", o.subscriber_token, "The BENCH subscriber's unit")->required();
  app.add_option("--rate", o.rate, "Events per second")->check(CLI::Range(1.0, 5000.0))->capture_default_str();
  app.add_option("--duration", o.duration, "Seconds of publishing")
      ->check(CLI::Range(0.1, 120.0))
      ->capture_default_str();
  app.add_option("--samples", o.samples_path, "Write each document's publish, answer and arrival times here");
  app.add_option("--warmup", o.warmup, "Seconds published at the rate before the measured ones")
      ->check(CLI::Range(0.0, 60.0))
      ->capture_default_str();
  app.add_option("--run-id", o.run_id, "Makes document codes unique; default: the time")->capture_default_str();
  app.add_flag("--json", o.json, "One JSON object on stdout");
  CLI11_PARSE(app, argc, argv);
  for (const auto* a : {&o.document_address, &o.notification_address, &o.brokers})
    if (a->rfind("127.0.0.1:", 0) != 0) {
      std::cerr << "loopback addresses only\n";
      return 2;
    }
  if (o.run_id.empty()) o.run_id = std::to_string(std::time(nullptr) % 100000000);
  try {
    Stats service = ServicePhase(o);
    BrokerLimitOptions bo;
    bo.brokers = o.brokers;
    bo.run_id = o.run_id;
    bo.rate = o.rate;
    bo.duration = o.duration;
    Stats raw = RunBrokerLimit(bo);
    raw.name = "raw_produce_to_consume";
    if (o.json) {
      std::cout << nlohmann::json{{"rate", o.rate}, {"service", service.ToJson()}, {"raw_broker", raw.ToJson()}}.dump()
                << '\n';
    } else {
      Print(service);
      Print(raw);
    }
    return service.ErrorCount() == 0 && raw.ErrorCount() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
