#include "update.h"

#include <algorithm>

namespace cchc::notification {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

const std::vector<std::string>& UpdatableSubscriberFields() {
  static const std::vector<std::string> fields = {"display_name", "kind",           "unit",        "email",
                                                  "webhook_url",  "webhook_secret", "quiet_hours", "send_windows"};
  return fields;
}

const std::vector<std::string>& UpdatableSubscriptionFields() {
  static const std::vector<std::string> fields = {"filter", "channels"};
  return fields;
}

std::optional<FieldError> ResolveMask(const google::protobuf::FieldMask& mask,
                                      const std::vector<std::string>& updatable, const std::vector<std::string>& fixed,
                                      std::vector<std::string>* paths) {
  paths->clear();
  if (mask.paths_size() > kMaxMaskPaths)
    return FieldError{"update_mask.paths", "at most " + std::to_string(kMaxMaskPaths) + " paths",
                      platform::v1::INVALID_UPDATE_MASK};
  bool all = mask.paths().empty();
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& p = mask.paths(i);
    std::string field = "update_mask.paths[" + std::to_string(i) + "]";
    if (p == "*") {
      all = true;
    } else if (Contains(fixed, p)) {
      return FieldError{field, "\"" + p + "\" cannot be updated (output only or immutable)",
                        platform::v1::INVALID_UPDATE_MASK};
    } else if (!Contains(updatable, p)) {
      return FieldError{field, "\"" + p.substr(0, 64) + "\" is not a field that can be updated",
                        platform::v1::INVALID_UPDATE_MASK};
    } else if (!Contains(*paths, p)) {
      paths->push_back(p);
    }
  }
  if (all) *paths = updatable;
  return std::nullopt;
}

std::optional<FieldError> MergeSubscriber(const SubscriberSpec& stored, const v1::Subscriber& in,
                                          const google::protobuf::FieldMask& mask, SubscriberSpec* out) {
  std::vector<std::string> paths;
  if (auto e =
          ResolveMask(mask, UpdatableSubscriberFields(), {"name", "id", "create_time", "has_webhook_secret"}, &paths))
    return e;
  if (!in.id().empty() && in.id() != stored.id)
    return FieldError{"subscriber.id", "cannot change; leave it empty or equal to the id in subscriber.name"};
  v1::Subscriber merged = ToProto(stored);                  // ValidateSubscriber reads only the request fields
  const std::string stored_secret = stored.webhook_secret;  // `out` may be `stored`: read it before writing out
  bool new_secret = false;
  for (const auto& p : paths) {
    if (p == "display_name") merged.set_display_name(in.display_name());
    if (p == "kind") merged.set_kind(in.kind());
    if (p == "unit") merged.set_unit(in.unit());
    if (p == "email") merged.set_email(in.email());
    if (p == "webhook_url") merged.set_webhook_url(in.webhook_url());
    if (p == "webhook_secret" && !in.webhook_secret().empty()) {
      merged.set_webhook_secret(in.webhook_secret());
      new_secret = true;
    }
  }
  // quiet_hours and send_windows are one setting: either path replaces both with what the request has.
  if (Contains(paths, "quiet_hours") || Contains(paths, "send_windows")) {
    merged.clear_quiet_hours();
    merged.clear_send_windows();
    if (Contains(paths, "quiet_hours") && in.has_quiet_hours()) *merged.mutable_quiet_hours() = in.quiet_hours();
    if (Contains(paths, "send_windows")) *merged.mutable_send_windows() = in.send_windows();
  }
  // A kept secret is not checked again: one stored before secrets were whsec_ keeps signing until rotated.
  if (auto e = ValidateSubscriber(merged, out)) return e;
  if (!new_secret && !out->webhook_url.empty()) {
    if (stored_secret.empty())
      return FieldError{"subscriber.webhook_secret",
                        "required with a new webhook_url (whsec_ + base64 of 24–64 bytes)"};
    out->webhook_secret = stored_secret;
  }
  return std::nullopt;
}

std::optional<FieldError> MergeSubscription(const v1::Subscription& stored, const v1::Subscription& in,
                                            const google::protobuf::FieldMask& mask, const SubscriberSpec& subscriber,
                                            SubscriptionSpec* out) {
  std::vector<std::string> paths;
  if (auto e = ResolveMask(mask, UpdatableSubscriptionFields(), {"name", "event_type", "create_time"}, &paths))
    return e;
  if (!in.event_type().empty() && in.event_type() != stored.event_type())
    return FieldError{"subscription.event_type", "cannot change; delete the subscription and create another"};
  v1::Subscription merged = stored;
  for (const auto& p : paths) {
    if (p == "filter") *merged.mutable_filter() = in.filter();
    if (p == "channels") *merged.mutable_channels() = in.channels();
  }
  return ValidateSubscription(merged, subscriber, out);
}

std::optional<FieldError> ChannelsStillReachable(const SubscriberSpec& updated,
                                                 const std::vector<SubscriptionChannels>& subscriptions) {
  for (const auto& [name, channels] : subscriptions)
    for (const auto& c : channels) {
      if (c.channel == v1::EMAIL && updated.email.empty())
        return FieldError{"subscriber.email", name + " delivers by e-mail; change or delete it first"};
      if (c.channel == v1::WEBHOOK && updated.webhook_url.empty())
        return FieldError{"subscriber.webhook_url", name + " delivers by webhook; change or delete it first"};
    }
  return std::nullopt;
}

}  // namespace cchc::notification
