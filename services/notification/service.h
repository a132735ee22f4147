#pragma once
// gRPC handlers of cchc.notification.v1.NotificationService: translate requests to the rules
// (rules/validation.h), the stores (store/) and the watch hub, and results and domain errors back to statuses
// (StatusOf, platform/handler.h). No SQL here.
// Who may do what: admin manages subscribers, subscriptions and dead letters; a subscriber's inbox, deliveries
// and Watch stream belong to the principal whose unit is the subscriber's `unit` (and admin), and an editor of
// that unit may rotate its webhook secret, resend and recover its deliveries.
#include <chrono>

#include "cchc/notification/v1/notification.grpc.pb.h"
#include "delivery/webhook_target.h"
#include "platform/auth.h"
#include "store/stores.h"
#include "watch_hub.h"
#include "watch_stream.h"

namespace cchc::notification {

struct ServiceOptions {
  int retry_budget = 8;   // attempts a retried dead letter gets
  WatchOptions watch;     // the Watch streams'
  WebhookPolicy webhook;  // webhook URLs a subscriber may set (the SSRF policy)
  std::chrono::milliseconds webhook_secret_grace{std::chrono::hours(24)};  // a rotated-out secret still signs
};

// WatchNotifications runs on gRPC's callback API (watch_stream.h); every other RPC is synchronous.
class NotificationService final
    : public v1::NotificationService::WithCallbackMethod_WatchNotifications<v1::NotificationService::Service> {
 public:
  NotificationService(Stores& stores, WatchHub& hub, const auth::TokenStore& tokens, ServiceOptions options = {});

  grpc::Status CreateSubscriber(grpc::ServerContext*, const v1::CreateSubscriberRequest*, v1::Subscriber*) override;
  grpc::Status GetSubscriber(grpc::ServerContext*, const v1::GetSubscriberRequest*, v1::Subscriber*) override;
  grpc::Status ListSubscribers(grpc::ServerContext*, const v1::ListSubscribersRequest*,
                               v1::ListSubscribersResponse*) override;
  grpc::Status CreateSubscription(grpc::ServerContext*, const v1::CreateSubscriptionRequest*,
                                  v1::Subscription*) override;
  grpc::Status ListSubscriptions(grpc::ServerContext*, const v1::ListSubscriptionsRequest*,
                                 v1::ListSubscriptionsResponse*) override;
  grpc::Status DeleteSubscription(grpc::ServerContext*, const v1::DeleteSubscriptionRequest*,
                                  google::protobuf::Empty*) override;
  grpc::Status ListNotifications(grpc::ServerContext*, const v1::ListNotificationsRequest*,
                                 v1::ListNotificationsResponse*) override;
  grpc::Status MarkRead(grpc::ServerContext*, const v1::MarkReadRequest*, v1::Notification*) override;
  grpc::Status MarkAllRead(grpc::ServerContext*, const v1::MarkAllReadRequest*, v1::MarkAllReadResponse*) override;
  grpc::ServerWriteReactor<v1::Notification>* WatchNotifications(grpc::CallbackServerContext*,
                                                                 const v1::WatchNotificationsRequest*) override;
  grpc::Status GetDeliveryStatus(grpc::ServerContext*, const v1::GetDeliveryStatusRequest*, v1::Delivery*) override;
  grpc::Status ListDeadLetters(grpc::ServerContext*, const v1::ListDeadLettersRequest*,
                               v1::ListDeadLettersResponse*) override;
  grpc::Status RetryDeadLetter(grpc::ServerContext*, const v1::RetryDeadLetterRequest*, v1::Delivery*) override;
  // The holiday table (holiday_handlers.cc).
  grpc::Status ImportHolidays(grpc::ServerContext*, const v1::ImportHolidaysRequest*,
                              v1::ImportHolidaysResponse*) override;
  grpc::Status ListHolidays(grpc::ServerContext*, const v1::ListHolidaysRequest*, v1::ListHolidaysResponse*) override;
  // Recovery (recovery_handlers.cc): admin, or an editor of the subscriber's unit.
  grpc::Status ResendDelivery(grpc::ServerContext*, const v1::ResendDeliveryRequest*, v1::Delivery*) override;
  grpc::Status RecoverFailedDeliveries(grpc::ServerContext*, const v1::RecoverFailedDeliveriesRequest*,
                                       v1::RecoverFailedDeliveriesResponse*) override;
  grpc::Status EnableWebhook(grpc::ServerContext*, const v1::EnableWebhookRequest*, v1::Subscriber*) override;
  // Managing subscribers and subscriptions after creation (AIP-134/135); the merge rules are rules/update.h.
  grpc::Status UpdateSubscriber(grpc::ServerContext*, const v1::UpdateSubscriberRequest*, v1::Subscriber*) override;
  grpc::Status DeleteSubscriber(grpc::ServerContext*, const v1::DeleteSubscriberRequest*,
                                google::protobuf::Empty*) override;
  grpc::Status UpdateSubscription(grpc::ServerContext*, const v1::UpdateSubscriptionRequest*,
                                  v1::Subscription*) override;
  // A new webhook secret; the old one signs too until the grace period ends (store/subscribers.h, RotateSecret).
  grpc::Status RotateWebhookSecret(grpc::ServerContext*, const v1::RotateWebhookSecretRequest*,
                                   v1::RotateWebhookSecretResponse*) override;

 private:
  // The subscriber named by `name` (field `field`) if `p` may read its inbox: NOT_FOUND when absent,
  // PERMISSION_DENIED when it belongs to another unit.
  SubscriberSpec Owned(const auth::Principal& p, const std::string& name, const std::string& field);

  // Fills the subscriber's webhook_state and webhook_disabled_reason (endpoint health) when it has a webhook.
  void ShowWebhookHealth(v1::Subscriber* s);

  Stores& stores_;
  const auth::TokenStore& tokens_;
  ServiceOptions options_;
  WatchStreams watch_;
};

}  // namespace cchc::notification
