// The SSRF policy of webhooks on a live notification service over real PostgreSQL and the embedded broker:
// without 127.0.0.0/8 in --webhook-allow-cidr, a loopback (or metadata-address) webhook URL is INVALID_ARGUMENT
// at CreateSubscriber and UpdateSubscriber, naming subscriber.webhook_url, and nothing is written; with it, the
// same URL is accepted. A URL that was allowed when stored but is refused at delivery becomes a dead letter
// after one attempt, with the reason in GetDeliveryStatus, and the receiver gets nothing. Only loopback and
// literal documentation/metadata addresses appear here: the policy refuses them before any connection.
#include <signal.h>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

// Instead of the fixture's 127.0.0.0/8: a subnet no test address is in (TEST-NET-1, RFC 5737).
const std::vector<std::string> kNoLoopback = {"--webhook-allow-cidr", "192.0.2.0/24"};

bool NamesWebhookUrl(const grpc::Status& s) {
  return s.error_code() == grpc::INVALID_ARGUMENT && s.error_message().rfind("subscriber.webhook_url: ", 0) == 0;
}

nv1::Subscriber Subscriber(const std::string& id, const std::string& url) {
  nv1::Subscriber s;
  s.set_id(id);
  s.set_display_name("Phòng Tổ chức cán bộ, Sở GD&ĐT (" + id + ")");
  s.set_kind(nv1::UNIT);
  s.set_unit("SGDĐT-TCCB");
  s.set_webhook_url(url);
  s.set_webhook_secret(NotificationTest::Secret(id));
  return s;
}

grpc::Status Create(const nv1::Subscriber& s) {
  nv1::CreateSubscriberRequest req;
  *req.mutable_subscriber() = s;
  nv1::Subscriber out;
  return NotificationTest::Stub().CreateSubscriber(NotificationTest::Context(NotificationTest::kAdmin).get(), req,
                                                   &out);
}

class NotificationSsrfTest : public NotificationTest {
 protected:
  static void Restart(const std::vector<std::string>& extra = {}) {
    StopNotification(SIGTERM);
    StartNotification(extra);
  }
  std::string Loopback(const std::string& path) { return "http://127.0.0.1:" + std::to_string(webhook_port_) + path; }
};

TEST_F(NotificationSsrfTest, LoopbackWebhookIsRefusedWithoutTheAllowListAndAcceptedWithIt) {
  Restart(kNoLoopback);
  for (const std::string& url : {Loopback("/ssrf"), std::string("http://localhost:") + std::to_string(webhook_port_),
                                 std::string("http://[::1]:") + std::to_string(webhook_port_) + "/",
                                 std::string("http://169.254.169.254/latest/meta-data/"),
                                 std::string("http://[::ffff:127.0.0.1]:") + std::to_string(webhook_port_) + "/",
                                 std::string("http://user:pass@192.0.2.1/")}) {
    auto s = Create(Subscriber("SSRF", url));
    EXPECT_TRUE(NamesWebhookUrl(s)) << url << " → " << s.error_code() << ": " << s.error_message();
  }
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.subscribers WHERE id = 'SSRF'"), 0);

  // An update to a loopback URL is refused the same way and leaves the row as it was.
  CreateSubscriber("SSRFUPD", "SGDĐT-TCCB", "");
  std::string before = Sql("SELECT s::text FROM notification.subscribers s WHERE id = 'SSRFUPD'");
  nv1::UpdateSubscriberRequest update;
  *update.mutable_subscriber() = Subscriber("", Loopback("/ssrf-upd"));
  update.mutable_subscriber()->set_name("subscribers/SSRFUPD");
  update.mutable_update_mask()->add_paths("webhook_url");
  update.mutable_update_mask()->add_paths("webhook_secret");
  nv1::Subscriber out;
  auto s = Stub().UpdateSubscriber(Context(kAdmin).get(), update, &out);
  EXPECT_TRUE(NamesWebhookUrl(s)) << s.error_code() << ": " << s.error_message();
  EXPECT_EQ(Sql("SELECT s::text FROM notification.subscribers s WHERE id = 'SSRFUPD'"), before);

  Restart();  // the fixture's flags: 127.0.0.0/8 allowed
  auto created = Create(Subscriber("SSRF", Loopback("/ssrf")));
  EXPECT_TRUE(created.ok()) << created.error_message();
  s = Stub().UpdateSubscriber(Context(kAdmin).get(), update, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.webhook_url(), Loopback("/ssrf-upd"));
  // The metadata address stays refused: the allow-list names only loopback.
  EXPECT_TRUE(NamesWebhookUrl(Create(Subscriber("SSRFMETA", "http://169.254.169.254/"))));
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.subscribers WHERE id = 'SSRFMETA'"), 0);
}

TEST_F(NotificationSsrfTest, UrlRefusedAtDeliveryIsADeadLetterWithTheReasonAfterOneAttempt) {
  CreateSubscriber("SSRFLATE", "SGDĐT-TCCB", "/ssrf-late");
  SubscribeToCchcDocuments("SSRFLATE", {nv1::WEBHOOK});
  Restart(kNoLoopback);  // the operator narrowed the allow-list after the subscriber was stored
  ProduceDocumentPublished("55555555-0000-4000-8000-000000000001", "55/QĐ-SGDĐT");
  auto n = Watch(kAdmin, "SSRFLATE", 0, 1, std::chrono::seconds(20));
  ASSERT_EQ(n.size(), 1u);
  ASSERT_EQ(n[0].deliveries_size(), 1);
  ASSERT_TRUE(WaitFor([&] { return NotificationTest::Delivery(n[0].deliveries(0)).state() == nv1::DEAD_LETTER; },
                      std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // no further attempt comes
  auto d = NotificationTest::Delivery(n[0].deliveries(0));
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).outcome(), "dead_letter");
  EXPECT_EQ(d.attempts(0).status_code(), 0);
  EXPECT_NE(d.last_error().find("refused by the SSRF policy"), std::string::npos) << d.last_error();
  EXPECT_NE(d.last_error().find("127.0.0.1 is loopback"), std::string::npos) << d.last_error();
  EXPECT_TRUE(WebhookPosts("/ssrf-late").empty());
  Restart();
}

}  // namespace
}  // namespace cchc::testing
