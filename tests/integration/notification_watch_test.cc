// WatchNotifications on gRPC's callback API, against the real notification service: many open streams take
// no thread each and do not hold up unary calls, each still receiving its notifications; SIGTERM ends open
// streams with UNAVAILABLE right away instead of at the drain deadline; the standard interceptors (metrics,
// unparsable request) and authorization apply to Watch as to every other RPC.
#include <grpcpp/generic/generic_stub.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <sstream>

#include "notification_suite.h"

namespace cchc::testing {
namespace {

class NotificationWatchTest : public NotificationTest {
 protected:
  // The sum of the samples of /metrics whose line holds every one of `parts`.
  static double Metric(const std::vector<std::string>& parts) {
    std::istringstream in(HttpGet(metrics_port_, "/metrics"));
    double sum = 0;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      bool all = true;
      for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
      if (all) sum += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return sum;
  }
  static double WatchesStarted() {
    return Metric({"grpc_server_started_total{", "grpc_method=\"WatchNotifications\""});
  }
  static double WatchesHandled(const std::string& code) {
    return Metric({"grpc_server_handled_total{", "grpc_method=\"WatchNotifications\"", "grpc_code=\"" + code + "\""});
  }
  static int ServiceThreads() {
    std::ifstream in("/proc/" + std::to_string(service_->Pid()) + "/status");
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
    return -1;
  }
  // A Watch stream read on its own thread until it ends: what it got and how it ended.
  struct Stream {
    std::vector<nv1::Notification> got;
    grpc::Status status;
    Clock::time_point ended;
    std::thread thread;
  };
  static void Open(Stream& s, const std::string& id, size_t count, seconds timeout) {
    s.thread = std::thread([&s, id, count, timeout] {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", std::string("Bearer ") + kTccb);
      ctx.set_deadline(std::chrono::system_clock::now() + timeout);
      nv1::WatchNotificationsRequest req;
      req.set_parent("subscribers/" + id);
      auto reader = Stub().WatchNotifications(&ctx, req);
      nv1::Notification n;
      while (s.got.size() < count && reader->Read(&n)) s.got.push_back(n);
      if (s.got.size() >= count) ctx.TryCancel();
      s.status = reader->Finish();
      s.ended = Clock::now();
    });
  }
};

TEST_F(NotificationWatchTest, TwoHundredOpenStreamsTakeNoThreadEachAndUnaryCallsStayPrompt) {
  constexpr int kStreams = 200;
  const std::string field = "Cơ sở vật chất";
  for (int i = 0; i < kStreams; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "MANY-%03d", i);
    CreateSubscriber(id, "SGDĐT-TCCB", "");
    SubscribeToCchcDocuments(id, {nv1::INBOX}, field);
  }
  int threads_before = ServiceThreads();
  double started_before = WatchesStarted(), ended_before = WatchesHandled("OK") + WatchesHandled("Canceled");
  std::vector<Stream> streams(kStreams);
  for (int i = 0; i < kStreams; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "MANY-%03d", i);
    Open(streams[i], id, 1, seconds(90));
  }
  ASSERT_TRUE(WaitFor([&] { return WatchesStarted() - started_before >= kStreams; }, seconds(30)))
      << WatchesStarted() - started_before << " streams started";
  std::this_thread::sleep_for(milliseconds(500));  // every stream has queried and waits
  int threads_open = ServiceThreads();
  std::cout << "service threads: " << threads_before << " before, " << threads_open << " with " << kStreams
            << " streams open\n";
  EXPECT_LT(threads_open, threads_before + 20) << "a thread per open stream?";

  // Unary calls are served promptly while every stream is open.
  auto started = Clock::now();
  for (int i = 0; i < 50; ++i) {
    auto call = Clock::now();
    nv1::GetSubscriberRequest req;
    req.set_name("subscribers/MANY-" + std::string(i < 10 ? "00" : "0") + std::to_string(i));
    nv1::Subscriber out;
    auto status = Stub().GetSubscriber(Context(kTccb, 5).get(), req, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_LT(Clock::now() - call, milliseconds(1000));
  }
  std::cout << "50 GetSubscriber calls with " << kStreams
            << " streams open: " << std::chrono::duration_cast<milliseconds>(Clock::now() - started).count() << " ms\n";
  EXPECT_EQ(WatchesHandled("OK") + WatchesHandled("Canceled"), ended_before) << "no stream ended yet";

  // One event for all of them: each stream receives it, once.
  ProduceDocumentPublished("99999999-0000-4000-8000-000000000001", "901/KH-SGDĐT", field);
  for (auto& s : streams) s.thread.join();
  int received = 0;
  for (auto& s : streams) {
    if (s.got.size() != 1) continue;
    EXPECT_EQ(s.got[0].event_id(), "99999999-0000-4000-8000-000000000001");
    ++received;
  }
  EXPECT_EQ(received, kStreams);
  // The client cancelled each after its notification: the server ended them all (reactors done).
  EXPECT_TRUE(WaitFor([&] { return WatchesHandled("Canceled") >= ended_before + kStreams; }, seconds(10)))
      << WatchesHandled("Canceled");
}

TEST_F(NotificationWatchTest, AStreamWritesTheConsumersNewRowsWithoutAQueryExactlyAsTheInboxListsThem) {
  // Two subscribers to the same field: their rows interleave in cursor order, so each stream's rows start
  // after its own subscriber's last cursor, not after the last cursor of all.
  const std::string field = "Thi đua, khen thưởng";
  CreateSubscriber("PUSH-A", "SGDĐT-TCCB", "/push-a");
  SubscribeToCchcDocuments("PUSH-A", {nv1::INBOX, nv1::WEBHOOK}, field);
  CreateSubscriber("PUSH-B", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("PUSH-B", {nv1::INBOX}, field);
  auto batches = [](const std::string& source) {
    return Metric({"cchc_watch_batches_total{", "source=\"" + source + "\""});
  };
  double pushed_before = batches("pushed"), queried_before = batches("queried");
  // PUSH-A's webhook deliveries go in the same statement as the rows (Ingest::HandleAtOnce), except in the
  // first batch: it finds the subscriptions changed since the consumer kept them, and takes a transaction.
  auto consumer_batches = [](const std::string& path) {
    return Metric({"cchc_consumer_batches_total{", "path=\"" + path + "\""});
  };
  const double in_transaction_before = consumer_batches("transaction"), at_once_before = consumer_batches("at_once");
  Stream a, b;
  Open(a, "PUSH-A", 3, seconds(30));
  Open(b, "PUSH-B", 3, seconds(30));
  std::this_thread::sleep_for(milliseconds(500));  // both have queried (nothing yet) and wait
  // One event at a time: each comes in a consumer batch of its own, and wakes both streams waiting.
  for (int i = 1; i <= 3; ++i) {
    ProduceDocumentPublished("99999999-0000-4000-8000-00000000010" + std::to_string(i),
                             std::to_string(910 + i) + "/KH-SGDĐT", field);
    std::this_thread::sleep_for(milliseconds(400));
  }
  a.thread.join();
  b.thread.join();
  ASSERT_EQ(a.got.size(), 3u);
  ASSERT_EQ(b.got.size(), 3u);
  // Each stream got its rows in as many batches as the consumer took them in (events that came together share one).
  EXPECT_EQ(batches("queried") - queried_before, 0) << "every batch was handed over, none queried";
  EXPECT_GE(batches("pushed") - pushed_before, 2);
  EXPECT_LE(consumer_batches("transaction") - in_transaction_before, 1);
  EXPECT_GE(consumer_batches("at_once") - at_once_before, 2);

  // What the streams wrote is what the inbox lists, field for field (the webhook deliveries included).
  for (const auto& [id, got] : {std::pair{"PUSH-A", &a.got}, std::pair{"PUSH-B", &b.got}}) {
    nv1::ListNotificationsRequest req;
    req.set_parent(std::string("subscribers/") + id);
    nv1::ListNotificationsResponse listed;
    auto status = Stub().ListNotifications(Context(kTccb).get(), req, &listed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(listed.notifications_size(), 3);
    for (int i = 0; i < 3; ++i) {
      const auto& streamed = (*got)[static_cast<size_t>(i)];
      const auto& inbox = listed.notifications(2 - i);  // newest first
      EXPECT_EQ(streamed.SerializeAsString(), inbox.SerializeAsString()) << id << " streamed:\n"
                                                                         << streamed.DebugString() << "listed:\n"
                                                                         << inbox.DebugString();
      EXPECT_EQ(streamed.deliveries_size(), std::string(id) == "PUSH-A" ? 1 : 0);
      if (i > 0) {
        EXPECT_GT(streamed.cursor(), (*got)[static_cast<size_t>(i - 1)].cursor());
      }
    }
  }
}

TEST_F(NotificationWatchTest, InboxOnlyNotificationsAreWrittenWithTheirDedupeRecordInOneStatementAndPushed) {
  // No subscriber to this field has a channel but the inbox: the consumer writes the batch, its dedupe record
  // included, in one statement (Ingest::HandleAtOnce), and hands the rows to the stream as after a transaction.
  const std::string field = "Pháp chế";
  CreateSubscriber("ONCE", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("ONCE", {nv1::INBOX}, field);
  auto batches = [](const std::string& path) {
    return Metric({"cchc_consumer_batches_total{", "path=\"" + path + "\""});
  };
  const double at_once_before = batches("at_once");
  const double queried_before = Metric({"cchc_watch_batches_total{", "source=\"queried\""});
  Stream s;
  Open(s, "ONCE", 2, seconds(30));
  std::this_thread::sleep_for(milliseconds(500));  // it has queried (nothing yet) and waits
  const std::string first = "99999999-0000-4000-8000-000000000201", second = "99999999-0000-4000-8000-000000000202";
  ProduceDocumentPublished(first, "921/KH-SGDĐT", field);
  // Recorded before the others go: the two documents' events are on different partitions, and on a topic
  // the first of them created (this test alone) the consumer would find all three in one fetch.
  auto recorded = [&](std::initializer_list<std::string> ids) {
    std::string quoted;
    for (const auto& id : ids) quoted += (quoted.empty() ? "'" : ", '") + id + "'";
    return Sql("SELECT count(*) FROM notification.processed_events WHERE event_id IN (" + quoted + ")");
  };
  ASSERT_TRUE(WaitFor([&] { return recorded({first}) == "1"; }, seconds(10)));
  ProduceDocumentPublished(first, "921/KH-SGDĐT", field);  // delivered again: recorded already
  ProduceDocumentPublished(second, "922/KH-SGDĐT", field);
  s.thread.join();
  ASSERT_EQ(s.got.size(), 2u);
  EXPECT_EQ(s.got[0].event_id(), first);
  EXPECT_EQ(s.got[1].event_id(), second);
  EXPECT_GE(batches("at_once") - at_once_before, 2);
  EXPECT_EQ(Metric({"cchc_watch_batches_total{", "source=\"queried\""}) - queried_before, 0);
  ASSERT_TRUE(WaitFor([&] { return recorded({first, second}) == "2"; }, seconds(10)));
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(Sql("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'ONCE'"), "2");
}

TEST_F(NotificationWatchTest, SigtermEndsOpenStreamsWithUnavailableLongBeforeTheDrainDeadline) {
  StopNotification(SIGTERM);
  StartNotification({"--drain-seconds", "30", "--watch-max-streams-per-subscriber", "20"});
  CreateSubscriber("DRAIN", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("DRAIN", {nv1::INBOX}, "Tài chính");
  constexpr int kStreams = 20;
  std::vector<Stream> streams(kStreams);
  for (auto& s : streams) Open(s, "DRAIN", 1000, seconds(120));
  ASSERT_TRUE(WaitFor([&] { return WatchesStarted() >= kStreams; }, seconds(20)));
  std::this_thread::sleep_for(milliseconds(300));
  auto term = Clock::now();
  service_->Signal(SIGTERM);
  for (auto& s : streams) s.thread.join();
  for (auto& s : streams) {
    EXPECT_EQ(s.status.error_code(), grpc::UNAVAILABLE) << s.status.error_message();
    EXPECT_EQ(s.status.error_message(), "the server is shutting down; resume from the last cursor");
    EXPECT_LT(s.ended - term, seconds(5)) << "ended by the drain deadline, not by the server";
  }
  int rc = service_->Wait(milliseconds(20000));
  EXPECT_EQ(rc, 0) << service_->Log();
  EXPECT_LT(Clock::now() - term, seconds(10)) << "the drain waited for its deadline";
  service_.reset();
  StartNotification();
}

// One WatchNotifications call whose request is `bytes` as they are (no UTF-8 check on the client).
grpc::Status RawWatch(const std::string& address, const std::string& bytes, const std::string& token) {
  grpc::GenericStub stub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  auto ctx = NotificationTest::Context(token, 5);
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(ctx.get(), "/cchc.notification.v1.NotificationService/WatchNotifications", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) { done.set_value(std::move(s)); });
  return done.get_future().get();
}

TEST_F(NotificationWatchTest, InterceptorsAndAuthorizationApplyToWatch) {
  CreateSubscriber("GUARD", "SGDĐT-TCCB", "");
  double invalid = WatchesHandled("InvalidArgument"), denied = WatchesHandled("PermissionDenied"),
         unauthenticated = WatchesHandled("Unauthenticated"), cancelled = WatchesHandled("Canceled");

  // parent = "subscribers/Tr\xC3\x28…": not UTF-8, so the request does not parse.
  std::string bad = "subscribers/Tr\xC3\x28";
  auto status = RawWatch(address_, std::string("\x0a", 1) + static_cast<char>(bad.size()) + bad, kTccb);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(status.error_message().rfind("request: not a valid /cchc.notification.v1.NotificationService/", 0), 0u)
      << status.error_message();

  auto finish = [](const std::string& token, const std::string& parent, int64_t after) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + seconds(5));
    nv1::WatchNotificationsRequest req;
    req.set_parent(parent);
    req.set_after_cursor(after);
    auto reader = Stub().WatchNotifications(&ctx, req);
    nv1::Notification n;
    while (reader->Read(&n)) {
    }
    return reader->Finish();
  };
  EXPECT_EQ(finish("", "subscribers/GUARD", 0).error_code(), grpc::UNAUTHENTICATED);
  EXPECT_EQ(finish(kOther, "subscribers/GUARD", 0).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(finish(kTccb, "subscribers/NOBODY", 0).error_code(), grpc::NOT_FOUND);
  status = finish(kTccb, "subscribers/GUARD", -1);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "after_cursor: must not be negative");
  status = finish(kTccb, "inboxes/GUARD", 0);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("parent:", 0), 0u) << status.error_message();
  // The admin may watch any inbox; a client that goes away ends its stream on the server.
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", std::string("Bearer ") + kAdmin);
    nv1::WatchNotificationsRequest req;
    req.set_parent("subscribers/GUARD");
    auto reader = Stub().WatchNotifications(&ctx, req);
    std::this_thread::sleep_for(milliseconds(400));
    ctx.TryCancel();
    reader->Finish();
  }

  // The metrics interceptor counted each with the status the client received.
  EXPECT_TRUE(WaitFor([&] { return WatchesHandled("Canceled") == cancelled + 1; }, seconds(5)));
  EXPECT_EQ(WatchesHandled("InvalidArgument"), invalid + 3);
  EXPECT_EQ(WatchesHandled("PermissionDenied"), denied + 1);
  EXPECT_EQ(WatchesHandled("Unauthenticated"), unauthenticated + 1);
  EXPECT_EQ(Metric({"grpc_server_started_total{", "grpc_type=\"server_stream\"", "WatchNotifications"}),
            WatchesStarted());
}

}  // namespace
}  // namespace cchc::testing
