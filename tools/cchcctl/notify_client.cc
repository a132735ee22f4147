#include "notify_client.h"

#include "conventions.h"
#include "platform/dates.h"
#include "platform/errors.h"

namespace cchc::cchcctl {

NotificationConnection& Notifications() {
  static NotificationConnection connection;
  return connection;
}

CLI::App* NotifySub(CLI::App* parent, const char* name, const char* help) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  cmd->add_option("--notification-address", Notifications().address, "host:port of the notification service")
      ->envname("CCHC_NOTIFICATION_ADDRESS")
      ->capture_default_str();
  return cmd;
}

notify_v1::NotificationService::Stub& NotificationConnection::Stub() {
  if (!stub) {
    channel = OpenChannel(address);
    stub = notify_v1::NotificationService::NewStub(channel);
  }
  return *stub;
}

void NotificationConnection::Check(const grpc::Status& status) const {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
    throw RpcError(status, "the notification service at " + address + " is unavailable: " + status.error_message());
  throw RpcError(status, status.error_message());
}

notify_v1::SubscriberKind ParseSubscriberKind(const std::string& text) {
  notify_v1::SubscriberKind kind;
  if (!notify_v1::SubscriberKind_Parse(text, &kind))
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--kind: UNIT, PERSON or SYSTEM");
  return kind;
}

notify_v1::ChannelSetting ParseChannel(const std::string& text) {
  notify_v1::ChannelSetting c;
  std::string name = text.substr(0, text.find('@'));
  notify_v1::Channel channel;
  if (!notify_v1::Channel_Parse(name, &channel) || channel == notify_v1::CHANNEL_UNSPECIFIED)
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "--channel: INBOX, WEBHOOK or EMAIL[@HH:MM]");
  c.set_channel(channel);
  if (text.find('@') != std::string::npos) {
    c.set_mode(notify_v1::DAILY_DIGEST);
    c.set_digest_time(text.substr(text.find('@') + 1));
  }
  return c;
}

std::string SubscriberName(const std::string& s) {
  return s.rfind("subscribers/", 0) == 0 ? s : "subscribers/" + s;
}

void PrintNotificationLine(std::ostream& out, const notify_v1::Notification& n) {
  std::string when =
      dates::VietnamDisplayTime(std::chrono::system_clock::time_point(std::chrono::seconds(n.create_time().seconds())));
  out << "#" << n.cursor() << "  " << when << "  " << (n.read() ? "      " : "[mới] ") << n.title() << "  " << n.link()
      << '\n';
}

}  // namespace cchc::cchcctl
