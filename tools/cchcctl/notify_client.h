#pragma once
// The notification service (thông báo) from the command line: its address (--notification-address /
// CCHC_NOTIFICATION_ADDRESS, on every `notify` command) and the helpers the notify commands share.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cchc/notification/v1/notification.grpc.pb.h"
#include "client.h"
#include "command.h"
#include "send_window_arg.h"

namespace cchc::cchcctl {

namespace notify_v1 = cchc::notification::v1;

struct NotificationConnection {
  std::string address = "127.0.0.1:50064";
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<notify_v1::NotificationService::Stub> stub;

  notify_v1::NotificationService::Stub& Stub();
  // Throws cchc::StatusError unless `status` is OK; UNAVAILABLE names the service's address.
  void Check(const grpc::Status& status) const;
};

NotificationConnection& Notifications();
// A subcommand of `parent` that takes --notification-address.
CLI::App* NotifySub(CLI::App* parent, const char* name, const char* help);

// "subscribers/TCCB" for "TCCB" or "subscribers/TCCB".
std::string SubscriberName(const std::string& id_or_name);

// "WEBHOOK", "EMAIL", "INBOX", or "EMAIL@17:30" for a daily digest at 17:30 local; INVALID_ARGUMENT naming
// --channel otherwise.
notify_v1::ChannelSetting ParseChannel(const std::string& text);
// "UNIT", "PERSON" or "SYSTEM"; INVALID_ARGUMENT naming --kind otherwise.
notify_v1::SubscriberKind ParseSubscriberKind(const std::string& text);

// The subscriber options create and update share (all but --id and --kind) into `s`.
template <typename Args>
void SetSubscriberFields(const Args& a, notify_v1::Subscriber* s) {
  s->set_display_name(a.display_name);
  s->set_unit(a.unit);
  s->set_email(a.email);
  s->set_webhook_url(a.webhook_url);
  s->set_webhook_secret(a.webhook_secret);
  if (!a.quiet_start.empty() || !a.quiet_end.empty()) {
    s->mutable_quiet_hours()->set_start(a.quiet_start);
    s->mutable_quiet_hours()->set_end(a.quiet_end);
  }
  for (const auto& text : a.send_windows)
    for (const auto& w : ParseSendWindowArg(text)) {
      auto* out = s->add_send_windows();
      out->set_day(static_cast<notify_v1::Weekday>(w.day));
      out->set_start(w.start);
      out->set_end(w.end);
    }
}

// One line per notification: "#cursor  dd/mm/yyyy hh:mm  [unread]  title  link".
void PrintNotificationLine(std::ostream& out, const notify_v1::Notification& n);

// `cchcctl notify …`: subscriber, subscription, inbox, delivery, dead-letter, import.
void AddNotifyCommands(CLI::App& app, Action* slot);
void AddNotifyInboxCommands(CLI::App* notify, Action* slot);                               // notify_inbox.cc
void AddNotifyImportCommand(CLI::App* notify, Action* slot);                               // notify_import.cc
void AddNotifyHolidayCommands(CLI::App* notify, Action* slot);                             // notify_holidays.cc
void AddNotifyUpdateCommands(CLI::App* subscriber, CLI::App* subscription, Action* slot);  // notify_update.cc
void AddNotifyDeliveryCommands(CLI::App* delivery, Action* slot);                          // notify_delivery.cc

// A delivery and one line per attempt (number, time, outcome, status, duration, error) with the start of its
// response body (PrintableBody); what `notify delivery status` prints without --json.
void PrintDeliveryStatus(std::ostream& out, const notify_v1::Delivery& d);
// `bytes` for a terminal: control bytes and backslashes escaped (\x0a, \\), the rest as it is.
std::string PrintableBody(const std::string& bytes);

}  // namespace cchc::cchcctl
