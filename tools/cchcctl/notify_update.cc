// `cchcctl notify subscriber update|delete|rotate-secret` and `cchcctl notify subscription update`: changing what was
// created. The update mask is the options given (an option given empty clears that field); nothing given
// is a usage error, never an empty mask (which would replace every field).
#include <google/protobuf/util/time_util.h>

#include <iostream>

#include "document_format.h"
#include "notify_client.h"
#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

struct UpdateArgs {
  std::string name, display_name, kind, unit, email, webhook_url, webhook_secret, quiet_start, quiet_end;
  std::vector<std::string> send_windows;
  bool no_send_windows = false;
  std::vector<std::string> fields, type_codes, issuers, categories, articles, unit_codes, channels;
  bool no_quiet_hours = false, any = false;
  std::vector<std::string> paths;  // the update mask, from the options given
};

// The mask paths of the options given on `cmd`.
using Paths = std::vector<std::pair<CLI::Option*, std::string>>;

void OnRunWithMask(CLI::App* cmd, Action* slot, std::shared_ptr<UpdateArgs> args, Paths options,
                   void (*run)(Client&, const UpdateArgs&)) {
  cmd->callback([slot, args, options, run] {
    args->paths.clear();
    for (const auto& [option, path] : options)
      if (option->count() && std::find(args->paths.begin(), args->paths.end(), path) == args->paths.end())
        args->paths.push_back(path);
    *slot = [args, run](Client& client) { run(client, *args); };
  });
}

void RequireSomePath(const UpdateArgs& a) {
  if (a.paths.empty()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "nothing to update: give an option");
}

bool Has(const UpdateArgs& a, const std::string& path) {
  return std::find(a.paths.begin(), a.paths.end(), path) != a.paths.end();
}

void RunSubscriberUpdate(Client& client, const UpdateArgs& a) {
  RequireSomePath(a);
  notify_v1::UpdateSubscriberRequest req;
  auto* s = req.mutable_subscriber();
  s->set_name(SubscriberName(a.name));
  SetSubscriberFields(a, s);
  if (Has(a, "kind")) s->set_kind(ParseSubscriberKind(a.kind));
  for (const auto& p : a.paths) req.mutable_update_mask()->add_paths(p);
  notify_v1::Subscriber out;
  Notifications().Check(Notifications().Stub().UpdateSubscriber(client.NewContext().get(), req, &out));
  PrintJson(std::cout, out);
}

void RunSubscriberDelete(Client& client, const UpdateArgs& a) {
  notify_v1::DeleteSubscriberRequest req;
  req.set_name(SubscriberName(a.name));
  google::protobuf::Empty out;
  Notifications().Check(Notifications().Stub().DeleteSubscriber(client.NewContext().get(), req, &out));
  std::cout << "deleted " << req.name() << " with its subscriptions, inbox and deliveries\n";
}

void RunRotateSecret(Client& client, const UpdateArgs& a) {
  notify_v1::RotateWebhookSecretRequest req;
  req.set_name(SubscriberName(a.name));
  notify_v1::RotateWebhookSecretResponse out;
  Notifications().Check(Notifications().Stub().RotateWebhookSecret(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::cout << "new webhook secret of " << req.name() << " (shown this once): " << out.webhook_secret()
            << "\nthe previous secret signs too until "
            << google::protobuf::util::TimeUtil::ToString(out.previous_secret_expire_time()) << '\n';
}

void RunSubscriptionUpdate(Client& client, const UpdateArgs& a) {
  RequireSomePath(a);
  notify_v1::UpdateSubscriptionRequest req;
  auto* s = req.mutable_subscription();
  s->set_name(a.name);
  auto* f = s->mutable_filter();
  for (const auto& v : a.fields) f->add_fields(v);
  for (const auto& v : a.type_codes) f->add_type_codes(v);
  for (const auto& v : a.issuers) f->add_issuers(v);
  for (const auto& v : a.categories) f->add_categories(v);
  for (const auto& v : a.articles) f->add_articles(v);
  for (const auto& v : a.unit_codes) f->add_unit_codes(v);
  for (const auto& c : a.channels) *s->add_channels() = ParseChannel(c);
  for (const auto& p : a.paths) req.mutable_update_mask()->add_paths(p);
  notify_v1::Subscription out;
  Notifications().Check(Notifications().Stub().UpdateSubscription(client.NewContext().get(), req, &out));
  PrintJson(std::cout, out);
}

}  // namespace

void AddNotifyUpdateCommands(CLI::App* subscriber, CLI::App* subscription, Action* slot) {
  auto args = std::make_shared<UpdateArgs>();
  CLI::App* update = NotifySub(subscriber, "update", "Change a subscriber: only the options given (admin)");
  update->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  Paths paths = {
      {update->add_option("--display-name", args->display_name, "Tên hiển thị"), "display_name"},
      {update->add_option("--kind", args->kind, "UNIT, PERSON or SYSTEM"), "kind"},
      {update->add_option("--unit", args->unit, "The principal that owns the inbox"), "unit"},
      {update->add_option("--email", args->email, "E-mail address (\"\" removes it)"), "email"},
      {update->add_option("--webhook-url", args->webhook_url, "Webhook URL (\"\" removes it and its secret)"),
       "webhook_url"},
      // No CCHC_WEBHOOK_SECRET here (create reads it): a secret in the environment would join every update's mask.
      {update->add_option(
           "--webhook-secret", args->webhook_secret,
           "A new webhook secret (whsec_ + base64 of 24–64 bytes; it replaces the old one at once: rotate-secret keeps "
           "both signing for a while)"),
       "webhook_secret"},
      {update->add_option("--quiet-start", args->quiet_start, "Quiet hours start, HH:MM local"), "quiet_hours"},
      {update->add_option("--quiet-end", args->quiet_end, "Quiet hours end, HH:MM local"), "quiet_hours"},
      {update->add_flag("--no-quiet-hours", args->no_quiet_hours, "Remove the quiet hours"), "quiet_hours"},
      {update->add_option("--send-window", args->send_windows,
                          "Replace the send windows, e.g. \"MON-FRI 07:30-17:00\" (repeatable; local time)"),
       "send_windows"},
      {update->add_flag("--no-send-windows", args->no_send_windows, "Remove the send windows (always open)"),
       "send_windows"},
  };
  OnRunWithMask(update, slot, args, paths, &RunSubscriberUpdate);

  CLI::App* remove =
      NotifySub(subscriber, "delete", "Delete a subscriber with its subscriptions, inbox and deliveries (admin)");
  remove->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  OnRunWithMask(remove, slot, args, {}, &RunSubscriberDelete);

  CLI::App* rotate = NotifySub(subscriber, "rotate-secret",
                               "A new webhook secret, shown once; the old one signs too until the service's grace "
                               "period ends (admin, or an editor of the subscriber's unit)");
  rotate->add_option("subscriber", args->name, "TCCB or subscribers/TCCB")->required();
  OnRunWithMask(rotate, slot, args, {}, &RunRotateSecret);

  CLI::App* supdate =
      NotifySub(subscription, "update", "Replace a subscription's filter and/or channels (admin; not its event type)");
  supdate->add_option("name", args->name, "subscribers/{id}/subscriptions/{id}")->required();
  Paths spaths = {
      {supdate->add_option("--field", args->fields, "Lĩnh vực (repeatable)"), "filter"},
      {supdate->add_option("--type-code", args->type_codes, "Loại văn bản, e.g. QĐ (repeatable)"), "filter"},
      {supdate->add_option("--issuer", args->issuers, "Cơ quan ban hành (repeatable)"), "filter"},
      {supdate->add_option("--category", args->categories, "Chuyên mục (repeatable)"), "filter"},
      {supdate->add_option("--article", args->articles, "articles/{id} (repeatable)"), "filter"},
      {supdate->add_option("--unit-code", args->unit_codes, "Đơn vị (repeatable)"), "filter"},
      {supdate->add_flag("--any", args->any, "Remove every filter value (any event of the type)"), "filter"},
      {supdate->add_option("--channel", args->channels, "INBOX, WEBHOOK, EMAIL, or EMAIL@HH:MM (repeatable)"),
       "channels"},
  };
  OnRunWithMask(supdate, slot, args, spaths, &RunSubscriptionUpdate);
}

}  // namespace cchc::cchcctl
