#include "notification_fixture.h"

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cchc/document/v1/events.pb.h"
#include "platform/auth.h"
#include "platform/dates.h"
#include "support/kafka_reader.h"

namespace cchc::testing {

namespace nv1 = notification::v1;

PostgresCluster* NotificationTest::pg_ = nullptr;
Broker* NotificationTest::broker_ = nullptr;
std::unique_ptr<Process> NotificationTest::service_, NotificationTest::webhook_, NotificationTest::smtp_;
std::unique_ptr<DocumentDependency> NotificationTest::document_;
std::unique_ptr<TempDir> NotificationTest::dir_;
std::string NotificationTest::url_, NotificationTest::address_;
int NotificationTest::metrics_port_ = 0, NotificationTest::webhook_port_ = 0, NotificationTest::smtp_port_ = 0;
std::unique_ptr<nv1::NotificationService::Stub> NotificationTest::stub_;

namespace {
std::unique_ptr<Process> Python(const std::string& script, std::vector<std::string> args, const std::string& log) {
  std::vector<std::string> argv = {"/usr/bin/python3", SourceDir() + "/tests/system/" + script};
  for (auto& a : args) argv.push_back(std::move(a));
  auto p = std::make_unique<Process>(argv, log);
  EXPECT_TRUE(
      WaitFor([&] { return p->Log().find("ready") != std::string::npos || !p->Running(); }, std::chrono::seconds(10)))
      << p->Log();
  return p;
}
}  // namespace

void NotificationTest::SetUpTestSuite() {
  dir_ = std::make_unique<TempDir>();
  pg_ = new PostgresCluster();
  broker_ = new Broker();
  url_ = pg_->Provision("notification");
  WriteTokensFile(dir_->Path() + "/tokens", {{kAdmin, "SGDĐT admin"},
                                             {kTccb, "SGDĐT-TCCB reader,editor"},
                                             {kTccbReader, "SGDĐT-TCCB reader"},
                                             {kOther, "SNV reader"},
                                             {kOtherEditor, "SNV reader,editor"}});
  webhook_port_ = FreePort();
  webhook_ = Python("notification_webhook_server.py",
                    {"--port", std::to_string(webhook_port_), "--out", dir_->Path() + "/webhook.jsonl"},
                    dir_->Path() + "/webhook.log");
  // The SMTP receiver requires STARTTLS with a certificate made here (trusted by the service through
  // --smtp-ca-file) and AUTH with the credentials of the file the service reads.
  Shell(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext "
      "subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
      SmtpCaFile() + ".key -out " + SmtpCaFile() + " 2>&1");
  std::ofstream credentials(dir_->Path() + "/smtp-credentials");
  credentials << "# the notification service's SMTP login\n" << kSmtpCredentials << "\n";
  credentials.close();
  smtp_port_ = FreePort();
  smtp_ = StartSmtpReceiver(smtp_port_, "mail", {"--credentials", kSmtpCredentials});
  address_ = "127.0.0.1:" + std::to_string(FreePort());
  metrics_port_ = FreePort();
  stub_ = nv1::NotificationService::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  StartNotification();
}

void NotificationTest::TearDownTestSuite() {
  stub_.reset();
  if (service_) StopNotification(SIGTERM);
  if (document_ && document_->Running()) document_->Stop(SIGTERM, std::chrono::seconds(20));
  document_.reset();
  webhook_.reset();
  smtp_.reset();
  delete broker_;
  delete pg_;
  dir_.reset();
}

std::unique_ptr<Process> NotificationTest::LaunchNotification(const std::string& address, int metrics_port,
                                                              const std::string& log_name,
                                                              const std::vector<std::string>& extra) {
  // The webhook timeout outlasts the receiver's held posts (/hold/…) of the tests of a slow receiver.
  auto argv =
      ServiceArgv("notification-service", url_, broker_->Bootstrap(), dir_->Path() + "/tokens", address, metrics_port);
  argv.insert(argv.end(), {"--page-token-keys-file",
                           WritePageTokenKeys(dir_->Path()),  // the replicas share it
                           "--smtp-url",
                           "smtp://127.0.0.1:" + std::to_string(smtp_port_),
                           "--smtp-ca-file",
                           SmtpCaFile(),
                           "--smtp-credentials-file",
                           dir_->Path() + "/smtp-credentials",
                           "--smtp-from",
                           "thongbao@sgddt.soctrang.gov.vn",
                           "--delivery-attempts",
                           "4",
                           "--delivery-poll-ms",
                           "50",
                           "--backoff-base-ms",
                           "50",
                           "--backoff-cap-ms",
                           "200",
                           "--webhook-retry-schedule",
                           "50ms,100ms,200ms",
                           "--webhook-timeout-ms",
                           "20000",
                           "--webhook-secret-grace-seconds",
                           std::to_string(kSecretGraceSeconds),
                           "--webhook-allow-cidr",  // the test receivers listen on loopback
                           "127.0.0.0/8",
                           "--portal-base-url",
                           "https://sgddt.soctrang.gov.vn",
                           "--unready-seconds",
                           "0.1",
                           "--drain-seconds",
                           "2",
                           "--kafka-property",
                           "message.timeout.ms=5000"});
  SetFlags(argv, extra);
  return std::make_unique<Process>(argv, dir_->Path() + "/" + log_name);
}

std::string NotificationTest::SmtpCaFile() {
  return dir_->Path() + "/smtp-ca.pem";
}

std::unique_ptr<Process> NotificationTest::StartSmtpReceiver(int port, const std::string& folder,
                                                             const std::vector<std::string>& extra) {
  std::filesystem::create_directories(dir_->Path() + "/" + folder);
  std::vector<std::string> args = {"--port", std::to_string(port), "--dir", dir_->Path() + "/" + folder};
  if (std::find(extra.begin(), extra.end(), "--no-starttls") == extra.end())
    args.insert(args.end(), {"--cert", SmtpCaFile(), "--key", SmtpCaFile() + ".key"});
  args.insert(args.end(), extra.begin(), extra.end());
  return Python("notification_smtp_server.py", args, dir_->Path() + "/smtp-" + folder + ".log");
}

void NotificationTest::StartNotification(const std::vector<std::string>& extra) {
  service_ = LaunchNotification(address_, metrics_port_, "notification-service.log", extra);
  ASSERT_TRUE(WaitUntilReady(*service_, metrics_port_)) << service_->Log();
}

void NotificationTest::StopNotification(int signal) {
  service_->Signal(signal);
  service_->Wait(std::chrono::seconds(30));
  service_.reset();
}

void NotificationTest::StartDocument() {
  if (document_) return;
  document_ = std::make_unique<DocumentDependency>(*pg_, *broker_, dir_->Path());
  document_->Start();
}

std::unique_ptr<grpc::ClientContext> NotificationTest::Context(const std::string& token, int seconds) {
  return CallContext(token, seconds);
}

nv1::Subscriber NotificationTest::CreateSubscriber(const std::string& id, const std::string& unit,
                                                   const std::string& webhook_path, const std::string& email,
                                                   const nv1::QuietHours& quiet) {
  nv1::CreateSubscriberRequest req;
  auto* s = req.mutable_subscriber();
  s->set_id(id);
  s->set_display_name("Phòng Tổ chức cán bộ, Sở GD&ĐT (" + id + ")");
  s->set_kind(nv1::UNIT);
  s->set_unit(unit);
  if (!webhook_path.empty()) {
    s->set_webhook_url("http://127.0.0.1:" + std::to_string(webhook_port_) + webhook_path);
    s->set_webhook_secret(Secret(id));
  }
  s->set_email(email);
  if (!quiet.start().empty()) *s->mutable_quiet_hours() = quiet;
  nv1::Subscriber out;
  auto status = Stub().CreateSubscriber(Context(kAdmin).get(), req, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return out;
}

void NotificationTest::SubscribeToCchcDocuments(const std::string& id, const std::vector<nv1::Channel>& channels,
                                                const std::string& field) {
  nv1::CreateSubscriptionRequest req;
  req.set_parent("subscribers/" + id);
  auto* sub = req.mutable_subscription();
  sub->set_event_type("cchc.document.v1.DocumentPublished");
  sub->mutable_filter()->add_fields(field);
  sub->mutable_filter()->add_type_codes("QĐ");
  sub->mutable_filter()->add_type_codes("KH");
  for (auto c : channels) sub->add_channels()->set_channel(c);
  nv1::Subscription out;
  auto status = Stub().CreateSubscription(Context(kAdmin).get(), req, &out);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

void NotificationTest::SubscribeWithDigest(const std::string& id, nv1::Channel channel, const std::string& at,
                                           const std::string& field) {
  nv1::CreateSubscriptionRequest req;
  req.set_parent("subscribers/" + id);
  auto* sub = req.mutable_subscription();
  sub->set_event_type("cchc.document.v1.DocumentPublished");
  if (!field.empty()) sub->mutable_filter()->add_fields(field);
  sub->add_channels()->set_channel(nv1::INBOX);
  auto* digest = sub->add_channels();
  digest->set_channel(channel);
  digest->set_mode(nv1::DAILY_DIGEST);
  digest->set_digest_time(at);
  nv1::Subscription out;
  auto status = Stub().CreateSubscription(Context(kAdmin).get(), req, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

std::string NotificationTest::DigestTimeFarFromNow() {
  auto local = std::chrono::system_clock::now() + std::chrono::hours(7);
  auto minute = std::chrono::duration_cast<std::chrono::minutes>(local - std::chrono::floor<std::chrono::days>(local));
  int at = static_cast<int>((minute.count() + 12 * 60) % (24 * 60));
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", at / 60, at % 60);
  return buf;
}

void NotificationTest::ProduceDocumentPublished(const std::string& ce_id, const std::string& code,
                                                const std::string& field) {
  document::v1::DocumentPublished m;
  auto* d = m.mutable_document();
  d->set_name("documents/" + ce_id);
  d->set_code(code);
  d->set_type_abbreviation(code.find("/KH-") != std::string::npos   ? "KH"
                           : code.find("/QĐ-") != std::string::npos ? "QĐ"
                                                                    : "CV");
  d->set_issuer_code("SGDĐT");
  d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
  d->set_subject("Kế hoạch cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo");
  d->add_fields(field);
  Produce(broker_->Bootstrap(), "cchc.document.v1", d->name(), m.SerializeAsString(),
          {{"ce_id", ce_id},
           {"ce_source", "/cchc/document"},
           {"ce_specversion", "1.0"},
           {"ce_type", "cchc.document.v1.DocumentPublished"},
           {"ce_time", dates::Rfc3339Utc()},  // now: after the subscriptions it should reach
           {"ce_subject", d->name()},
           {"content-type", "application/protobuf"}});
}

std::vector<nlohmann::json> NotificationTest::WebhookPosts(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(dir_->Path() + "/webhook.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;  // a line being written
    if (path.empty() || j["path"] == path) out.push_back(std::move(j));
  }
  return out;
}

std::vector<nlohmann::json> NotificationTest::Mails(const std::string& folder) {
  std::vector<nlohmann::json> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir_->Path() + "/" + folder)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

std::vector<nv1::Notification> NotificationTest::Watch(const std::string& token, const std::string& id, int64_t after,
                                                       size_t count, std::chrono::milliseconds timeout, int* resumed,
                                                       nv1::NotificationService::Stub* stub) {
  const auto deadline = std::chrono::system_clock::now() + timeout;
  std::vector<nv1::Notification> out;
  int64_t cursor = after;
  if (resumed) *resumed = 0;
  for (;;) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(deadline);
    // After a test restarts the service the channel may still be backing off from the old process: wait for the
    // new one (within the deadline) rather than fail at once.
    ctx.set_wait_for_ready(true);
    nv1::WatchNotificationsRequest req;
    req.set_parent("subscribers/" + id);
    req.set_after_cursor(cursor);
    auto reader = (stub ? *stub : Stub()).WatchNotifications(&ctx, req);
    nv1::Notification n;
    while (out.size() < count && reader->Read(&n)) {
      cursor = n.cursor();
      out.push_back(n);
    }
    bool ended = out.size() < count;  // the stream ended (or its deadline passed) before `count`
    // Cancel only a stream still open: cancelling one that has ended would replace its status with CANCELLED.
    if (!ended) ctx.TryCancel();
    auto status = reader->Finish();
    if (!ended) return out;
    // UNAVAILABLE: the stream reached its maximum age, or the server is going away: resume from the cursor.
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE && std::chrono::system_clock::now() < deadline) {
      if (resumed) ++*resumed;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED)
      std::fprintf(stderr, "Watch of %s ended after %zu of %zu notifications: %d %s\n", id.c_str(), out.size(), count,
                   static_cast<int>(status.error_code()), status.error_message().c_str());
    return out;
  }
}

std::string NotificationTest::Sql(const std::string& sql) {
  return pg_->Value(sql);
}

int64_t NotificationTest::Count(const std::string& sql) {
  return std::stoll(Sql(sql));
}

notification::v1::Delivery NotificationTest::Delivery(const std::string& name) {
  notification::v1::GetDeliveryStatusRequest req;
  req.set_name(name);
  notification::v1::Delivery d;
  auto s = Stub().GetDeliveryStatus(Context(kAdmin).get(), req, &d);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return d;
}

std::string NotificationTest::StandardSignature(const std::string& secret, const std::string& msg_id,
                                                const std::string& timestamp, const std::string& body) {
  auto key = crypto::Base64Decode(secret.substr(secret.rfind("whsec_", 0) == 0 ? 6 : 0));
  EXPECT_TRUE(key) << secret;
  return "v1," + crypto::Base64Encode(crypto::HmacSha256(key.value_or(""), msg_id + "." + timestamp + "." + body));
}

std::string NotificationTest::StandardSignature(const std::string& secret, const nlohmann::json& post) {
  return StandardSignature(secret, post["id"], post["timestamp"], post["body"]);
}

std::string NotificationTest::Secret(const std::string& id) {
  return "whsec_" + crypto::Base64Encode("secret-of-" + id + "-0123456789abcdef");
}

}  // namespace cchc::testing
