// System test: a document published in the running document service reaches the subscriber's Watch stream
// and its webhook, once each; the stream ends cleanly when the notification service is stopped. The trace of the
// gRPC write (W3C traceparent) reaches the webhook receiver.
#include <google/protobuf/util/json_util.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <set>

#include "notification_fixture.h"
#include "platform/dates.h"
#include "platform/trace_context.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

class NotificationFlowTest : public NotificationTest {};

// A decision (quyết định) of the department in the CCHC field, signed by its deputy director.
document::v1::CreateDocumentRequest CchcDecision(const std::string& code, const std::string& issue_date,
                                                 const std::string& subject) {
  document::v1::CreateDocumentRequest create;
  auto* d = create.mutable_document();
  d->set_code(code);
  d->set_issue_date(issue_date);
  d->set_subject(subject);
  d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d->add_fields("Cải cách hành chính");
  d->mutable_signer()->set_name("Trần Văn Chuyện");
  d->mutable_signer()->set_position("Phó Giám đốc");
  return create;
}

TEST_F(NotificationFlowTest, PublishedDocumentReachesWatchAndWebhookOnceEach) {
  StartDocument();
  CreateSubscriber("TCCB", "SGDĐT-TCCB", "/ok");
  SubscribeToCchcDocuments("TCCB", {nv1::INBOX, nv1::WEBHOOK});

  // Watch first, as a client of the inbox would, then publish.
  grpc::ClientContext watch_ctx;
  watch_ctx.AddMetadata("authorization", std::string("Bearer ") + kTccb);
  watch_ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  nv1::WatchNotificationsRequest watch;
  watch.set_parent("subscribers/TCCB");
  auto reader = Stub().WatchNotifications(&watch_ctx, watch);

  auto create = CchcDecision("998/QĐ-SGDĐT", "2026-11-20", "Về việc ban hành Kế hoạch cải cách hành chính năm 2026");
  document::v1::Document created, published;
  auto s = Documents().CreateDocument(Context(kTccb).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  document::v1::PublishDocumentRequest publish;
  publish.set_name(created.name());
  s = Documents().PublishDocument(Context(kTccb).get(), publish, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // A decision in another field (lĩnh vực) does not match.
  create.mutable_document()->set_code("999/QĐ-SGDĐT");
  create.mutable_document()->clear_fields();
  create.mutable_document()->add_fields("Văn thư, lưu trữ");
  document::v1::Document other;
  ASSERT_TRUE(Documents().CreateDocument(Context(kTccb).get(), create, &other).ok());
  publish.set_name(other.name());
  ASSERT_TRUE(Documents().PublishDocument(Context(kTccb).get(), publish, &other).ok());

  nv1::Notification n;
  ASSERT_TRUE(reader->Read(&n)) << service_->Log();
  EXPECT_EQ(n.event_type(), "cchc.document.v1.DocumentPublished");
  EXPECT_EQ(n.subject(), created.name());
  EXPECT_EQ(n.link(), "https://sgddt.soctrang.gov.vn/" + created.name());
  EXPECT_EQ(n.title(), "Văn bản mới: 998/QĐ-SGDĐT — Về việc ban hành Kế hoạch cải cách hành chính năm 2026");

  ASSERT_TRUE(WaitFor([] { return !WebhookPosts("/ok").empty(); }, std::chrono::seconds(20)));
  // Give a duplicate time to show up, then check once each.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto posts = WebhookPosts("/ok");
  ASSERT_EQ(posts.size(), 1u);
  auto body = nlohmann::json::parse(std::string(posts[0]["body"]));
  EXPECT_EQ(body["data"]["subject"], created.name());
  EXPECT_EQ(body["data"]["details"]["document"]["code"], "998/QĐ-SGDĐT");
  EXPECT_EQ(Sql("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'TCCB'"), "1");

  // Server shutdown ends the stream (no second notification ever came).
  StopNotification(SIGTERM);
  EXPECT_FALSE(reader->Read(&n));
  auto status = reader->Finish();
  EXPECT_TRUE(status.error_code() == grpc::UNAVAILABLE || status.error_code() == grpc::CANCELLED)
      << status.error_code() << " " << status.error_message();
  StartNotification();
}

// One trace from a gRPC write to the webhook: PublishDocument with a known traceparent → the document's outbox
// row → ce_traceparent on the Kafka record → the consumer → the delivery row → the webhook's traceparent header:
// the same trace-id at the end, never the caller's parent-id (each hop is a span of its own).
TEST_F(NotificationFlowTest, TheTraceOfTheWriteReachesTheWebhookReceiver) {
  StartDocument();
  CreateSubscriber("TRACE", "SGDĐT-TCCB", "/flaky");
  SubscribeToCchcDocuments("TRACE", {nv1::WEBHOOK});
  const std::string trace_id = "0af7651916cd43dd8448eb211c80319c";
  const std::string sent = "00-" + trace_id + "-b7ad6b7169203331-01";
  auto create = CchcDecision("1001/QĐ-SGDĐT", "2026-12-01", "Về việc kiểm tra công tác cải cách hành chính năm 2026");
  document::v1::Document created, published;
  auto s = Documents().CreateDocument(Context(kTccb).get(), create, &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  document::v1::PublishDocumentRequest publish;
  publish.set_name(created.name());
  auto ctx = Context(kTccb);
  ctx->AddMetadata("traceparent", sent);
  s = Documents().PublishDocument(ctx.get(), publish, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The receiver fails the first two posts to /flaky: every attempt carries the trace, each as a span of its own.
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/flaky").size() >= 3; }, std::chrono::seconds(20))) << service_->Log();
  auto posts = WebhookPosts("/flaky");
  ASSERT_EQ(posts.size(), 3u);
  std::set<std::string> parents{"b7ad6b7169203331"};
  for (const auto& post : posts) {
    const std::string received = post["traceparent"];
    auto header = trace::Parse(received);
    ASSERT_TRUE(header) << "not a valid traceparent: '" << received << "'";
    EXPECT_EQ(header->trace_id, trace_id);
    EXPECT_TRUE(parents.insert(header->parent_id).second) << received;  // not the caller's, not an earlier attempt's
  }
  // The delivery row keeps the consumer's span of the event, of the same trace; the headers are children of it.
  const std::string stored =
      Sql("SELECT d.traceparent FROM notification.deliveries d JOIN notification.notifications n ON n.cursor = "
          "d.notification WHERE n.subscriber_id = 'TRACE'");
  auto row = trace::Parse(stored);
  ASSERT_TRUE(row) << stored;
  EXPECT_EQ(row->trace_id, trace_id);
  EXPECT_FALSE(parents.count(row->parent_id));
}

// The TCCB office's subscriptions as the demo loads them (tools/demo/notification.json) hear that a CCHC document
// expired: the document service announces DocumentExpired at 00:00 of the day after its expiry date — here at once,
// as it was published today with yesterday as its last day in force — and the inbox shows "Văn bản hết hiệu lực".
TEST_F(NotificationFlowTest, TheDemoTccbSubscriptionHearsThatADocumentExpired) {
  StartDocument();
  CreateSubscriber("HIEULUC", "SGDĐT-TCCB", "/hieuluc");  // the demo sends webhooks too
  std::ifstream demo_file(std::string(CCHC_SOURCE_DIR) + "/tools/demo/notification.json");
  auto demo = nlohmann::json::parse(demo_file);
  int subscribed = 0;
  for (const auto& subscriber : demo["subscribers"]) {
    if (subscriber["id"] != "TCCB") continue;
    for (const auto& subscription : subscriber["subscriptions"]) {
      nv1::CreateSubscriptionRequest req;
      req.set_parent("subscribers/HIEULUC");
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(subscription.dump(), req.mutable_subscription()).ok());
      nv1::Subscription out;
      auto s = Stub().CreateSubscription(Context(kAdmin).get(), req, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
      subscribed += out.event_type() == "cchc.document.v1.DocumentExpired";
    }
  }
  ASSERT_EQ(subscribed, 1) << "the demo's TCCB subscriber listens for DocumentExpired";

  using namespace std::chrono;
  const sys_days today = sys_days(dates::VietnamDay());
  auto create = CchcDecision("1101/QĐ-SGDĐT", dates::ToIso(year_month_day(today - days(60))),
                             "Về việc ban hành Quy chế tiếp nhận hồ sơ một cửa");
  create.mutable_document()->set_effective_date(dates::ToIso(year_month_day(today - days(50))));
  create.mutable_document()->set_expiry_date(dates::ToIso(year_month_day(today - days(1))));
  // The same in another field (lĩnh vực) is not the office's concern.
  auto other = create;
  other.mutable_document()->set_code("1102/QĐ-SGDĐT");
  other.mutable_document()->clear_fields();
  other.mutable_document()->add_fields("Văn thư, lưu trữ");
  for (const auto* request : {&create, &other}) {
    document::v1::Document created, published;
    auto s = Documents().CreateDocument(Context(kTccb).get(), *request, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(created.validity(), document::v1::EXPIRED);
    document::v1::PublishDocumentRequest publish;
    publish.set_name(created.name());
    s = Documents().PublishDocument(Context(kTccb).get(), publish, &published);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  const std::string expired =
      "SELECT title FROM notification.notifications WHERE subscriber_id = 'HIEULUC' AND event_type = "
      "'cchc.document.v1.DocumentExpired'";
  ASSERT_TRUE(WaitFor([&] { return !Sql(expired).empty(); }, std::chrono::seconds(30))) << service_->Log();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // the document service's scheduler passes every second
  EXPECT_EQ(Sql(expired), "Văn bản hết hiệu lực: 1101/QĐ-SGDĐT — Về việc ban hành Quy chế tiếp nhận hồ sơ một cửa");
}

}  // namespace
}  // namespace cchc::testing
