#include "service.h"

#include "delivery_name.h"
#include "platform/handler.h"
#include "platform/page_cursor.h"
#include "platform/validate.h"
#include "rules/webhook_secret.h"

namespace cchc::notification {

using grpc::Status;
using grpc::StatusCode;

namespace {

constexpr paging::CursorShape<std::string> kSubscriberCursor{{"a"}};
constexpr paging::CursorShape<int64_t, int64_t> kInboxCursor{{"r", "c"}, "listing (order changed?)"};
constexpr paging::CursorShape<int64_t, std::string> kDeadLetterCursor{{"t", "i"}};

// The SSRF policy (delivery/webhook_target.h) on a webhook URL a request sets; resolves the host, so call it
// outside transactions.
std::optional<FieldError> VetSubscriberWebhook(const WebhookPolicy& policy, const std::string& url) {
  if (url.empty()) return std::nullopt;
  auto target = VetWebhookUrl(policy, url);
  if (target.ok()) return std::nullopt;
  return FieldError{"subscriber.webhook_url", target.error};
}

std::string RequireSubscriberId(const std::string& name, const std::string& field) {
  auto id = SubscriberIdOf(name);
  if (!id)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be subscribers/{id}", platform::v1::INVALID_NAME);
  return *id;
}

// "subscribers/{sid}/<collection>/{rest}" → (sid, rest).
std::pair<std::string, std::string> RequireChild(const std::string& name, const std::string& collection,
                                                 const std::string& field) {
  std::string marker = "/" + collection + "/";
  auto pos = name.find(marker);
  std::string rest = pos == std::string::npos ? "" : name.substr(pos + marker.size());
  auto sid = pos == std::string::npos ? std::nullopt : SubscriberIdOf(name.substr(0, pos));
  if (!sid || rest.empty() || rest.size() > 64 || rest.find('/') != std::string::npos)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must be subscribers/{id}/" + collection + "/{id}",
                      platform::v1::INVALID_NAME);
  return {*sid, rest};
}

int64_t RequireCursor(const std::string& text, const std::string& field) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": must end in a notification cursor");
  return std::stoll(text);
}

}  // namespace

NotificationService::NotificationService(Stores& stores, WatchHub& hub, const auth::TokenStore& tokens,
                                         ServiceOptions options)
    : stores_(stores),
      tokens_(tokens),
      options_(options),
      watch_(
          stores.inbox, hub, tokens,
          [this](const auth::Principal& p, const std::string& name, const std::string& field) {
            return Owned(p, name, field);
          },
          options.watch) {}

SubscriberSpec NotificationService::Owned(const auth::Principal& p, const std::string& name, const std::string& field) {
  std::string id = RequireSubscriberId(name, field);
  auto s = stores_.subscribers.Find(id);
  if (!s) throw StatusError(StatusCode::NOT_FOUND, field + ": subscribers/" + id + " not found");
  if (!p.Has(auth::Role::kAdmin) && p.unit != s->unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      field + ": subscribers/" + id + " belongs to another unit than " + p.unit);
  return *s;
}

Status NotificationService::CreateSubscriber(grpc::ServerContext* ctx, const v1::CreateSubscriberRequest* req,
                                             v1::Subscriber* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    SubscriberSpec s;
    Require(ValidateSubscriber(req->subscriber(), &s));
    Require(VetSubscriberWebhook(options_.webhook, s.webhook_url));
    const bool generate = !s.webhook_url.empty() && s.webhook_secret.empty();
    if (generate) s.webhook_secret = NewWebhookSecret();
    *out = stores_.subscribers.Create(s);
    if (generate) out->set_generated_webhook_secret(s.webhook_secret);  // this once; Get and List never show it
    return Status::OK;
  });
}

Status NotificationService::GetSubscriber(grpc::ServerContext* ctx, const v1::GetSubscriberRequest* req,
                                          v1::Subscriber* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto s = Owned(p, req->name(), "name");
    *out = stores_.subscribers.Get(s.id);
    ShowWebhookHealth(out);
    return Status::OK;
  });
}

Status NotificationService::ListSubscribers(grpc::ServerContext* ctx, const v1::ListSubscribersRequest* req,
                                            v1::ListSubscribersResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    int limit = 0;
    Require(validate::PageSize(req->page_size(), &limit));
    std::string after;
    if (!req->page_token().empty()) std::tie(after) = kSubscriberCursor.Decode(req->page_token(), "");
    auto rows = stores_.subscribers.List(after, limit + 1);
    bool more = static_cast<int>(rows.size()) > limit;
    if (more) rows.pop_back();
    for (auto& s : rows) *out->add_subscribers() = std::move(s);
    if (more) out->set_next_page_token(kSubscriberCursor.Encode("", out->subscribers().rbegin()->id()));
    return Status::OK;
  });
}

Status NotificationService::RotateWebhookSecret(grpc::ServerContext* ctx, const v1::RotateWebhookSecretRequest* req,
                                                v1::RotateWebhookSecretResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    std::string id = Owned(p, req->name(), "name").id;
    std::string secret = NewWebhookSecret();
    int64_t until = stores_.subscribers.RotateSecret(id, secret, options_.webhook_secret_grace);
    out->set_webhook_secret(secret);
    db::SetTimestamp(out->mutable_previous_secret_expire_time(), until);
    return Status::OK;
  });
}

Status NotificationService::CreateSubscription(grpc::ServerContext* ctx, const v1::CreateSubscriptionRequest* req,
                                               v1::Subscription* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal& p) {
    std::string id = Owned(p, req->parent(), "parent").id;
    // Checked against the subscriber as locked in the insert's transaction, not as read just now: an
    // UpdateSubscriber removing an address in between would otherwise leave a channel without one.
    auto created = stores_.subscriptions.Create(id, [&](const SubscriberSpec& subscriber) {
      SubscriptionSpec s;
      Require(ValidateSubscription(req->subscription(), subscriber, &s));
      return s;
    });
    if (!created) return Status(StatusCode::NOT_FOUND, "parent: subscribers/" + id + " not found");
    *out = std::move(*created);
    return Status::OK;
  });
}

Status NotificationService::ListSubscriptions(grpc::ServerContext* ctx, const v1::ListSubscriptionsRequest* req,
                                              v1::ListSubscriptionsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto subscriber = Owned(p, req->parent(), "parent");
    for (auto& s : stores_.subscriptions.List(subscriber.id)) *out->add_subscriptions() = std::move(s);
    return Status::OK;
  });
}

Status NotificationService::DeleteSubscription(grpc::ServerContext* ctx, const v1::DeleteSubscriptionRequest* req,
                                               google::protobuf::Empty*) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    auto [sid, id] = RequireChild(req->name(), "subscriptions", "name");
    if (!stores_.subscriptions.Delete(sid, id))
      return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " not found");
    return Status::OK;
  });
}

Status NotificationService::ListNotifications(grpc::ServerContext* ctx, const v1::ListNotificationsRequest* req,
                                              v1::ListNotificationsResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto subscriber = Owned(p, req->parent(), "parent");
    if (!v1::InboxOrder_IsValid(req->order()))
      return Status(StatusCode::INVALID_ARGUMENT, "order: NEWEST_FIRST or UNREAD_FIRST");
    InboxQuery q;
    q.subscriber_id = subscriber.id;
    q.unread_first = req->order() == v1::UNREAD_FIRST;
    q.unread_only = req->unread_only();
    Require(validate::PageSize(req->page_size(), &q.limit));
    std::string fingerprint =
        paging::Fingerprint(subscriber.id + "|" + std::to_string(q.unread_first) + "|" + std::to_string(q.unread_only));
    if (!req->page_token().empty()) {
      auto [rank, cursor] = kInboxCursor.Decode(req->page_token(), fingerprint);
      q.after = std::make_pair(static_cast<int>(rank), cursor);
    }
    InboxPage page = stores_.inbox.List(q);
    for (auto& n : page.notifications) *out->add_notifications() = std::move(n);
    out->set_unread_count(page.unread);
    if (page.last) out->set_next_page_token(kInboxCursor.Encode(fingerprint, page.last->first, page.last->second));
    return Status::OK;
  });
}

Status NotificationService::MarkRead(grpc::ServerContext* ctx, const v1::MarkReadRequest* req, v1::Notification* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto [sid, rest] = RequireChild(req->name(), "notifications", "name");
    auto subscriber = Owned(p, "subscribers/" + sid, "name");
    auto n = stores_.inbox.MarkRead(subscriber.id, RequireCursor(rest, "name"));
    if (!n) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " not found");
    *out = std::move(*n);
    return Status::OK;
  });
}

Status NotificationService::MarkAllRead(grpc::ServerContext* ctx, const v1::MarkAllReadRequest* req,
                                        v1::MarkAllReadResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    auto subscriber = Owned(p, req->parent(), "parent");
    if (req->up_to_cursor() < 0) return Status(StatusCode::INVALID_ARGUMENT, "up_to_cursor: must not be negative");
    out->set_marked(stores_.inbox.MarkAllRead(subscriber.id, req->up_to_cursor()));
    return Status::OK;
  });
}

grpc::ServerWriteReactor<v1::Notification>* NotificationService::WatchNotifications(
    grpc::CallbackServerContext* ctx, const v1::WatchNotificationsRequest* req) {
  return watch_.Open(ctx, req);
}

Status NotificationService::GetDeliveryStatus(grpc::ServerContext* ctx, const v1::GetDeliveryStatusRequest* req,
                                              v1::Delivery* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    std::string id = RequireDeliveryId(req->name());
    auto d = stores_.deliveries.Get(id);
    if (!d) return Status(StatusCode::NOT_FOUND, "name: " + req->name() + " not found");
    Owned(p, d->subscriber(), "name");
    *out = std::move(*d);
    return Status::OK;
  });
}

Status NotificationService::ListDeadLetters(grpc::ServerContext* ctx, const v1::ListDeadLettersRequest* req,
                                            v1::ListDeadLettersResponse* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    int limit = 0;
    Require(validate::PageSize(req->page_size(), &limit));
    std::optional<std::pair<int64_t, std::string>> after;
    if (!req->page_token().empty())
      after = std::make_from_tuple<std::pair<int64_t, std::string>>(kDeadLetterCursor.Decode(req->page_token(), ""));
    std::vector<std::pair<int64_t, std::string>> keys;
    auto rows = stores_.deliveries.ListDeadLetters(after, limit + 1, &keys);
    bool more = static_cast<int>(rows.size()) > limit;
    if (more) rows.pop_back();
    for (auto& d : rows) *out->add_deliveries() = std::move(d);
    if (more) out->set_next_page_token(kDeadLetterCursor.Encode("", keys[limit - 1].first, keys[limit - 1].second));
    return Status::OK;
  });
}

Status NotificationService::RetryDeadLetter(grpc::ServerContext* ctx, const v1::RetryDeadLetterRequest* req,
                                            v1::Delivery* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    *out = stores_.deliveries.RetryDeadLetter(RequireDeliveryId(req->name()), options_.retry_budget);
    return Status::OK;
  });
}

void NotificationService::ShowWebhookHealth(v1::Subscriber* s) {
  if (s->webhook_url().empty()) return;
  if (auto view = stores_.endpoint_health.View(s->id())) {
    s->set_webhook_state(view->first);
    s->set_webhook_disabled_reason(view->second);
  }
}

Status NotificationService::EnableWebhook(grpc::ServerContext* ctx, const v1::EnableWebhookRequest* req,
                                          v1::Subscriber* out) {
  return RunHandler(ctx, tokens_, auth::Role::kEditor, [&](const auth::Principal& p) {
    auto s = Owned(p, req->name(), "name");
    if (!stores_.endpoint_health.Enable(s.id))
      return Status(StatusCode::NOT_FOUND, "name: subscribers/" + s.id + " not found");
    *out = stores_.subscribers.Get(s.id);
    ShowWebhookHealth(out);
    return Status::OK;
  });
}

Status NotificationService::UpdateSubscriber(grpc::ServerContext* ctx, const v1::UpdateSubscriberRequest* req,
                                             v1::Subscriber* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    std::string id = RequireSubscriberId(req->subscriber().name(), "subscriber.name");
    // Vetted before the transaction (DNS); applies only when the merge takes the request's URL.
    auto webhook_refused = VetSubscriberWebhook(options_.webhook, req->subscriber().webhook_url());
    auto updated = stores_.subscribers.Update(id, [&](const SubscriberSpec& stored, const auto& subscriptions) {
      SubscriberSpec s;
      Require(MergeSubscriber(stored, req->subscriber(), req->update_mask(), &s));
      if (s.webhook_url != stored.webhook_url && !s.webhook_url.empty()) Require(webhook_refused);
      if (auto e = ChannelsStillReachable(s, subscriptions))
        throw StatusError(StatusCode::FAILED_PRECONDITION, e->field + ": " + e->description,
                          platform::v1::CHANNEL_IN_USE, e->field);
      return s;
    });
    if (!updated) return Status(StatusCode::NOT_FOUND, "subscriber.name: subscribers/" + id + " not found");
    watch_.hub.Bump(id);  // its open streams here check their owner again now (other replicas: at their next wake)
    *out = std::move(*updated);
    return Status::OK;
  });
}

Status NotificationService::DeleteSubscriber(grpc::ServerContext* ctx, const v1::DeleteSubscriberRequest* req,
                                             google::protobuf::Empty*) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    std::string id = RequireSubscriberId(req->name(), "name");
    if (!stores_.subscribers.Delete(id)) return Status(StatusCode::NOT_FOUND, "name: subscribers/" + id + " not found");
    watch_.hub.Bump(id);  // its open streams here end now (NOT_FOUND)
    return Status::OK;
  });
}

Status NotificationService::UpdateSubscription(grpc::ServerContext* ctx, const v1::UpdateSubscriptionRequest* req,
                                               v1::Subscription* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAdmin, [&](const auth::Principal&) {
    auto [sid, id] = RequireChild(req->subscription().name(), "subscriptions", "subscription.name");
    auto updated =
        stores_.subscriptions.Update(sid, id, [&](const v1::Subscription& stored, const SubscriberSpec& subscriber) {
          SubscriptionSpec s;
          Require(MergeSubscription(stored, req->subscription(), req->update_mask(), subscriber, &s));
          return s;
        });
    if (!updated)
      return Status(StatusCode::NOT_FOUND, "subscription.name: " + req->subscription().name() + " not found");
    *out = std::move(*updated);
    return Status::OK;
  });
}

}  // namespace cchc::notification
