// Webhook answers and endpoint health on a live notification service over real PostgreSQL and the embedded broker,
// with the python receiver answering what each test asks (/answer/…): a redirect is a failure and never followed;
// 410 Gone and `webhook-delivery: disable` disable the endpoint, its owner finds a notice in its inbox and an
// e-mail, later deliveries become dead letters unsent until EnableWebhook (admin or an editor of the unit);
// `webhook-delivery: abort-message` gives the message up at once; 429 with Retry-After holds the endpoint's next
// attempt that long; an endpoint failing for a (shortened) time is disabled on its own; a gauge counts endpoints
// per state.
#include <signal.h>

#include "support/process.h"
#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;
const char* const kHealthField = "Kiểm định chất lượng";

class NotificationWebhookHealthTest : public NotificationTest {
 public:
  static void SetUpTestSuite() {
    NotificationTest::SetUpTestSuite();
    StopNotification(SIGTERM);
    // The disable clock shortened: failures spread over 1 s, then 2 s more of them. A breaker opening after five
    // failures in a row tries again every 0.3 s.
    StartNotification({"--webhook-failure-spread-seconds", "1", "--webhook-disable-after-seconds", "2",
                       "--delivery-breaker-open-seconds", "0.3"});
  }

 protected:
  static std::string Url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(webhook_port_) + path; }
  static nv1::Delivery OnlyDelivery(const std::string& id, const std::string& event_id) {
    auto rows =
        Sql("SELECT d.id FROM notification.deliveries d JOIN notification.notifications n ON n.cursor = "
            "d.notification WHERE d.subscriber_id = '" +
            id + "' AND d.channel = 2 AND n.event_id = '" + event_id + "'");
    if (rows.empty()) return {};  // not made yet
    return Delivery("deliveries/" + rows);
  }
  static bool Disabled(const std::string& id) {
    return Count("SELECT count(*) FROM notification.endpoint_health WHERE subscriber_id = '" + id +
                 "' AND disabled_at IS NOT NULL") == 1;
  }
  static double Gauge(const std::string& state) {
    return MetricValue(HttpGet(metrics_port_, "/metrics"), "cchc_webhook_endpoints{state=\"" + state + "\"}");
  }
  // The owner's notices of a disabled endpoint in subscriber `id`'s inbox.
  static int64_t Notices(const std::string& id) {
    return Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = '" + id +
                 "' AND event_type = 'cchc.notification.v1.EndpointDisabled'");
  }
  static size_t MailsTo(const std::string& address) {
    size_t n = 0;
    for (const auto& m : Mails())
      for (const auto& to : m["to"]) n += to.get<std::string>() == "<" + address + ">";
    return n;
  }
};

TEST_F(NotificationWebhookHealthTest, RedirectIsARetriedFailureNeverFollowed) {
  const std::string path = "/answer/moved?status=301&location=" + Url("/redirected");
  CreateSubscriber("MOVED", "SGDĐT-TCCB", path);
  SubscribeToCchcDocuments("MOVED", {nv1::WEBHOOK}, kHealthField);
  const std::string event = "26260000-0000-4000-8000-000000000001";
  ProduceDocumentPublished(event, "1/KH-SGDĐT", kHealthField);
  ASSERT_TRUE(WaitFor([&] { return WebhookPosts(path).size() == 4; }, std::chrono::seconds(20)));
  ASSERT_TRUE(
      WaitFor([&] { return OnlyDelivery("MOVED", event).state() == nv1::DEAD_LETTER; }, std::chrono::seconds(10)));
  auto d = OnlyDelivery("MOVED", event);
  ASSERT_EQ(d.attempts_size(), 4);  // --delivery-attempts 4: every one a failure, retried
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(d.attempts(i).status_code(), 301);
    EXPECT_EQ(d.attempts(i).outcome(), i < 3 ? "retry" : "dead_letter");
  }
  EXPECT_TRUE(WebhookPosts("/redirected").empty());
}

TEST_F(NotificationWebhookHealthTest, GoneDisablesTheEndpointTellsTheOwnerAndEnableWebhookTurnsItOn) {
  const std::string path = "/answer/gone?status=410&times=1";
  const std::string email = "gone@sgddt.soctrang.gov.vn";
  CreateSubscriber("GONE", "SGDĐT-TCCB", path, email);
  SubscribeToCchcDocuments("GONE", {nv1::WEBHOOK}, kHealthField);
  const std::string first = "26260000-0000-4000-8000-000000000011";
  ProduceDocumentPublished(first, "11/KH-SGDĐT", kHealthField);
  ASSERT_TRUE(
      WaitFor([&] { return OnlyDelivery("GONE", first).state() == nv1::DEAD_LETTER; }, std::chrono::seconds(20)));
  auto d = OnlyDelivery("GONE", first);
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).status_code(), 410);
  EXPECT_TRUE(Disabled("GONE"));
  // The owner is told: a notice in the subscriber's inbox (its unit reads it) and an e-mail to its address.
  EXPECT_EQ(Notices("GONE"), 1);
  auto inbox = Watch(kTccb, "GONE", 0, 2, std::chrono::seconds(5));
  bool seen = false;
  for (const auto& n : inbox) seen |= n.title().find("410") != std::string::npos;
  EXPECT_TRUE(seen);
  EXPECT_TRUE(WaitFor([&] { return MailsTo(email) == 1; }, std::chrono::seconds(20)));
  EXPECT_TRUE(WaitFor([] { return Gauge("disabled") >= 1; }, std::chrono::seconds(5)));
  nv1::GetSubscriberRequest get;
  get.set_name("subscribers/GONE");
  nv1::Subscriber shown;
  ASSERT_TRUE(Stub().GetSubscriber(Context(kTccb).get(), get, &shown).ok());
  EXPECT_EQ(shown.webhook_state(), "disabled");
  EXPECT_NE(shown.webhook_disabled_reason().find("410"), std::string::npos);

  // While disabled: a new delivery is a dead letter, never posted.
  const std::string second = "26260000-0000-4000-8000-000000000012";
  ProduceDocumentPublished(second, "12/KH-SGDĐT", kHealthField);
  ASSERT_TRUE(
      WaitFor([&] { return OnlyDelivery("GONE", second).state() == nv1::DEAD_LETTER; }, std::chrono::seconds(20)));
  EXPECT_NE(OnlyDelivery("GONE", second).last_error().find("disabled"), std::string::npos);
  EXPECT_EQ(WebhookPosts(path).size(), 1u);

  // EnableWebhook: another unit may not, the subscriber's editor may; then deliveries flow again.
  nv1::EnableWebhookRequest enable;
  enable.set_name("subscribers/GONE");
  nv1::Subscriber out;
  EXPECT_EQ(Stub().EnableWebhook(Context(kOther).get(), enable, &out).error_code(), grpc::PERMISSION_DENIED);
  enable.set_name("subscribers/NOSUCH");
  EXPECT_EQ(Stub().EnableWebhook(Context(kAdmin).get(), enable, &out).error_code(), grpc::NOT_FOUND);
  enable.set_name("bad name");
  EXPECT_EQ(Stub().EnableWebhook(Context(kAdmin).get(), enable, &out).error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_TRUE(Disabled("GONE"));
  // The unit's editor, through cchcctl.
  Process cchcctl({BinaryPath("cchcctl"), "--token", kTccb, "notify", "subscriber", "enable-webhook", "GONE",
                   "--notification-address", address_},
                  dir_->Path() + "/cchcctl-enable-webhook.log");
  ASSERT_EQ(cchcctl.Wait(std::chrono::seconds(20)), 0) << cchcctl.Log();
  EXPECT_NE(cchcctl.Log().find("GONE"), std::string::npos) << cchcctl.Log();
  EXPECT_FALSE(Disabled("GONE"));
  // Enabling an enabled endpoint changes nothing.
  enable.set_name("subscribers/GONE");
  auto s = Stub().EnableWebhook(Context(kAdmin).get(), enable, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.id(), "GONE");
  EXPECT_EQ(out.webhook_state(), "healthy");
  EXPECT_EQ(out.webhook_disabled_reason(), "");
  EXPECT_FALSE(Disabled("GONE"));
  const std::string third = "26260000-0000-4000-8000-000000000013";
  ProduceDocumentPublished(third, "13/KH-SGDĐT", kHealthField);
  ASSERT_TRUE(WaitFor([&] { return OnlyDelivery("GONE", third).state() == nv1::DELIVERED; }, std::chrono::seconds(20)));
  EXPECT_EQ(WebhookPosts(path).size(), 2u);
}

TEST_F(NotificationWebhookHealthTest, DeliveryHeaderDisableAndAbortMessage) {
  // abort-message: this message is given up at once, the endpoint stays enabled.
  const std::string abort_path = "/answer/abort?status=500&delivery=abort-message";
  CreateSubscriber("ABORTS", "SGDĐT-TCCB", abort_path);
  SubscribeToCchcDocuments("ABORTS", {nv1::WEBHOOK}, kHealthField);
  // disable on a success: the message is delivered, the endpoint disabled.
  const std::string off_path = "/answer/off?status=200&delivery=disable";
  CreateSubscriber("SWITCHOFF", "SGDĐT-TCCB", off_path);
  SubscribeToCchcDocuments("SWITCHOFF", {nv1::WEBHOOK}, kHealthField);
  const std::string event = "26260000-0000-4000-8000-000000000021";
  ProduceDocumentPublished(event, "21/KH-SGDĐT", kHealthField);
  ASSERT_TRUE(
      WaitFor([&] { return OnlyDelivery("ABORTS", event).state() == nv1::DEAD_LETTER; }, std::chrono::seconds(20)));
  auto aborted = OnlyDelivery("ABORTS", event);
  ASSERT_EQ(aborted.attempts_size(), 1);
  EXPECT_NE(aborted.attempts(0).error().find("abort-message"), std::string::npos);
  EXPECT_FALSE(Disabled("ABORTS"));
  ASSERT_TRUE(
      WaitFor([&] { return OnlyDelivery("SWITCHOFF", event).state() == nv1::DELIVERED; }, std::chrono::seconds(20)));
  ASSERT_TRUE(WaitFor([] { return Disabled("SWITCHOFF"); }, std::chrono::seconds(5)));
  EXPECT_EQ(Notices("SWITCHOFF"), 1);
  EXPECT_EQ(WebhookPosts(abort_path).size(), 1u);
  EXPECT_EQ(WebhookPosts(off_path).size(), 1u);
}

TEST_F(NotificationWebhookHealthTest, TooManyRequestsWithRetryAfterHoldsTheEndpoint) {
  const std::string path = "/answer/busy?status=429&retry_after=2&times=1";
  CreateSubscriber("BUSY", "SGDĐT-TCCB", path);
  SubscribeToCchcDocuments("BUSY", {nv1::WEBHOOK}, kHealthField);
  const std::string event = "26260000-0000-4000-8000-000000000031";
  ProduceDocumentPublished(event, "31/KH-SGDĐT", kHealthField);
  ASSERT_TRUE(WaitFor([&] { return OnlyDelivery("BUSY", event).state() == nv1::DELIVERED; }, std::chrono::seconds(20)));
  auto posts = WebhookPosts(path);
  ASSERT_EQ(posts.size(), 2u);
  // The schedule's next retry would come after ~50 ms: Retry-After held it two seconds.
  double waited = posts[1]["received_at"].get<double>() - posts[0]["received_at"].get<double>();
  EXPECT_GE(waited, 1.9);
  EXPECT_LT(waited, 6);
  auto d = OnlyDelivery("BUSY", event);
  ASSERT_EQ(d.attempts_size(), 2);
  EXPECT_EQ(d.attempts(0).status_code(), 429);
  EXPECT_EQ(d.attempts(0).outcome(), "retry");
}

TEST_F(NotificationWebhookHealthTest, EndpointFailingForTheConfiguredTimeIsDisabledAndItsOwnerTold) {
  const std::string path = "/answer/down?status=500";
  const std::string email = "down@sgddt.soctrang.gov.vn";
  CreateSubscriber("ALWAYSDOWN", "SGDĐT-TCCB", path, email);
  SubscribeToCchcDocuments("ALWAYSDOWN", {nv1::WEBHOOK}, kHealthField);
  // Events keep coming, every attempt fails: after 1 s of failures the clock starts, 2 s later it is disabled.
  const auto start = std::chrono::steady_clock::now();
  int produced = 0;
  auto last = start - std::chrono::seconds(1);
  ASSERT_TRUE(WaitFor(
      [&] {
        if (produced < 40 && std::chrono::steady_clock::now() - last >= std::chrono::milliseconds(300)) {
          ProduceDocumentPublished("26260000-0000-4000-8000-0000000001" + std::to_string(10 + produced),
                                   std::to_string(100 + produced) + "/KH-SGDĐT", kHealthField);
          ++produced;
          last = std::chrono::steady_clock::now();
        }
        return Disabled("ALWAYSDOWN");
      },
      std::chrono::seconds(20)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(Sql("SELECT disabled_reason FROM notification.endpoint_health WHERE subscriber_id = 'ALWAYSDOWN'"),
            "every attempt failed for 2 s after failures spread over 1 s");
  EXPECT_EQ(Notices("ALWAYSDOWN"), 1);
  EXPECT_TRUE(WaitFor([&] { return MailsTo(email) == 1; }, std::chrono::seconds(20)));
  // No post after the disable.
  const size_t posts = WebhookPosts(path).size();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(WebhookPosts(path).size(), posts);
}

}  // namespace
}  // namespace cchc::testing
