#include "render.h"

#include <nlohmann/json.hpp>

#include "platform/dates.h"

namespace cchc::notification {
namespace {

nlohmann::json NotificationJson(const v1::Notification& n) {
  nlohmann::json data = nlohmann::json::object();
  if (!n.data_json().empty()) data = nlohmann::json::parse(n.data_json(), nullptr, false);
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(n.event_time().seconds()) +
                                                 std::chrono::nanoseconds(n.event_time().nanos()));
  return {{"cursor", n.cursor()},
          {"event",
           {{"type", n.event_type()},
            {"id", n.event_id()},
            {"source", n.event_source()},
            {"time", dates::Rfc3339Utc(std::chrono::time_point_cast<std::chrono::system_clock::duration>(t))},
            {"subject", n.subject()}}},
          {"title", n.title()},
          {"link", n.link()},
          {"data", data}};
}

std::string DisplayDay(const std::string& iso) {
  return dates::IsoToDisplay(iso);
}

}  // namespace

std::string WebhookBody(const std::string& delivery_name, const std::string& subscriber_id,
                        const std::vector<v1::Notification>& items, const std::string& digest_day) {
  nlohmann::json j = {{"delivery", delivery_name}, {"subscriber", "subscribers/" + subscriber_id}};
  if (digest_day.empty() && items.size() == 1) {
    j["notification"] = NotificationJson(items[0]);
  } else {
    j["digest_day"] = digest_day;
    j["notifications"] = nlohmann::json::array();
    for (const auto& n : items) j["notifications"].push_back(NotificationJson(n));
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
  }
  return out;
}

std::string EncodedWordSubject(const std::string& text) {
  // Split on code point boundaries into chunks of at most 45 bytes (60 base64 characters + 12 of framing).
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (uint8_t(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string EmailSubject(const std::vector<v1::Notification>& items, const std::string& digest_day) {
  if (!digest_day.empty())
    return "[CCHC] Tổng hợp thông báo ngày " + DisplayDay(digest_day) + " (" + std::to_string(items.size()) + ")";
  return "[CCHC] " + (items.empty() ? std::string("Thông báo") : items[0].title());
}

std::string EmailText(const std::string& display_name, const std::vector<v1::Notification>& items,
                      const std::string& digest_day) {
  std::string body = "Kính gửi " + display_name + ",\n\n";
  body += digest_day.empty() ? "Cổng thông tin cải cách hành chính có thông báo mới:\n\n"
                             : "Các thông báo trong ngày " + DisplayDay(digest_day) + ":\n\n";
  for (const auto& n : items) body += "- " + n.title() + "\n  " + n.link() + "\n";
  body += "\nĐây là thư tự động, vui lòng không trả lời.\n";
  return body;
}

std::string EmailMessage(const std::string& from, const std::string& to, const std::string& display_name,
                         const std::vector<v1::Notification>& items, const std::string& digest_day,
                         const std::string& message_id, const std::string& date_rfc5322) {
  std::string body = EmailText(display_name, items, digest_day);
  std::string crlf_body;
  for (char c : body) {
    if (c == '\n') crlf_body += '\r';
    crlf_body += c;
  }
  std::string encoded = Base64(crlf_body);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
  return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + EncodedWordSubject(EmailSubject(items, digest_day)) +
         "\r\nDate: " + date_rfc5322 + "\r\nMessage-ID: <" + message_id +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
         "base64\r\n\r\n" +
         wrapped;
}

}  // namespace cchc::notification
