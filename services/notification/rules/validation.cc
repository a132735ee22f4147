#include "validation.h"

#include <set>

#include "platform/text.h"
#include "schedule.h"
#include "webhook_secret.h"

namespace cchc::notification {
namespace {

std::optional<FieldError> Text(const std::string& field, const std::string& in, size_t max_chars, bool required,
                               std::string* out) {
  if (!text::IsValidUtf8(in) || text::HasControlCharacters(in))
    return FieldError{field, "must be UTF-8 text without control characters"};
  std::string v(text::Trim(*text::ToNfc(in)));
  if (required && v.empty()) return FieldError{field, "required"};
  if (text::CodePointCount(v) > max_chars)
    return FieldError{field, "at most " + std::to_string(max_chars) + " characters"};
  *out = std::move(v);
  return std::nullopt;
}

bool PlausibleEmail(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string::npos)
    return false;
  for (unsigned char c : s)
    if (c <= ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c >= 0x7f) return false;
  return s.find('.', at) != std::string::npos;
}

bool PlausibleUrl(const std::string& s) {
  if (s.rfind("http://", 0) != 0 && s.rfind("https://", 0) != 0) return false;
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7f) return false;
  return s.size() > 8;
}

}  // namespace

bool ValidSubscriberId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

std::optional<std::string> SubscriberIdOf(const std::string& name) {
  const std::string prefix = "subscribers/";
  if (name.rfind(prefix, 0) != 0) return std::nullopt;
  std::string id = name.substr(prefix.size());
  if (!ValidSubscriberId(id)) return std::nullopt;
  return id;
}

// The windows of `in`: its send_windows, its quiet_hours translated, or both when they agree (sorted).
std::optional<FieldError> ValidateSendWindows(const v1::Subscriber& in, SendWindows* out) {
  std::optional<SendWindows> of_quiet;
  if (in.has_quiet_hours()) {
    auto start = ParseTimeOfDay(in.quiet_hours().start());
    if (!start) return FieldError{"subscriber.quiet_hours.start", "HH:MM, 00:00–23:59"};
    auto end = ParseTimeOfDay(in.quiet_hours().end());
    if (!end) return FieldError{"subscriber.quiet_hours.end", "HH:MM, 00:00–23:59"};
    if (*start == *end) return FieldError{"subscriber.quiet_hours.end", "must differ from start"};
    of_quiet = WindowsOfQuietHours(QuietWindow{*start, *end});
  }
  if (static_cast<size_t>(in.send_windows_size()) > kMaxSendWindows)
    return FieldError{"subscriber.send_windows", "at most " + std::to_string(kMaxSendWindows) + " windows"};
  SendWindows windows;
  for (int i = 0; i < in.send_windows_size(); ++i) {
    const auto& w = in.send_windows(i);
    const std::string path = "subscriber.send_windows[" + std::to_string(i) + "]";
    if (w.day() == v1::WEEKDAY_UNSPECIFIED || !v1::Weekday_IsValid(w.day()))
      return FieldError{path + ".day", "one of MONDAY … SUNDAY"};
    auto start = ParseTimeOfDay(w.start());
    if (!start) return FieldError{path + ".start", "HH:MM, 00:00–23:59"};
    auto end = ParseWindowEnd(w.end());
    if (!end) return FieldError{path + ".end", "HH:MM, 00:01–24:00"};
    if (*end <= *start)
      return FieldError{path + ".end",
                        "must be after start (a window cannot cross midnight: end it at 24:00 and "
                        "start the next day's at 00:00)"};
    for (int j = 0; j < i; ++j)
      if (windows[j].weekday == w.day() && windows[j].start < *end && *start < windows[j].end)
        return FieldError{path, "overlaps send_windows[" + std::to_string(j) + "]"};
    windows.push_back({static_cast<int>(w.day()), *start, *end});
  }
  windows = Sorted(std::move(windows));
  if (of_quiet && in.send_windows_size() > 0 && *of_quiet != windows)
    return FieldError{"subscriber.send_windows", "disagrees with quiet_hours; give one of them, or both alike"};
  *out = of_quiet ? *of_quiet : windows;
  return std::nullopt;
}

std::optional<FieldError> ValidateSubscriber(const v1::Subscriber& in, SubscriberSpec* out) {
  SubscriberSpec s;
  if (!ValidSubscriberId(in.id())) return FieldError{"subscriber.id", "1–64 characters of A–Z, a–z, 0–9, - and _"};
  s.id = in.id();
  if (auto e = Text("subscriber.display_name", in.display_name(), kMaxDisplayNameChars, true, &s.display_name))
    return e;
  if (auto e = Text("subscriber.unit", in.unit(), kMaxUnitChars, true, &s.unit)) return e;
  if (in.kind() == v1::SUBSCRIBER_KIND_UNSPECIFIED || !v1::SubscriberKind_IsValid(in.kind()))
    return FieldError{"subscriber.kind", "one of UNIT, PERSON, SYSTEM"};
  s.kind = in.kind();
  if (!in.email().empty()) {
    if (in.email().size() > kMaxEmailBytes || !PlausibleEmail(in.email()))
      return FieldError{"subscriber.email", "not an e-mail address"};
    s.email = in.email();
  }
  if (!in.webhook_url().empty()) {
    if (in.webhook_url().size() > kMaxUrlBytes || !PlausibleUrl(in.webhook_url()))
      return FieldError{"subscriber.webhook_url", "an http:// or https:// URL without spaces"};
    if (!in.webhook_secret().empty())
      if (auto problem = WebhookSecretProblem(in.webhook_secret()))
        return FieldError{"subscriber.webhook_secret", *problem + "; or leave it empty to have one generated"};
    s.webhook_url = in.webhook_url();
    s.webhook_secret = in.webhook_secret();
  } else if (!in.webhook_secret().empty()) {
    return FieldError{"subscriber.webhook_secret", "only with webhook_url"};
  }
  if (auto e = ValidateSendWindows(in, &s.windows)) return e;
  *out = std::move(s);
  return std::nullopt;
}

std::optional<FieldError> ValidateSubscription(const v1::Subscription& in, const SubscriberSpec& subscriber,
                                               SubscriptionSpec* out) {
  SubscriptionSpec s;
  if (in.event_type().empty()) return FieldError{"subscription.event_type", "required"};
  if (!AttributesOf(in.event_type()))
    return FieldError{"subscription.event_type", "unknown event type \"" + in.event_type().substr(0, 100) + "\""};
  s.event_type = in.event_type();
  if (auto e = ValidateFilter(s.event_type, in.filter(), "subscription.filter", &s.filter)) return e;
  if (in.channels().empty()) return FieldError{"subscription.channels", "at least one channel"};
  std::set<int> seen;
  for (int i = 0; i < in.channels_size(); ++i) {
    const auto& c = in.channels(i);
    std::string path = "subscription.channels[" + std::to_string(i) + "]";
    if (c.channel() == v1::CHANNEL_UNSPECIFIED || !v1::Channel_IsValid(c.channel()))
      return FieldError{path + ".channel", "one of INBOX, WEBHOOK, EMAIL"};
    if (!seen.insert(c.channel()).second) return FieldError{path + ".channel", "each channel at most once"};
    if (c.channel() == v1::WEBHOOK && subscriber.webhook_url.empty())
      return FieldError{path + ".channel", "the subscriber has no webhook_url"};
    if (c.channel() == v1::EMAIL && subscriber.email.empty())
      return FieldError{path + ".channel", "the subscriber has no email"};
    ChannelSpec spec;
    spec.channel = c.channel();
    if (!v1::DeliveryMode_IsValid(c.mode())) return FieldError{path + ".mode", "IMMEDIATE or DAILY_DIGEST"};
    spec.mode = c.mode() == v1::DELIVERY_MODE_UNSPECIFIED ? v1::IMMEDIATE : c.mode();
    if (spec.mode == v1::DAILY_DIGEST) {
      if (spec.channel == v1::INBOX) return FieldError{path + ".mode", "the inbox is always immediate"};
      auto minute = ParseTimeOfDay(c.digest_time());
      if (!minute) return FieldError{path + ".digest_time", "HH:MM, 00:00–23:59, required with DAILY_DIGEST"};
      spec.digest_minute = *minute;
    } else if (!c.digest_time().empty()) {
      return FieldError{path + ".digest_time", "only with DAILY_DIGEST"};
    }
    s.channels.push_back(spec);
  }
  *out = std::move(s);
  return std::nullopt;
}

v1::Subscriber ToProto(const SubscriberSpec& s) {
  v1::Subscriber p;
  p.set_name("subscribers/" + s.id);
  p.set_id(s.id);
  p.set_display_name(s.display_name);
  p.set_kind(s.kind);
  p.set_unit(s.unit);
  p.set_email(s.email);
  p.set_webhook_url(s.webhook_url);
  p.set_has_webhook_secret(!s.webhook_secret.empty());
  for (const auto& w : s.windows) {
    auto* out = p.add_send_windows();
    out->set_day(static_cast<v1::Weekday>(w.weekday));
    out->set_start(FormatTimeOfDay(w.start));
    out->set_end(FormatTimeOfDay(w.end));
  }
  if (auto quiet = QuietHoursOf(s.windows)) {
    p.mutable_quiet_hours()->set_start(FormatTimeOfDay(quiet->start));
    p.mutable_quiet_hours()->set_end(FormatTimeOfDay(quiet->end));
  }
  return p;
}

}  // namespace cchc::notification
