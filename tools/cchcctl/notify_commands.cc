// `cchcctl notify subscriber|subscription|delivery|dead-letter …`; the inbox and import live in their own files.
#include <iostream>

#include "document_format.h"
#include "notify_client.h"
#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

struct NotifyArgs {
  std::string name, id, display_name, kind = "UNIT", unit, email, webhook_url, webhook_secret, quiet_start, quiet_end;
  std::vector<std::string> send_windows;
  std::string event_type;
  std::vector<std::string> fields, type_codes, issuers, categories, articles, unit_codes, channels;
  int page_size = 0;
};

void Show(const Client& client, const google::protobuf::Message& m) {
  PrintJson(std::cout, m);
  (void)client;
}

void RunSubscriberCreate(Client& client, const NotifyArgs& a) {
  notify_v1::CreateSubscriberRequest req;
  auto* s = req.mutable_subscriber();
  s->set_id(a.id);
  SetSubscriberFields(a, s);
  s->set_kind(ParseSubscriberKind(a.kind));
  notify_v1::Subscriber out;
  Notifications().Check(Notifications().Stub().CreateSubscriber(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunSubscriberGet(Client& client, const NotifyArgs& a) {
  notify_v1::GetSubscriberRequest req;
  req.set_name(SubscriberName(a.name));
  notify_v1::Subscriber out;
  Notifications().Check(Notifications().Stub().GetSubscriber(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunSubscriberEnableWebhook(Client& client, const NotifyArgs& a) {
  notify_v1::EnableWebhookRequest req;
  req.set_name(SubscriberName(a.name));
  notify_v1::Subscriber out;
  Notifications().Check(Notifications().Stub().EnableWebhook(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunSubscriberList(Client& client, const NotifyArgs& a) {
  notify_v1::ListSubscribersRequest req;
  req.set_page_size(a.page_size);
  notify_v1::ListSubscribersResponse out;
  Notifications().Check(Notifications().Stub().ListSubscribers(client.NewContext().get(), req, &out));
  if (client.options().json) return Show(client, out);
  for (const auto& s : out.subscribers())
    std::cout << s.id() << "  " << s.display_name() << "  (" << s.unit() << ")"
              << (s.webhook_url().empty() ? "" : "  webhook " + s.webhook_url())
              << (s.email().empty() ? "" : "  e-mail " + s.email()) << '\n';
}

void RunSubscriptionCreate(Client& client, const NotifyArgs& a) {
  notify_v1::CreateSubscriptionRequest req;
  req.set_parent(SubscriberName(a.name));
  auto* s = req.mutable_subscription();
  s->set_event_type(a.event_type);
  auto* f = s->mutable_filter();
  for (const auto& v : a.fields) f->add_fields(v);
  for (const auto& v : a.type_codes) f->add_type_codes(v);
  for (const auto& v : a.issuers) f->add_issuers(v);
  for (const auto& v : a.categories) f->add_categories(v);
  for (const auto& v : a.articles) f->add_articles(v);
  for (const auto& v : a.unit_codes) f->add_unit_codes(v);
  for (const auto& c : a.channels) *s->add_channels() = ParseChannel(c);
  notify_v1::Subscription out;
  Notifications().Check(Notifications().Stub().CreateSubscription(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunSubscriptionList(Client& client, const NotifyArgs& a) {
  notify_v1::ListSubscriptionsRequest req;
  req.set_parent(SubscriberName(a.name));
  notify_v1::ListSubscriptionsResponse out;
  Notifications().Check(Notifications().Stub().ListSubscriptions(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunSubscriptionDelete(Client& client, const NotifyArgs& a) {
  notify_v1::DeleteSubscriptionRequest req;
  req.set_name(a.name);
  google::protobuf::Empty out;
  Notifications().Check(Notifications().Stub().DeleteSubscription(client.NewContext().get(), req, &out));
  std::cout << "deleted " << a.name << '\n';
}

void RunDeadLetterList(Client& client, const NotifyArgs& a) {
  notify_v1::ListDeadLettersRequest req;
  req.set_page_size(a.page_size);
  notify_v1::ListDeadLettersResponse out;
  Notifications().Check(Notifications().Stub().ListDeadLetters(client.NewContext().get(), req, &out));
  if (client.options().json) return Show(client, out);
  for (const auto& d : out.deliveries())
    std::cout << d.name() << "  " << d.subscriber() << "  " << notify_v1::Channel_Name(d.channel()) << "  "
              << d.attempt_count() << " attempts  " << d.last_error() << '\n';
}

void RunDeadLetterRetry(Client& client, const NotifyArgs& a) {
  notify_v1::RetryDeadLetterRequest req;
  req.set_name(a.name.rfind("deliveries/", 0) == 0 ? a.name : "deliveries/" + a.name);
  notify_v1::Delivery out;
  Notifications().Check(Notifications().Stub().RetryDeadLetter(client.NewContext().get(), req, &out));
  Show(client, out);
}

}  // namespace

void AddNotifyCommands(CLI::App& app, Action* slot) {
  CLI::App* notify = app.add_subcommand("notify", "Thông báo: subscribers, subscriptions, inbox, deliveries");
  notify->require_subcommand(1);
  auto args = std::make_shared<NotifyArgs>();

  CLI::App* subscriber = notify->add_subcommand("subscriber", "Người nhận thông báo");
  subscriber->require_subcommand(1);
  CLI::App* create = NotifySub(subscriber, "create", "Create a subscriber (admin)");
  create->add_option("--id", args->id, "External id, e.g. TCCB")->required();
  create->add_option("--display-name", args->display_name, "Tên hiển thị")->required();
  create->add_option("--kind", args->kind, "UNIT, PERSON or SYSTEM")->capture_default_str();
  create->add_option("--unit", args->unit, "The principal that owns the inbox, e.g. SGDĐT-TCCB")->required();
  create->add_option("--email", args->email, "E-mail address");
  create->add_option("--webhook-url", args->webhook_url, "Webhook URL");
  create
      ->add_option("--webhook-secret", args->webhook_secret,
                   "Webhook secret: whsec_ + base64 of 24–64 random bytes; without one the service generates it "
                   "and shows it once (generated_webhook_secret)")
      ->envname("CCHC_WEBHOOK_SECRET");
  create->add_option("--quiet-start", args->quiet_start, "Quiet hours start, HH:MM local");
  create->add_option("--quiet-end", args->quiet_end, "Quiet hours end, HH:MM local");
  create->add_option("--send-window", args->send_windows,
                     "A send window, e.g. \"MON-FRI 07:30-17:00\" (repeatable; local time)");
  OnRun(create, slot, args, &RunSubscriberCreate);
  CLI::App* get = NotifySub(subscriber, "get", "Show a subscriber");
  get->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  OnRun(get, slot, args, &RunSubscriberGet);
  CLI::App* enable = NotifySub(subscriber, "enable-webhook",
                               "Turn a disabled webhook endpoint back on (admin or an editor of its unit)");
  enable->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  OnRun(enable, slot, args, &RunSubscriberEnableWebhook);
  CLI::App* list = NotifySub(subscriber, "list", "Subscribers (admin)");
  list->add_option("--page-size", args->page_size, "At most this many");
  OnRun(list, slot, args, &RunSubscriberList);

  CLI::App* subscription = notify->add_subcommand("subscription", "Đăng ký nhận thông báo");
  subscription->require_subcommand(1);
  CLI::App* screate = NotifySub(subscription, "create", "Subscribe to an event type with filters (admin)");
  screate->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  screate->add_option("--event-type", args->event_type, "e.g. cchc.document.v1.DocumentPublished")->required();
  screate->add_option("--field", args->fields, "Lĩnh vực (repeatable)");
  screate->add_option("--type-code", args->type_codes, "Loại văn bản, e.g. QĐ (repeatable)");
  screate->add_option("--issuer", args->issuers, "Cơ quan ban hành (repeatable)");
  screate->add_option("--category", args->categories, "Chuyên mục (repeatable)");
  screate->add_option("--article", args->articles, "articles/{id} (repeatable)");
  screate->add_option("--unit-code", args->unit_codes, "Đơn vị (repeatable)");
  screate->add_option("--channel", args->channels, "INBOX, WEBHOOK, EMAIL, or EMAIL@HH:MM for a daily digest")
      ->required();
  OnRun(screate, slot, args, &RunSubscriptionCreate);
  CLI::App* slist = NotifySub(subscription, "list", "A subscriber's subscriptions");
  slist->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  OnRun(slist, slot, args, &RunSubscriptionList);
  CLI::App* sdelete = NotifySub(subscription, "delete", "Delete a subscription (admin)");
  sdelete->add_option("name", args->name, "subscribers/{id}/subscriptions/{id}")->required();
  OnRun(sdelete, slot, args, &RunSubscriptionDelete);

  CLI::App* delivery = notify->add_subcommand("delivery", "Webhook and e-mail deliveries");
  delivery->require_subcommand(1);
  AddNotifyDeliveryCommands(delivery, slot);

  CLI::App* dead = notify->add_subcommand("dead-letter", "Deliveries given up on (admin)");
  dead->require_subcommand(1);
  CLI::App* dlist = NotifySub(dead, "list", "Dead letters, newest first");
  dlist->add_option("--page-size", args->page_size, "At most this many");
  OnRun(dlist, slot, args, &RunDeadLetterList);
  CLI::App* retry = NotifySub(dead, "retry", "Queue a dead letter again");
  retry->add_option("delivery", args->name, "deliveries/{id}")->required();
  OnRun(retry, slot, args, &RunDeadLetterRetry);

  AddNotifyUpdateCommands(subscriber, subscription, slot);
  AddNotifyInboxCommands(notify, slot);
  AddNotifyImportCommand(notify, slot);
  AddNotifyHolidayCommands(notify, slot);
}

}  // namespace cchc::cchcctl
