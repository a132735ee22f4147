// Live webhook deliveries checked by the Standard Webhooks authors' own verifier: npm standardwebhooks, run with
// node in a receiver (standard_webhooks/receiver.mjs) that the running notification service posts to. Nothing of
// cchc's signing code is used to check: a generated secret verifies; during a rotation the old and the new secret
// each verify the same post (two entries in webhook-signature); after the grace period only the new one does.
// The verifier is installed by the ctest fixture notification_standard_webhooks_npm (standard_webhooks/install).
#include <filesystem>
#include <fstream>
#include <thread>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

const char* const kField = "Chuẩn webhook";  // only this file's subscriptions hear it

class StandardWebhooksTest : public NotificationTest {
 public:
  static void SetUpTestSuite() {
    NotificationTest::SetUpTestSuite();
    const std::string modules = std::string(CCHC_BUILD_DIR) + "/standardwebhooks";
    ASSERT_TRUE(std::filesystem::exists(modules + "/node_modules/standardwebhooks/package.json"))
        << "npm standardwebhooks is not installed in " << modules << ": run tests/system/standard_webhooks/install "
        << modules << " (ctest runs it first as notification_standard_webhooks_npm; it needs npm's registry)";
    node_port_ = FreePort();
    WriteSecrets({});
    node_ = std::make_unique<Process>(
        std::vector<std::string>{"/usr/bin/env", "node", SourceDir() + "/tests/system/standard_webhooks/receiver.mjs",
                                 "--port", std::to_string(node_port_), "--out", dir_->Path() + "/standard.jsonl",
                                 "--secrets", dir_->Path() + "/secrets.json", "--modules", modules},
        dir_->Path() + "/standard-receiver.log");
    ASSERT_TRUE(WaitFor([] { return node_->Log().find("ready") != std::string::npos || !node_->Running(); },
                        std::chrono::seconds(20)) &&
                node_->Running())
        << node_->Log();
  }
  static void TearDownTestSuite() {
    node_.reset();
    NotificationTest::TearDownTestSuite();
  }

 protected:
  // The secrets the receiver verifies posts to /swh with, by label.
  static void WriteSecrets(const std::map<std::string, std::string>& secrets) {
    nlohmann::json j = {{"/swh", secrets}};
    std::ofstream(dir_->Path() + "/secrets.json.tmp") << j.dump();
    std::filesystem::rename(dir_->Path() + "/secrets.json.tmp", dir_->Path() + "/secrets.json");
  }
  static std::vector<nlohmann::json> Posts() {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir_->Path() + "/standard.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded()) out.push_back(std::move(j));
    }
    return out;
  }
  // Produces one document event and returns the receiver's record of the post it caused.
  static nlohmann::json PostOf(const std::string& ce_id, const std::string& code) {
    size_t before = Posts().size();
    ProduceDocumentPublished(ce_id, code, kField);
    EXPECT_TRUE(WaitFor([&] { return Posts().size() > before; }, std::chrono::seconds(20))) << node_->Log();
    auto posts = Posts();
    return posts.size() > before ? posts[before] : nlohmann::json::object();
  }

  static std::unique_ptr<Process> node_;
  static int node_port_;
};

std::unique_ptr<Process> StandardWebhooksTest::node_;
int StandardWebhooksTest::node_port_ = 0;

TEST_F(StandardWebhooksTest, LiveDeliveriesVerifyWithTheAuthorsVerifierThroughARotation) {
  nv1::CreateSubscriberRequest req;
  auto* s = req.mutable_subscriber();
  s->set_id("SWH");
  s->set_display_name("Hệ thống quản lý hồ sơ công việc");
  s->set_kind(nv1::SYSTEM);
  s->set_unit("SGDĐT-TCCB");
  s->set_webhook_url("http://127.0.0.1:" + std::to_string(node_port_) + "/swh");
  nv1::Subscriber created;
  auto status = Stub().CreateSubscriber(Context(kAdmin).get(), req, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string first = created.generated_webhook_secret();
  ASSERT_FALSE(first.empty());
  WriteSecrets({{"first", first}});
  SubscribeToCchcDocuments("SWH", {nv1::INBOX, nv1::WEBHOOK}, kField);

  // The generated secret: the verifier accepts the post and its body is {"type", "timestamp", "data"}.
  auto post = PostOf("d4d4d4d4-0000-4000-8000-000000000001", "401/QĐ-SGDĐT");
  EXPECT_EQ(post["verified"]["first"], true) << post.dump();
  EXPECT_EQ(std::string(post["id"]).rfind("msg_", 0), 0u);
  auto body = nlohmann::json::parse(std::string(post["body"]));
  EXPECT_EQ(body["type"], "cchc.document.v1.DocumentPublished");
  EXPECT_EQ(body["data"]["id"], "d4d4d4d4-0000-4000-8000-000000000001");
  EXPECT_EQ(body["data"]["details"]["document"]["code"], "401/QĐ-SGDĐT");

  // A rotation by the unit's editor: each of the two secrets verifies the same post.
  nv1::RotateWebhookSecretRequest rotate;
  rotate.set_name("subscribers/SWH");
  nv1::RotateWebhookSecretResponse rotated;
  status = Stub().RotateWebhookSecret(Context(kTccb).get(), rotate, &rotated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  WriteSecrets({{"old", first}, {"new", rotated.webhook_secret()}});
  post = PostOf("d4d4d4d4-0000-4000-8000-000000000002", "402/QĐ-SGDĐT");
  ASSERT_LT(std::stoll(std::string(post["timestamp"])), rotated.previous_secret_expire_time().seconds())
      << "the delivery came after the grace period; the test cannot see both signatures";
  EXPECT_EQ(post["verified"]["old"], true) << post.dump();
  EXPECT_EQ(post["verified"]["new"], true) << post.dump();
  EXPECT_NE(std::string(post["signature"]).find(' '), std::string::npos);

  // After the grace period: the new secret only.
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(std::chrono::seconds(rotated.previous_secret_expire_time().seconds() + 1)));
  post = PostOf("d4d4d4d4-0000-4000-8000-000000000003", "403/QĐ-SGDĐT");
  EXPECT_EQ(post["verified"]["new"], true) << post.dump();
  EXPECT_EQ(post["verified"]["old"], false) << post.dump();
  EXPECT_EQ(post["errors"]["old"], "No matching signature found") << post.dump();
}

}  // namespace
}  // namespace cchc::testing
