// `cchcctl notify inbox list|read|read-all|watch`: a subscriber's inbox (hộp thư). `watch` prints
// notifications as they arrive and, when the stream ends with UNAVAILABLE (the server ends every stream at
// its maximum age, and on shutdown) or CANCELLED, reconnects from the last cursor it printed: nothing is
// missed and nothing printed twice. A stream that lived a second or more resumes at once, a shorter one after
// a second; any other status (RESOURCE_EXHAUSTED: too many streams open) ends the command.
#include <iostream>
#include <thread>

#include "conventions.h"
#include "document_format.h"
#include "notify_client.h"

namespace cchc::cchcctl {
namespace {

struct InboxArgs {
  std::string subscriber, name;
  bool unread_first = false, unread_only = false, once = false;
  int page_size = 0;
  int64_t after = 0, up_to = 0;
  std::string page_token;
};

void RunList(Client& client, const InboxArgs& a) {
  notify_v1::ListNotificationsRequest req;
  req.set_parent(SubscriberName(a.subscriber));
  req.set_order(a.unread_first ? notify_v1::UNREAD_FIRST : notify_v1::NEWEST_FIRST);
  req.set_unread_only(a.unread_only);
  req.set_page_size(a.page_size);
  req.set_page_token(a.page_token);
  notify_v1::ListNotificationsResponse out;
  Notifications().Check(Notifications().Stub().ListNotifications(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::cout << out.unread_count() << " chưa đọc (unread)\n";
  for (const auto& n : out.notifications()) PrintNotificationLine(std::cout, n);
  if (!out.next_page_token().empty()) std::cout << "next page: --page-token " << out.next_page_token() << '\n';
}

void RunRead(Client& client, const InboxArgs& a) {
  notify_v1::MarkReadRequest req;
  req.set_name(a.name);
  notify_v1::Notification out;
  Notifications().Check(Notifications().Stub().MarkRead(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  PrintNotificationLine(std::cout, out);
}

void RunReadAll(Client& client, const InboxArgs& a) {
  notify_v1::MarkAllReadRequest req;
  req.set_parent(SubscriberName(a.subscriber));
  req.set_up_to_cursor(a.up_to);
  notify_v1::MarkAllReadResponse out;
  Notifications().Check(Notifications().Stub().MarkAllRead(client.NewContext().get(), req, &out));
  std::cout << "marked " << out.marked() << " read\n";
}

void RunWatch(Client& client, const InboxArgs& a) {
  int64_t last = a.after;
  for (;;) {
    auto opened = std::chrono::steady_clock::now();
    auto ctx = client.NewContext();
    ctx->set_deadline(std::chrono::system_clock::time_point::max());
    notify_v1::WatchNotificationsRequest req;
    req.set_parent(SubscriberName(a.subscriber));
    req.set_after_cursor(last);
    auto reader = Notifications().Stub().WatchNotifications(ctx.get(), req);
    notify_v1::Notification n;
    while (reader->Read(&n)) {
      if (client.options().json) {
        PrintJsonLine(std::cout, n);  // one object per line, as it arrives
      } else {
        PrintNotificationLine(std::cout, n);
      }
      std::cout.flush();
      last = n.cursor();
    }
    grpc::Status status = reader->Finish();
    bool transient =
        status.error_code() == grpc::StatusCode::UNAVAILABLE || status.error_code() == grpc::StatusCode::CANCELLED;
    if (a.once || !transient) Notifications().Check(status);
    if (a.once) return;
    std::cerr << "watch: stream ended (" << StatusCodeName(status.error_code()) << ": " << status.error_message()
              << "), resuming after #" << last << '\n';
    if (std::chrono::steady_clock::now() - opened < std::chrono::seconds(1))
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

}  // namespace

void AddNotifyInboxCommands(CLI::App* notify, Action* slot) {
  CLI::App* inbox = notify->add_subcommand("inbox", "Hộp thư: list, mark read, watch live");
  inbox->require_subcommand(1);
  auto args = std::make_shared<InboxArgs>();
  CLI::App* list = NotifySub(inbox, "list", "Notifications, newest first (or unread first)");
  list->add_option("subscriber", args->subscriber, "TCCB or subscribers/TCCB")->required();
  list->add_flag("--unread-first", args->unread_first, "Unread notifications first");
  list->add_flag("--unread-only", args->unread_only, "Only unread notifications");
  list->add_option("--page-size", args->page_size, "At most this many");
  list->add_option("--page-token", args->page_token, "From a previous page");
  OnRun(list, slot, args, &RunList);
  CLI::App* read = NotifySub(inbox, "read", "Mark one notification read");
  read->add_option("notification", args->name, "subscribers/{id}/notifications/{cursor}")->required();
  OnRun(read, slot, args, &RunRead);
  CLI::App* all = NotifySub(inbox, "read-all", "Mark every notification read");
  all->add_option("subscriber", args->subscriber, "TCCB or subscribers/TCCB")->required();
  all->add_option("--up-to", args->up_to, "Only up to this cursor");
  OnRun(all, slot, args, &RunReadAll);
  CLI::App* watch = NotifySub(inbox, "watch", "Print notifications as they arrive (Ctrl-C to stop)");
  watch->add_option("subscriber", args->subscriber, "TCCB or subscribers/TCCB")->required();
  watch->add_option("--after", args->after, "Resume after this cursor (0: the whole inbox first)");
  watch->add_flag("--once", args->once, "Do not reconnect when the stream ends");
  OnRun(watch, slot, args, &RunWatch);
}

}  // namespace cchc::cchcctl
