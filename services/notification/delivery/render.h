#pragma once
// What a webhook or an e-mail carries, built from inbox rows. Pure functions: no I/O.
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"

namespace cchc::notification {

// The webhook body: Standard Webhooks' {"type", "timestamp", "data"} (JSON, UTF-8), at most kMaxWebhookBodyBytes.
// One notification: "type" is the event's CloudEvents type, "timestamp" its time, and "data"
//   {"id", "source", "subject" (the CloudEvent's), "title", "link" (our readable ones), "delivery": "deliveries/…",
//    "subscriber": "subscribers/TCCB", "notification": "subscribers/TCCB/notifications/17", "details": {…}}
// where "details" is the event's data. A digest: "type" kDigestType, "timestamp" its newest item's time, "data"
//   {"delivery", "subscriber", "digest_day", "items": [{"type", "timestamp", "id", "source", "subject", "title",
//    "link", "notification", "details"}, …]}.
// A body that would pass the limit drops every "details" (the links stay: "details_omitted": true); a digest still
// too large lists its items' event ids only ("event_ids" instead of "items"; each is in the subscriber's inbox), as
// many as fit ("items_omitted": how many were left out).
inline constexpr size_t kMaxWebhookBodyBytes = 20 * 1024;
inline constexpr const char* kDigestType = "cchc.notification.v1.Digest";
std::string WebhookBody(const std::string& delivery_id, const std::string& subscriber_id,
                        const std::vector<v1::Notification>& items, const std::string& digest_day);

// RFC 2047 encoded-word (UTF-8, base64) of `text`, split into words of at most 75 characters.
std::string EncodedWordSubject(const std::string& text);

// A complete RFC 5322 message: headers (From, To, Subject encoded-word, Date, Message-ID, MIME-Version,
// Content-Type text/plain; charset=UTF-8, Content-Transfer-Encoding: base64) and the base64 body, CRLF lines.
std::string EmailMessage(const std::string& from, const std::string& to, const std::string& display_name,
                         const std::vector<v1::Notification>& items, const std::string& digest_day,
                         const std::string& message_id, const std::string& date_rfc5322);

// The Vietnamese subject and body of that message, before encoding.
std::string EmailSubject(const std::vector<v1::Notification>& items, const std::string& digest_day);
std::string EmailText(const std::string& display_name, const std::vector<v1::Notification>& items,
                      const std::string& digest_day);

}  // namespace cchc::notification
