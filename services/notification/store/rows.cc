#include "store/rows.h"

#include <nlohmann/json.hpp>

#include "platform/db.h"

namespace cchc::notification {

const std::string& SubscriberColumns() {
  static const std::string columns = "id, display_name, kind, unit, email, webhook_url, webhook_secret, " +
                                     SendWindowsColumn("") + ", " + db::EpochMicros("created_at") + " AS created_us";
  return columns;
}

std::string SendWindowsColumn(const std::string& table) {
  return "array_to_string(" + table + "send_windows, ',') AS send_windows";
}

SendWindows SendWindowsOf(const pqxx::row& r) {
  std::vector<int> flat;
  const std::string text = r["send_windows"].as<std::string>();
  for (size_t i = 0; i < text.size();) {
    size_t comma = text.find(',', i);
    if (comma == std::string::npos) comma = text.size();
    flat.push_back(std::stoi(text.substr(i, comma - i)));
    i = comma + 1;
  }
  return UnflattenWindows(flat);
}

std::string SendWindowsParameter(const SubscriberSpec& s) {
  std::vector<int64_t> flat;
  for (int v : FlattenWindows(s.windows)) flat.push_back(v);
  return db::IntArrayLiteral(flat);
}

SubscriberSpec SubscriberOf(const pqxx::row& r) {
  SubscriberSpec s;
  s.id = r["id"].as<std::string>();
  s.display_name = r["display_name"].as<std::string>();
  s.kind = static_cast<v1::SubscriberKind>(r["kind"].as<int>());
  s.unit = r["unit"].as<std::string>();
  s.email = r["email"].as<std::string>();
  s.webhook_url = r["webhook_url"].as<std::string>();
  s.webhook_secret = r["webhook_secret"].as<std::string>();
  s.windows = SendWindowsOf(r);
  return s;
}

v1::Subscriber SubscriberProtoOf(const pqxx::row& r) {
  v1::Subscriber p = ToProto(SubscriberOf(r));
  db::SetTimestamp(p.mutable_create_time(), r["created_us"].as<int64_t>());
  return p;
}

const std::string& SubscriptionColumns() {
  static const std::string columns =
      "id::text AS id, event_type, filter::text AS filter, channels::text AS channels, " +
      db::EpochMicros("created_at") + " AS created_us";
  return columns;
}

v1::Subscription SubscriptionOf(const std::string& subscriber_id, const pqxx::row& r) {
  v1::Subscription s;
  s.set_name("subscribers/" + subscriber_id + "/subscriptions/" + r["id"].as<std::string>());
  s.set_event_type(r["event_type"].as<std::string>());
  ToProto(FilterFromJson(nlohmann::json::parse(r["filter"].as<std::string>())), s.mutable_filter());
  for (const auto& c : ChannelsFromJson(r["channels"].as<std::string>())) {
    auto* out = s.add_channels();
    out->set_channel(c.channel);
    out->set_mode(c.mode);
    if (c.mode == v1::DAILY_DIGEST) out->set_digest_time(FormatTimeOfDay(c.digest_minute));
  }
  db::SetTimestamp(s.mutable_create_time(), r["created_us"].as<int64_t>());
  return s;
}

std::string NotificationColumns(const std::string& deliveries) {
  return "n.cursor, n.subscriber_id, n.event_source, n.event_id, n.event_type, " + db::EpochMicros("n.event_time") +
         " AS event_time_us, n.subject, n.title, n.link, n.data_json, n.read_at IS NOT NULL AS is_read, " +
         db::EpochMicros("n.created_at") +
         " AS created_us, COALESCE((SELECT array_agg(d.id::text ORDER BY d.id) FROM " + deliveries +
         " d WHERE d.notification = n.cursor), '{}') AS delivery_ids";
}

const std::string& NotificationColumns() {
  static const std::string columns = NotificationColumns("deliveries");
  return columns;
}

v1::Notification NotificationOf(const pqxx::row& r) {
  v1::Notification n;
  n.set_cursor(r["cursor"].as<int64_t>());
  n.set_name("subscribers/" + r["subscriber_id"].as<std::string>() + "/notifications/" + std::to_string(n.cursor()));
  n.set_event_source(r["event_source"].as<std::string>());
  n.set_event_id(r["event_id"].as<std::string>());
  n.set_event_type(r["event_type"].as<std::string>());
  db::SetTimestamp(n.mutable_event_time(), r["event_time_us"].as<int64_t>());
  n.set_subject(r["subject"].as<std::string>());
  n.set_title(r["title"].as<std::string>());
  n.set_link(r["link"].as<std::string>());
  n.set_data_json(r["data_json"].as<std::string>());
  n.set_read(r["is_read"].as<bool>());
  db::SetTimestamp(n.mutable_create_time(), r["created_us"].as<int64_t>());
  for (auto& d : db::ParseTextArray(r["delivery_ids"])) n.add_deliveries("deliveries/" + d);
  return n;
}

std::string ChannelsJson(const std::vector<ChannelSpec>& channels) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& c : channels)
    j.push_back({{"channel", static_cast<int>(c.channel)},
                 {"mode", static_cast<int>(c.mode)},
                 {"digest_minute", c.digest_minute}});
  return j.dump();
}

std::vector<ChannelSpec> ChannelsFromJson(const std::string& text) {
  std::vector<ChannelSpec> out;
  for (const auto& c : nlohmann::json::parse(text)) {
    ChannelSpec s;
    s.channel = static_cast<v1::Channel>(c.at("channel").get<int>());
    s.mode = static_cast<v1::DeliveryMode>(c.at("mode").get<int>());
    s.digest_minute = c.at("digest_minute").get<int>();
    out.push_back(s);
  }
  return out;
}

int64_t Micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace cchc::notification
