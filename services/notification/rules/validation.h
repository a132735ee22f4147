#pragma once
// Checks of subscribers and subscriptions on create, each failure naming the request field. Text is
// returned NFC; nothing here touches storage.
#include <optional>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "filter.h"
#include "platform/field_error.h"
#include "schedule.h"
#include "send_windows.h"

namespace cchc::notification {

// A subscriber as stored.
struct SubscriberSpec {
  std::string id, display_name, unit, email, webhook_url, webhook_secret;
  v1::SubscriberKind kind = v1::UNIT;
  SendWindows windows;  // send windows, sorted (quiet hours translated); empty: always open
};

// One channel of a subscription: immediate, or a daily digest at `digest_minute` local.
struct ChannelSpec {
  v1::Channel channel = v1::INBOX;
  v1::DeliveryMode mode = v1::IMMEDIATE;
  int digest_minute = 0;
};

struct SubscriptionSpec {
  std::string event_type;
  FilterSpec filter;
  std::vector<ChannelSpec> channels;
};

// A webhook_secret, when given, must be whsec_ + base64 of 24–64 bytes (rules/webhook_secret.h); a webhook_url
// without one leaves out->webhook_secret empty, for CreateSubscriber to generate.
std::optional<FieldError> ValidateSubscriber(const v1::Subscriber& in, SubscriberSpec* out);
// The send windows of `in` (send_windows, quiet_hours translated, or both when they agree), sorted; names
// subscriber.send_windows[i].day/start/end, or subscriber.quiet_hours.start/end, on bad input.
std::optional<FieldError> ValidateSendWindows(const v1::Subscriber& in, SendWindows* out);
// The other way: name, id, fields and has_webhook_secret (never the secret; no create_time).
v1::Subscriber ToProto(const SubscriberSpec& s);

// `subscriber` is the parent (its channels decide whether webhook and e-mail are possible).
std::optional<FieldError> ValidateSubscription(const v1::Subscription& in, const SubscriberSpec& subscriber,
                                               SubscriptionSpec* out);

// "subscribers/TCCB" → "TCCB"; nullopt when not a subscriber name with a valid id.
std::optional<std::string> SubscriberIdOf(const std::string& name);
bool ValidSubscriberId(const std::string& id);

inline constexpr size_t kMaxDisplayNameChars = 200;
inline constexpr size_t kMaxUnitChars = 64;
inline constexpr size_t kMaxEmailBytes = 254;
inline constexpr size_t kMaxUrlBytes = 2000;

}  // namespace cchc::notification
