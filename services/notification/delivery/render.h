#pragma once
// What a webhook or an e-mail carries, built from inbox rows. Pure functions: no I/O.
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"

namespace cchc::notification {

// The webhook body (JSON, UTF-8). One notification:
//   {"delivery": "deliveries/…", "subscriber": "subscribers/TCCB", "notification": {"cursor": 17,
//    "event": {"type", "id", "source", "time", "subject"}, "title", "link", "data": {…}}}
// A digest carries "digest_day" and "notifications": [ … ] instead of "notification".
std::string WebhookBody(const std::string& delivery_name, const std::string& subscriber_id,
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

std::string Base64(const std::string& bytes);

}  // namespace cchc::notification
