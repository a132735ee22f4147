// E-mail is sent only over TLS: to the test receiver over STARTTLS with AUTH (Vietnamese subject and body
// intact), or over smtps:// (implicit TLS); a receiver that offers no STARTTLS, or whose certificate is not trusted,
// makes a dead letter at the first attempt with a reason that says so, and gets nothing but EHLO in clear text; a
// --smtp-url holding credentials stops start-up naming the flag. Real PostgreSQL and the embedded broker
// (notification_fixture.h).
#include <signal.h>

#include <fstream>
#include <sstream>

#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

class NotificationSmtpTest : public NotificationTest {
 protected:
  // The commands a receiver answered, one "<tls|clear> <VERB>" a line (notification_smtp_server.py).
  static std::string Commands(const std::string& folder) {
    std::ifstream in(dir_->Path() + "/" + folder + "/commands.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // A second notification service with its own schema and consumer group (so its deliveries are its own),
  // started with `extra` flags; while it lives, Stub() talks to it. The suite's service keeps running.
  class SideService {
   public:
    SideService(const std::string& schema, const std::vector<std::string>& extra) {
      std::vector<std::string> args = {"--database-url", pg_->Provision(schema), "--schema",
                                       schema,           "--group-id",           "cchc-" + schema};
      args.insert(args.end(), extra.begin(), extra.end());
      const std::string address = "127.0.0.1:" + std::to_string(FreePort());
      const int metrics = FreePort();
      process_ = LaunchNotification(address, metrics, schema + ".log", args);
      ready_ = WaitUntilReady(*process_, metrics);
      saved_ = std::move(stub_);
      stub_ = nv1::NotificationService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
    }
    ~SideService() {
      stub_ = std::move(saved_);
      process_->Signal(SIGTERM);
      process_->Wait(std::chrono::seconds(20));
    }
    bool Ready() const { return ready_; }
    std::string Log() const { return process_->Log(); }

   private:
    std::unique_ptr<Process> process_;
    std::unique_ptr<nv1::NotificationService::Stub> saved_;
    bool ready_ = false;
  };
  // The mails the suite's receiver got for `to`.
  static std::vector<nlohmann::json> MailsTo(const std::string& to) {
    std::vector<nlohmann::json> out;
    for (auto& m : Mails())
      if (m["to"][0] == "<" + to + ">") out.push_back(m);
    return out;
  }
  // Subscribes `id` (e-mail `email`) to CCHC documents by inbox and e-mail, publishes one, and returns its e-mail
  // delivery once it is a dead letter (the test fails if it is not one within 20 s).
  static nv1::Delivery DeadLetterOfOneEmail(const std::string& id, const std::string& email, const std::string& ce_id,
                                            const std::string& code) {
    CreateSubscriber(id, "SGDĐT-TCCB", "", email);
    SubscribeToCchcDocuments(id, {nv1::INBOX, nv1::EMAIL});
    ProduceDocumentPublished(ce_id, code);
    auto inbox = Watch(kTccb, id, 0, 1, std::chrono::seconds(20));
    EXPECT_EQ(inbox.size(), 1u);
    if (inbox.empty()) return {};
    const std::string name = inbox[0].deliveries(0);
    EXPECT_TRUE(WaitFor([&] { return Delivery(name).state() == nv1::DEAD_LETTER; }, std::chrono::seconds(20)));
    return Delivery(name);
  }
};

TEST_F(NotificationSmtpTest, EmailGoesOverStartTlsWithAuthAndItsVietnameseTextIntact) {
  CreateSubscriber("TLSMAIL", "SGDĐT-TCCB", "", "tccb-tls@sgddt.soctrang.gov.vn");
  SubscribeToCchcDocuments("TLSMAIL", {nv1::INBOX, nv1::EMAIL});
  ProduceDocumentPublished("5a5a5a5a-0000-4000-8000-000000000001", "998/QĐ-SGDĐT");
  ASSERT_TRUE(WaitFor([] { return !MailsTo("tccb-tls@sgddt.soctrang.gov.vn").empty(); }, std::chrono::seconds(20)))
      << service_->Log();
  auto mails = MailsTo("tccb-tls@sgddt.soctrang.gov.vn");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["tls"], true);
  EXPECT_EQ(mails[0]["login"], "thongbao@sgddt.soctrang.gov.vn");
  EXPECT_EQ(mails[0]["to"][0], "<tccb-tls@sgddt.soctrang.gov.vn>");
  EXPECT_EQ(mails[0]["subject"],
            "[CCHC] Văn bản mới: 998/QĐ-SGDĐT — Kế hoạch cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo");
  EXPECT_NE(std::string(mails[0]["body"]).find("Kính gửi Phòng Tổ chức cán bộ"), std::string::npos);
  // Nothing but the first EHLO before STARTTLS: no AUTH, MAIL, RCPT or DATA in clear text.
  std::string commands = Commands("mail");
  EXPECT_NE(commands.find("tls AUTH"), std::string::npos) << commands;
  for (const char* verb : {"AUTH", "MAIL", "RCPT", "DATA"})
    EXPECT_EQ(commands.find(std::string("clear ") + verb), std::string::npos) << commands;
}

TEST_F(NotificationSmtpTest, SmtpsSpeaksTlsFromTheFirstByte) {
  int port = FreePort();
  auto implicit = StartSmtpReceiver(port, "smtps-mail", {"--implicit-tls", "--credentials", kSmtpCredentials});
  SideService side("notification_smtps", {"--smtp-url", "smtps://127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(side.Ready()) << side.Log();
  CreateSubscriber("SMTPS", "SGDĐT-TCCB", "", "tccb-smtps@sgddt.soctrang.gov.vn");
  SubscribeToCchcDocuments("SMTPS", {nv1::INBOX, nv1::EMAIL});
  ProduceDocumentPublished("5a5a5a5a-0000-4000-8000-000000000004", "334/KH-SGDĐT");
  ASSERT_TRUE(WaitFor([] { return !Mails("smtps-mail").empty(); }, std::chrono::seconds(20))) << side.Log();
  auto mails = Mails("smtps-mail");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["tls"], true);
  EXPECT_EQ(mails[0]["login"], "thongbao@sgddt.soctrang.gov.vn");
  EXPECT_EQ(std::string(mails[0]["subject"]).rfind("[CCHC] Văn bản mới: 334/KH-SGDĐT — ", 0), 0u) << mails[0];
}

TEST_F(NotificationSmtpTest, ReceiverWithoutStartTlsMakesADeadLetterAndGetsNothingInClearText) {
  int port = FreePort();
  auto plain = StartSmtpReceiver(port, "plain-mail", {"--no-starttls"});
  SideService side("notification_plain", {"--smtp-url", "smtp://127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(side.Ready()) << side.Log();
  auto d = DeadLetterOfOneEmail("PLAINMAIL", "tccb-plain@sgddt.soctrang.gov.vn", "5a5a5a5a-0000-4000-8000-000000000002",
                                "999/QĐ-SGDĐT");
  // At the first attempt, not retried as a transient error.
  EXPECT_EQ(d.attempt_count(), 1);
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).outcome(), "dead_letter");
  EXPECT_EQ(d.last_error(), "the SMTP server at smtp://127.0.0.1:" + std::to_string(port) +
                                " does not offer STARTTLS; mail is never sent in clear text");
  EXPECT_TRUE(Mails("plain-mail").empty());
  std::string commands = Commands("plain-mail");
  EXPECT_NE(commands.find("clear EHLO"), std::string::npos) << commands;  // the service did connect
  for (const char* verb : {"AUTH", "MAIL", "RCPT", "DATA"})
    EXPECT_EQ(commands.find(verb), std::string::npos) << commands;
}

TEST_F(NotificationSmtpTest, UntrustedCertificateMakesADeadLetter) {
  // The system's CAs, which do not include the receiver's self-signed certificate.
  SideService side("notification_untrusted", {"--smtp-ca-file", "/etc/ssl/certs/ca-certificates.crt"});
  ASSERT_TRUE(side.Ready()) << side.Log();
  auto d = DeadLetterOfOneEmail("UNTRUSTED", "tccb-untrusted@sgddt.soctrang.gov.vn",
                                "5a5a5a5a-0000-4000-8000-000000000003", "1000/QĐ-SGDĐT");
  EXPECT_EQ(d.attempt_count(), 1);
  EXPECT_NE(d.last_error().find("failed verification"), std::string::npos) << d.last_error();
  EXPECT_NE(d.last_error().find("--smtp-ca-file"), std::string::npos) << d.last_error();
  EXPECT_TRUE(MailsTo("tccb-untrusted@sgddt.soctrang.gov.vn").empty());
}

TEST_F(NotificationSmtpTest, UrlWithCredentialsStopsStartUpNamingTheFlag) {
  auto p = LaunchNotification("127.0.0.1:" + std::to_string(FreePort()), FreePort(), "smtp-userinfo.log",
                              {"--smtp-url", "smtp://thongbao:mat-khau-bi-lo@127.0.0.1:587"});
  EXPECT_NE(p->Wait(std::chrono::seconds(20)), 0) << "expected start-up to fail";
  std::string log = p->Log();
  EXPECT_NE(log.find("--smtp-url"), std::string::npos) << log;
  EXPECT_NE(log.find("--smtp-credentials-file"), std::string::npos) << log;
  EXPECT_EQ(log.find("mat-khau-bi-lo"), std::string::npos) << log;
}

}  // namespace
}  // namespace cchc::testing
