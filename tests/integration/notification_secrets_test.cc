// Webhook secrets (Standard Webhooks 1.0) against the running service: a secret generated on create is shown once
// and signs; RotateWebhookSecret is for admin and the editors of the subscriber's unit only; old and new both sign
// until the grace period (the fixture's kSecretGraceSeconds) ends, then the new one alone; a secret stored before
// secrets were whsec_ keeps signing as its bytes until rotated. Signatures are recomputed here with OpenSSL.
#include <thread>

#include "platform/crypto.h"
#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

const char* const kSecretsField = "Bảo mật webhook";  // only this file's subscriptions hear it

class NotificationSecretsTest : public NotificationTest {
 protected:
  static grpc::Status Rotate(const std::string& token, const std::string& id, nv1::RotateWebhookSecretResponse* out) {
    nv1::RotateWebhookSecretRequest req;
    req.set_name("subscribers/" + id);
    return Stub().RotateWebhookSecret(Context(token).get(), req, out);
  }
  static std::string StoredSecret(const std::string& id) {
    return Sql("SELECT webhook_secret FROM notification.subscribers WHERE id = '" + id + "'");
  }
  // The signature entries of a post, in order.
  static std::vector<std::string> Entries(const nlohmann::json& post) {
    std::vector<std::string> out;
    std::string header = post["signature"];
    for (size_t at = 0; at <= header.size();) {
      size_t space = std::min(header.find(' ', at), header.size());
      out.push_back(header.substr(at, space - at));
      at = space + 1;
    }
    return out;
  }
  // Produces one document event and returns the webhook post it caused at `path`.
  static nlohmann::json PostOf(const std::string& ce_id, const std::string& code, const std::string& path) {
    size_t before = WebhookPosts(path).size();
    ProduceDocumentPublished(ce_id, code, kSecretsField);
    EXPECT_TRUE(WaitFor([&] { return WebhookPosts(path).size() > before; }, std::chrono::seconds(20)));
    auto posts = WebhookPosts(path);
    return posts.size() > before ? posts[before] : nlohmann::json::object();
  }
};

TEST_F(NotificationSecretsTest, SecretGeneratedOnCreateIsShownOnceAndSigns) {
  nv1::CreateSubscriberRequest req;
  auto* s = req.mutable_subscriber();
  s->set_id("GENERATED");
  s->set_display_name("Trường THPT Hoàng Lệ Kha");
  s->set_kind(nv1::UNIT);
  s->set_unit("SGDĐT-TCCB");
  s->set_webhook_url("http://127.0.0.1:" + std::to_string(webhook_port_) + "/generated");
  nv1::Subscriber created;
  auto status = Stub().CreateSubscriber(Context(kAdmin).get(), req, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string secret = created.generated_webhook_secret();
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u) << secret;
  EXPECT_EQ(crypto::Base64Decode(secret.substr(6)).value_or("").size(), 32u);
  EXPECT_TRUE(created.has_webhook_secret());
  EXPECT_EQ(created.webhook_secret(), "");
  EXPECT_EQ(StoredSecret("GENERATED"), secret);

  // Never again: not by Get, not by List.
  nv1::GetSubscriberRequest get;
  get.set_name("subscribers/GENERATED");
  nv1::Subscriber got;
  ASSERT_TRUE(Stub().GetSubscriber(Context(kAdmin).get(), get, &got).ok());
  EXPECT_EQ(got.generated_webhook_secret(), "");
  EXPECT_TRUE(got.has_webhook_secret());
  nv1::ListSubscribersRequest list;
  list.set_page_size(1000);
  nv1::ListSubscribersResponse listed;
  ASSERT_TRUE(Stub().ListSubscribers(Context(kAdmin).get(), list, &listed).ok());
  for (const auto& l : listed.subscribers()) {
    EXPECT_EQ(l.generated_webhook_secret(), "") << l.id();
    EXPECT_EQ(l.webhook_secret(), "") << l.id();
  }

  // A secret given by the caller is not echoed; one not in the whsec_ form is refused, nothing written.
  s->set_id("GIVEN");
  s->set_webhook_secret(Secret("GIVEN"));
  nv1::Subscriber given;
  ASSERT_TRUE(Stub().CreateSubscriber(Context(kAdmin).get(), req, &given).ok());
  EXPECT_EQ(given.generated_webhook_secret(), "");
  s->set_id("LEGACYFORM");
  s->set_webhook_secret("tccb-webhook-secret-0123456789");
  status = Stub().CreateSubscriber(Context(kAdmin).get(), req, &given);
  EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("subscriber.webhook_secret", 0), 0u) << status.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM notification.subscribers WHERE id = 'LEGACYFORM'"), 0);

  // The generated secret signs the deliveries; webhook-id is msg_ + the delivery's id.
  SubscribeToCchcDocuments("GENERATED", {nv1::INBOX, nv1::WEBHOOK}, kSecretsField);
  auto post = PostOf("c3c3c3c3-0000-4000-8000-000000000001", "301/QĐ-SGDĐT", "/generated");
  EXPECT_EQ(post["signature"], StandardSignature(secret, post));
  auto delivery = nlohmann::json::parse(std::string(post["body"]))["data"]["delivery"].get<std::string>();
  EXPECT_EQ(post["id"], "msg_" + delivery.substr(std::string("deliveries/").size()));
}

TEST_F(NotificationSecretsTest, RotationIsForAdminAndTheUnitsEditorsOnly) {
  CreateSubscriber("ROTATE", "SGDĐT-TCCB", "/rotate");
  CreateSubscriber("NOHOOK", "SGDĐT-TCCB", "");
  const std::string before = StoredSecret("ROTATE");
  nv1::RotateWebhookSecretResponse out;
  EXPECT_EQ(Rotate("", "ROTATE", &out).error_code(), grpc::UNAUTHENTICATED);
  EXPECT_EQ(Rotate(kOther, "ROTATE", &out).error_code(), grpc::PERMISSION_DENIED);       // another unit's reader
  EXPECT_EQ(Rotate(kTccbReader, "ROTATE", &out).error_code(), grpc::PERMISSION_DENIED);  // the unit's reader
  auto denied = Rotate(kOtherEditor, "ROTATE", &out);                                    // another unit's editor
  EXPECT_EQ(denied.error_code(), grpc::PERMISSION_DENIED);
  EXPECT_EQ(denied.error_message().rfind("name:", 0), 0u) << denied.error_message();
  EXPECT_EQ(StoredSecret("ROTATE"), before);
  EXPECT_EQ(Count("SELECT count(*) FROM notification.subscribers WHERE webhook_secret_previous <> ''"), 0);

  auto status = Rotate(kTccb, "ROTATE", &out);  // an editor of the subscriber's unit
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(StoredSecret("ROTATE"), out.webhook_secret());
  EXPECT_EQ(crypto::Base64Decode(out.webhook_secret().substr(6)).value_or("").size(), 32u);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  EXPECT_NEAR(static_cast<double>(out.previous_secret_expire_time().seconds()),
              static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(now).count() + kSecretGraceSeconds),
              2.0);
  nv1::RotateWebhookSecretResponse again;
  ASSERT_TRUE(Rotate(kAdmin, "ROTATE", &again).ok());
  EXPECT_NE(again.webhook_secret(), out.webhook_secret());

  status = Rotate(kAdmin, "NOHOOK", &out);
  EXPECT_EQ(status.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message().rfind("name:", 0), 0u) << status.error_message();
  EXPECT_EQ(Rotate(kAdmin, "NOBODY", &out).error_code(), grpc::NOT_FOUND);
  EXPECT_EQ(Rotate(kAdmin, "NO BODY", &out).error_code(), grpc::INVALID_ARGUMENT);
}

TEST_F(NotificationSecretsTest, OldAndNewSignUntilTheGraceEndsAndALegacySecretSignsUntilRotated) {
  CreateSubscriber("LEGACY", "SGDĐT-TCCB", "/legacy");
  SubscribeToCchcDocuments("LEGACY", {nv1::WEBHOOK}, kSecretsField);
  // A secret stored before secrets were whsec_ (what the migration leaves in place): its bytes are the key.
  const std::string legacy = "tccb-legacy-secret-0123456789";
  Sql("UPDATE notification.subscribers SET webhook_secret = '" + legacy + "' WHERE id = 'LEGACY' RETURNING id");
  auto post = PostOf("c3c3c3c3-0000-4000-8000-000000000011", "311/QĐ-SGDĐT", "/legacy");
  auto raw = [&](const std::string& key, const nlohmann::json& p) {
    return "v1," + crypto::Base64Encode(crypto::HmacSha256(
                       key, std::string(p["id"]) + "." + std::string(p["timestamp"]) + "." + std::string(p["body"])));
  };
  EXPECT_EQ(Entries(post), std::vector<std::string>{raw(legacy, post)});

  nv1::RotateWebhookSecretResponse rotated;
  ASSERT_TRUE(Rotate(kTccb, "LEGACY", &rotated).ok());
  post = PostOf("c3c3c3c3-0000-4000-8000-000000000012", "312/QĐ-SGDĐT", "/legacy");
  ASSERT_LT(std::stoll(std::string(post["timestamp"])), rotated.previous_secret_expire_time().seconds())
      << "the delivery came after the grace period; the test cannot see both signatures";
  EXPECT_EQ(Entries(post),
            (std::vector<std::string>{StandardSignature(rotated.webhook_secret(), post), raw(legacy, post)}));

  // After the grace period: the new secret alone.
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(std::chrono::seconds(rotated.previous_secret_expire_time().seconds() + 1)));
  post = PostOf("c3c3c3c3-0000-4000-8000-000000000013", "313/QĐ-SGDĐT", "/legacy");
  EXPECT_EQ(Entries(post), std::vector<std::string>{StandardSignature(rotated.webhook_secret(), post)});
}

}  // namespace
}  // namespace cchc::testing
