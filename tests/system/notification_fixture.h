#pragma once
// A running notification service (its own process) over a real PostgreSQL cluster and the embedded broker,
// with a webhook receiver and an SMTP receiver requiring STARTTLS and AUTH (python3 scripts next to this file)
// on 127.0.0.1, and — for the system test — the document service whose events it consumes. Tokens: an admin,
// the TCCB office's principal (SGDĐT-TCCB, reader and editor), another unit's reader (SNV) and editor (SNV).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/notification/v1/notification.grpc.pb.h"
#include "support/document_service.h"
#include "support/stack.h"

namespace cchc::testing {

class NotificationTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // `extra`: "--flag", "value" pairs that replace the fixture's value of the flag or add it.
  static void StartNotification(const std::vector<std::string>& extra = {});
  // Another notification-service process on the same database, broker and consumer group (a replica),
  // logging to `log_name` in the suite's folder; the caller waits for it to be ready.
  static std::unique_ptr<Process> LaunchNotification(const std::string& address, int metrics_port,
                                                     const std::string& log_name,
                                                     const std::vector<std::string>& extra = {});
  static void StopNotification(int signal);
  static void StartDocument();  // on demand (system test)

  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token, int seconds = 10);
  static notification::v1::NotificationService::Stub& Stub() { return *stub_; }
  static document::v1::DocumentService::Stub& Documents() { return document_->Stub(); }

  // Creates subscriber `id` owned by `unit` with a webhook at `webhook_path` of the test receiver (none if
  // empty), an e-mail address (none if empty) and quiet hours (none if empty); fails the test otherwise.
  static notification::v1::Subscriber CreateSubscriber(const std::string& id, const std::string& unit,
                                                       const std::string& webhook_path, const std::string& email = "",
                                                       const notification::v1::QuietHours& quiet = {});
  // Subscribes `id` to DocumentPublished of field `field`, types QĐ and KH, on `channels`.
  static void SubscribeToCchcDocuments(const std::string& id, const std::vector<notification::v1::Channel>& channels,
                                       const std::string& field = "Cải cách hành chính");
  // Every DocumentPublished (of `field` when given) to the inbox, and to `channel` as a daily digest at `at`
  // ("HH:MM", local time).
  static void SubscribeWithDigest(const std::string& id, notification::v1::Channel channel, const std::string& at,
                                  const std::string& field = "");
  // A digest time ("HH:MM", local UTC+7) twelve hours from now: all of a test's events fall on one digest day.
  static std::string DigestTimeFarFromNow();

  // A DocumentPublished event as the document service writes it, produced to the broker with `ce_id`.
  static void ProduceDocumentPublished(const std::string& ce_id, const std::string& code,
                                       const std::string& field = "Cải cách hành chính");
  // What the webhook receiver got so far (one JSON object per POST).
  static std::vector<nlohmann::json> WebhookPosts(const std::string& path = "");
  // Mails the SMTP receiver writing to `folder` (of the suite's directory) received.
  static std::vector<nlohmann::json> Mails(const std::string& folder = "mail");
  // An SMTP receiver (notification_smtp_server.py) on `port` writing to `folder`: STARTTLS required with the
  // certificate of SmtpCaFile() unless `extra` holds "--no-starttls"; `extra`: more of its flags.
  static std::unique_ptr<Process> StartSmtpReceiver(int port, const std::string& folder,
                                                    const std::vector<std::string>& extra = {});
  // The self-signed certificate the SMTP receivers present, which the service trusts (--smtp-ca-file).
  static std::string SmtpCaFile();
  // Reads the inbox of `id` through Watch from `after`, until `count` notifications or `timeout`. A stream
  // that ends with UNAVAILABLE (its maximum age, a server going away) is resumed from the last cursor read, as
  // a client should; `resumed`, when given, counts those resumptions. `stub`: another replica's (default Stub()).
  static std::vector<notification::v1::Notification> Watch(const std::string& token, const std::string& id,
                                                           int64_t after, size_t count,
                                                           std::chrono::milliseconds timeout, int* resumed = nullptr,
                                                           notification::v1::NotificationService::Stub* stub = nullptr);
  static std::string Sql(const std::string& sql);
  // The count a `SELECT count(*) …` returns.
  static int64_t Count(const std::string& sql);
  // GetDeliveryStatus of `name` (deliveries/{id}) as admin; a failed call fails the test.
  static notification::v1::Delivery Delivery(const std::string& name);
  // The hex HMAC-SHA256 a webhook signature carries after "v1=": over "<timestamp>.<body>" with `secret`,
  // computed here with OpenSSL directly (not the service's code).
  static std::string WebhookHmacHex(const std::string& secret, const std::string& timestamp, const std::string& body);
  static std::string Secret(const std::string& id) { return "secret-of-" + id + "-0123456789"; }

  static PostgresCluster* pg_;
  static Broker* broker_;
  static std::unique_ptr<Process> service_, webhook_, smtp_;
  static std::unique_ptr<DocumentDependency> document_;
  static std::unique_ptr<TempDir> dir_;
  static std::string url_, address_;
  static int metrics_port_, webhook_port_, smtp_port_;
  static std::unique_ptr<notification::v1::NotificationService::Stub> stub_;

  static constexpr const char* kAdmin = "admin-token-for-tests";
  static constexpr const char* kTccb = "tccb-token";  // SGDĐT-TCCB reader, editor
  static constexpr const char* kOther = "snv-token";  // SNV reader
  // SNV reader, editor
  static constexpr const char* kOtherEditor = "snv-editor-token";
  static constexpr const char* kSmtpCredentials = "thongbao@sgddt.soctrang.gov.vn:mật-khẩu:2026";  // user:password
};

}  // namespace cchc::testing
