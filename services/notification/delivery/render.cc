#include "render.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/crypto.h"
#include "platform/dates.h"

namespace cchc::notification {
namespace {

std::string TimeOf(const v1::Notification& n) {
  auto t = std::chrono::system_clock::time_point(std::chrono::seconds(n.event_time().seconds()) +
                                                 std::chrono::nanoseconds(n.event_time().nanos()));
  return dates::Rfc3339Utc(std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
}

// What `data` (one notification) or an item (a digest) says of `n`; "details" unless `thin`.
nlohmann::json ItemJson(const std::string& subscriber_id, const v1::Notification& n, bool thin) {
  nlohmann::json j = {
      {"id", n.event_id()},
      {"source", n.event_source()},
      {"subject", n.subject()},
      {"title", n.title()},
      {"link", n.link()},
      {"notification", "subscribers/" + subscriber_id + "/notifications/" + std::to_string(n.cursor())}};
  if (!thin) {
    nlohmann::json details = nlohmann::json::object();
    if (!n.data_json().empty()) details = nlohmann::json::parse(n.data_json(), nullptr, false);
    j["details"] = details.is_discarded() ? nlohmann::json::object() : details;
  }
  return j;
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string SingleBody(const std::string& delivery_id, const std::string& subscriber_id, const v1::Notification& n,
                       bool thin) {
  nlohmann::json data = ItemJson(subscriber_id, n, thin);
  data["delivery"] = "deliveries/" + delivery_id;
  data["subscriber"] = "subscribers/" + subscriber_id;
  if (thin) data["details_omitted"] = true;
  return Dump({{"type", n.event_type()}, {"timestamp", TimeOf(n)}, {"data", data}});
}

// How much of each item a digest's body carries.
enum class DigestForm { kFull, kLinks, kEventIds };

// A digest's body in `form`; in kEventIds, as many ids (from the first) as fit kMaxWebhookBodyBytes.
std::string DigestBody(const std::string& delivery_id, const std::string& subscriber_id,
                       const std::vector<v1::Notification>& items, const std::string& digest_day, DigestForm form) {
  std::string newest;
  for (const auto& n : items) newest = std::max(newest, TimeOf(n));  // RFC 3339 UTC, fixed width: sorts as time
  nlohmann::json data = {{"delivery", "deliveries/" + delivery_id},
                         {"subscriber", "subscribers/" + subscriber_id},
                         {"digest_day", digest_day}};
  if (form != DigestForm::kFull) data["details_omitted"] = true;
  if (form != DigestForm::kEventIds) {
    data["items"] = nlohmann::json::array();
    for (const auto& n : items) {
      nlohmann::json item = ItemJson(subscriber_id, n, form == DigestForm::kLinks);
      item["type"] = n.event_type();
      item["timestamp"] = TimeOf(n);
      data["items"].push_back(std::move(item));
    }
    return Dump({{"type", kDigestType}, {"timestamp", newest}, {"data", data}});
  }
  // Room for the envelope with an empty list and the largest "items_omitted" field.
  data["event_ids"] = nlohmann::json::array();
  size_t size =
      Dump({{"type", kDigestType}, {"timestamp", newest}, {"data", data}}).size() + sizeof(",\"items_omitted\":") + 20;
  for (const auto& n : items) {
    size_t item_size = Dump(n.event_id()).size() + 1;  // and its comma
    if (size + item_size > kMaxWebhookBodyBytes) break;
    size += item_size;
    data["event_ids"].push_back(n.event_id());
  }
  if (size_t omitted = items.size() - data["event_ids"].size()) data["items_omitted"] = omitted;
  return Dump({{"type", kDigestType}, {"timestamp", newest}, {"data", data}});
}

std::string DisplayDay(const std::string& iso) {
  return dates::IsoToDisplay(iso);
}

}  // namespace

std::string WebhookBody(const std::string& delivery_id, const std::string& subscriber_id,
                        const std::vector<v1::Notification>& items, const std::string& digest_day) {
  if (digest_day.empty() && items.size() == 1) {
    std::string body = SingleBody(delivery_id, subscriber_id, items[0], false);
    return body.size() <= kMaxWebhookBodyBytes ? body : SingleBody(delivery_id, subscriber_id, items[0], true);
  }
  for (DigestForm form : {DigestForm::kFull, DigestForm::kLinks}) {
    std::string body = DigestBody(delivery_id, subscriber_id, items, digest_day, form);
    if (body.size() <= kMaxWebhookBodyBytes) return body;
  }
  return DigestBody(delivery_id, subscriber_id, items, digest_day, DigestForm::kEventIds);
}

std::string EncodedWordSubject(const std::string& text) {
  // Split on code point boundaries into chunks of at most 45 bytes (60 base64 characters + 12 of framing).
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (uint8_t(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + crypto::Base64Encode(text.substr(i, end - i)) + "?=";
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
  std::string encoded = crypto::Base64Encode(crlf_body);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
  return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + EncodedWordSubject(EmailSubject(items, digest_day)) +
         "\r\nDate: " + date_rfc5322 + "\r\nMessage-ID: <" + message_id +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: "
         "base64\r\n\r\n" +
         wrapped;
}

}  // namespace cchc::notification
