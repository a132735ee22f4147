// Recovery of webhook deliveries on the real service, PostgreSQL and broker, against the python receiver: a
// delivered delivery resent (same delivery, one more post), a subscriber's failures recovered since a time (only
// those after it), the attempt log (the first 4096 bytes of each response body, cut there; the duration; the
// attempt number) and who may resend and recover.
#include <google/protobuf/util/time_util.h>

#include <optional>
#include <string>

#include "integration/notification_suite.h"

namespace cchc::testing {
namespace {

using google::protobuf::util::TimeUtil;

// The field of this file's events: other tests' subscribers stay out of them, and its subscribers out of theirs.
const char* const kRecoveryField = "Kiểm định chất lượng giáo dục";

// What the receiver's /reply/… path answers with, `n` bytes of it.
std::string ReplyBody(size_t n) {
  const std::string text = "Đã nhận thông báo của Sở Giáo dục và Đào tạo; ";
  std::string out;
  while (out.size() < n) out += text;
  return out.substr(0, n);
}

class NotificationRecoveryTest : public NotificationTest {
 protected:
  // Subscriber `id` (unit SGDĐT-TCCB) with a webhook at `path`, sent event `ce_id`; returns its delivery's name.
  static std::string DeliveryTo(const std::string& id, const std::string& path, const std::string& ce_id,
                                const std::string& code) {
    CreateSubscriber(id, "SGDĐT-TCCB", path);
    SubscribeToCchcDocuments(id, {nv1::INBOX, nv1::WEBHOOK}, kRecoveryField);
    return Send(id, ce_id, code, 0);
  }
  // Event `ce_id` to subscriber `id`, whose inbox holds notifications up to cursor `after`: its delivery's name.
  static std::string Send(const std::string& id, const std::string& ce_id, const std::string& code, int64_t after) {
    ProduceDocumentPublished(ce_id, code, kRecoveryField);
    auto seen = Watch(kAdmin, id, after, 1, seconds(20));
    EXPECT_EQ(seen.size(), 1u);
    if (seen.size() != 1 || seen[0].deliveries_size() != 1) return "";
    return seen[0].deliveries(0);
  }
  // `cchcctl --token <token> notify <args…> --notification-address <the service>`'s output; throws if it fails.
  static std::string Cchcctl(const std::string& token, const std::string& args) {
    return Shell(BinaryPath("cchcctl") + " --token " + token + " notify " + args + " --notification-address " +
                 address_);
  }
  static bool Reaches(const std::string& name, nv1::DeliveryState state) {
    return WaitFor([&] { return Delivery(name).state() == state; }, seconds(20));
  }
  static grpc::Status Resend(const std::string& token, const std::string& name, nv1::Delivery* out = nullptr) {
    nv1::ResendDeliveryRequest req;
    req.set_name(name);
    nv1::Delivery ignored;
    return Stub().ResendDelivery(Context(token).get(), req, out ? out : &ignored);
  }
  static grpc::Status Recover(const std::string& token, const std::string& subscriber,
                              std::optional<google::protobuf::Timestamp> since,
                              nv1::RecoverFailedDeliveriesResponse* out) {
    nv1::RecoverFailedDeliveriesRequest req;
    req.set_subscriber(subscriber);
    if (since) *req.mutable_since() = *since;
    return Stub().RecoverFailedDeliveries(Context(token).get(), req, out);
  }
};

TEST_F(NotificationRecoveryTest, ResendOfADeliveredWebhookPostsItOnceMoreAsTheSameDelivery) {
  const std::string path = "/reply/200/0/0/resend";
  std::string name = DeliveryTo("RESEND", path, "aaaa0000-0000-4000-8000-000000000001", "31/KH-SGDĐT");
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(Reaches(name, nv1::DELIVERED));
  ASSERT_EQ(WebhookPosts(path).size(), 1u);

  nv1::Delivery queued;
  ASSERT_TRUE(Resend(kTccb, name, &queued).ok());  // an editor of the subscriber's unit
  EXPECT_EQ(queued.name(), name);
  EXPECT_NE(queued.state(), nv1::DEAD_LETTER);
  ASSERT_TRUE(WaitFor([&] { return WebhookPosts(path).size() == 2u; }, seconds(20)));
  ASSERT_TRUE(Reaches(name, nv1::DELIVERED));
  auto posts = WebhookPosts(path);
  EXPECT_EQ(std::string(posts[0]["body"]), std::string(posts[1]["body"])) << "the same delivery, sent again";
  EXPECT_EQ(nlohmann::json::parse(std::string(posts[1]["body"]))["data"]["delivery"], name);
  // Standard Webhooks: the same webhook-id on the resend, the receiver's key to dedupe.
  EXPECT_EQ(std::string(posts[1]["id"]), "msg_" + name.substr(std::string("deliveries/").size()));
  EXPECT_EQ(std::string(posts[0]["id"]), std::string(posts[1]["id"]));
  auto d = Delivery(name);
  ASSERT_EQ(d.attempts_size(), 2);
  EXPECT_EQ(d.attempts(0).attempt_number(), 1);
  EXPECT_EQ(d.attempts(1).attempt_number(), 2);
  EXPECT_EQ(d.attempts(1).outcome(), "delivered");
  EXPECT_EQ(d.attempt_count(), 2);
  std::this_thread::sleep_for(milliseconds(300));  // the worker polls every 50 ms: nothing more is sent
  EXPECT_EQ(WebhookPosts(path).size(), 2u);
}

TEST_F(NotificationRecoveryTest, RecoverSinceQueuesOnlyTheFailuresAfterIt) {
  // The receiver is down: the first delivery becomes a dead letter (4 attempts), then `since`, then the second.
  std::string before =
      DeliveryTo("RECOVER", "/down/recover-old", "aaaa0000-0000-4000-8000-000000000011", "32/KH-SGDĐT");
  ASSERT_FALSE(before.empty());
  ASSERT_TRUE(Reaches(before, nv1::DEAD_LETTER));
  // A new URL (endpoint): five failures in a row at one would open its circuit breaker and hold the second.
  const std::string path = "/down/recover";
  nv1::UpdateSubscriberRequest update;
  update.mutable_subscriber()->set_name("subscribers/RECOVER");
  update.mutable_subscriber()->set_webhook_url("http://127.0.0.1:" + std::to_string(webhook_port_) + path);
  update.mutable_update_mask()->add_paths("webhook_url");
  nv1::Subscriber updated;
  ASSERT_TRUE(Stub().UpdateSubscriber(Context(kAdmin).get(), update, &updated).ok());
  std::this_thread::sleep_for(milliseconds(20));
  auto since = TimeUtil::MicrosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::this_thread::sleep_for(milliseconds(20));
  std::string after = Send("RECOVER", "aaaa0000-0000-4000-8000-000000000012", "33/KH-SGDĐT",
                           Watch(kAdmin, "RECOVER", 0, 1, seconds(5)).at(0).cursor());
  ASSERT_FALSE(after.empty());
  ASSERT_TRUE(Reaches(after, nv1::DEAD_LETTER));
  ASSERT_EQ(Delivery(before).attempts_size(), 4);
  ASSERT_EQ(Delivery(after).attempts_size(), 4);

  // The receiver is back; recovering since `since` queues the second only, which is then delivered.
  HttpGet(webhook_port_, "/up/recover");
  nv1::RecoverFailedDeliveriesResponse r;
  ASSERT_TRUE(Recover(kTccb, "subscribers/RECOVER", since, &r).ok());
  EXPECT_EQ(r.recovered(), 1);
  EXPECT_FALSE(r.more());
  ASSERT_TRUE(Reaches(after, nv1::DELIVERED));
  auto d = Delivery(after);
  ASSERT_EQ(d.attempts_size(), 5);
  EXPECT_EQ(d.attempts(4).attempt_number(), 5);
  EXPECT_EQ(d.attempts(4).status_code(), 200);
  EXPECT_EQ(Delivery(before).state(), nv1::DEAD_LETTER);
  EXPECT_EQ(Delivery(before).attempts_size(), 4);

  // Again: nothing failed since then. From before the first: the first now.
  ASSERT_TRUE(Recover(kTccb, "subscribers/RECOVER", since, &r).ok());
  EXPECT_EQ(r.recovered(), 0);
  EXPECT_EQ(Cchcctl(kAdmin, "delivery recover --subscriber RECOVER --since 1970-01-01T07:00:00+07:00"),
            "1 deliveries of subscribers/RECOVER queued again\n");
  ASSERT_TRUE(Reaches(before, nv1::DELIVERED));  // to the subscriber's webhook as it is now
  EXPECT_EQ(WebhookPosts("/down/recover-old").size(), 4u);
}

TEST_F(NotificationRecoveryTest, AttemptsKeepTheFirst4096BytesOfEachAnswerAndTheirDuration) {
  // 200 after 250 ms with 5000 bytes: one attempt, the body cut at 4096 bytes.
  const std::string big = "/reply/200/5000/250/big";
  std::string name = DeliveryTo("ANSWER-BIG", big, "aaaa0000-0000-4000-8000-000000000021", "34/KH-SGDĐT");
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(Reaches(name, nv1::DELIVERED));
  auto d = Delivery(name);
  ASSERT_EQ(d.attempts_size(), 1);
  const auto& a = d.attempts(0);
  EXPECT_EQ(a.status_code(), 200);
  EXPECT_EQ(a.response_body().size(), 4096u);
  EXPECT_EQ(a.response_body(), ReplyBody(5000).substr(0, 4096));
  EXPECT_TRUE(a.response_body_truncated());
  EXPECT_GE(a.duration_ms(), 250);
  EXPECT_LT(a.duration_ms(), 20000);
  EXPECT_EQ(a.attempt_number(), 1);
  EXPECT_TRUE(a.has_time());
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.delivery_attempts WHERE delivery_id = '" +
                                    name.substr(std::string("deliveries/").size()) +
                                    "' AND octet_length(response_body) = 4096"),
            1);
  std::string shown = Cchcctl(kTccb, "delivery status " + name);
  EXPECT_NE(shown.find("DELIVERED"), std::string::npos) << shown;
  EXPECT_NE(shown.find("#1  "), std::string::npos) << shown;
  EXPECT_NE(shown.find("status 200"), std::string::npos) << shown;
  EXPECT_NE(shown.find("body (4096 bytes, cut): Đã nhận thông báo"), std::string::npos) << shown;

  // 503 with exactly 4096 bytes: every retry keeps its answer whole (not cut), numbered 1 to 4.
  const std::string exact = "/reply/503/4096/0/exact";
  name = DeliveryTo("ANSWER-EXACT", exact, "aaaa0000-0000-4000-8000-000000000022", "35/KH-SGDĐT");
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(Reaches(name, nv1::DEAD_LETTER));
  d = Delivery(name);
  ASSERT_EQ(d.attempts_size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(d.attempts(i).attempt_number(), i + 1);
    EXPECT_EQ(d.attempts(i).status_code(), 503);
    EXPECT_EQ(d.attempts(i).response_body(), ReplyBody(4096));
    EXPECT_FALSE(d.attempts(i).response_body_truncated());
    EXPECT_GE(d.attempts(i).duration_ms(), 0);
  }
}

TEST_F(NotificationRecoveryTest, OnlyAnAdminOrAnEditorOfTheSubscribersUnitMayResendOrRecover) {
  const std::string path = "/reply/200/0/0/authz";
  std::string name = DeliveryTo("RECOVER-AUTHZ", path, "aaaa0000-0000-4000-8000-000000000031", "36/KH-SGDĐT");
  ASSERT_FALSE(name.empty());
  ASSERT_TRUE(Reaches(name, nv1::DELIVERED));
  auto since = TimeUtil::SecondsToTimestamp(0);
  nv1::RecoverFailedDeliveriesResponse r;
  // A reader (no editor role), an editor of another unit: refused, and nothing queued.
  EXPECT_EQ(Resend(kOther, name).error_code(), grpc::PERMISSION_DENIED);
  auto denied = Resend(kOtherEditor, name);
  EXPECT_EQ(denied.error_code(), grpc::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("name:"), std::string::npos) << denied.error_message();
  EXPECT_EQ(Recover(kOther, "subscribers/RECOVER-AUTHZ", since, &r).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(Recover(kOtherEditor, "subscribers/RECOVER-AUTHZ", since, &r).error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(Recover("not-a-token", "subscribers/RECOVER-AUTHZ", since, &r).error_code(), grpc::UNAUTHENTICATED);
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(Delivery(name).state(), nv1::DELIVERED);
  EXPECT_EQ(WebhookPosts(path).size(), 1u);
  // Bad input names its field; what is absent is NOT_FOUND.
  auto bad = Resend(kTccb, "deliveries/not-a-uuid");
  EXPECT_EQ(bad.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message().rfind("name:", 0), 0u) << bad.error_message();
  EXPECT_EQ(Resend(kTccb, "deliveries/00000000-0000-4000-8000-000000000000").error_code(), grpc::NOT_FOUND);
  auto no_since = Recover(kTccb, "subscribers/RECOVER-AUTHZ", std::nullopt, &r);
  EXPECT_EQ(no_since.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(no_since.error_message().rfind("since:", 0), 0u) << no_since.error_message();
  auto bad_subscriber = Recover(kTccb, "units/RECOVER-AUTHZ", since, &r);
  EXPECT_EQ(bad_subscriber.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(bad_subscriber.error_message().rfind("subscriber:", 0), 0u) << bad_subscriber.error_message();
  EXPECT_EQ(Recover(kTccb, "subscribers/NO-SUCH-ONE", since, &r).error_code(), grpc::NOT_FOUND);
  // The unit's editor and an admin may; nothing failed here, so nothing is recovered.
  ASSERT_TRUE(Recover(kTccb, "subscribers/RECOVER-AUTHZ", since, &r).ok());
  EXPECT_EQ(r.recovered(), 0);
  std::string resent = Cchcctl(kAdmin, "delivery resend " + name.substr(std::string("deliveries/").size()));
  EXPECT_EQ(resent.rfind(name + " queued again (", 0), 0u) << resent;
  ASSERT_TRUE(WaitFor([&] { return WebhookPosts(path).size() == 2u; }, seconds(20)));
}

}  // namespace
}  // namespace cchc::testing
