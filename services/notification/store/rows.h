#pragma once
// How the stores read rows of the notification schema: the columns each row type is selected with, and one
// mapper per row type, reading the columns by name. Shared by the stores in store/; no statement here.
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "rules/schedule.h"
#include "rules/validation.h"

namespace cchc::notification {

// A subscriber's columns of `subscribers` (unqualified): id, display_name, kind, unit, email, webhook_url,
// webhook_secret, send_windows (SendWindowsColumn), created_us (µs since the epoch).
const std::string& SubscriberColumns();
// The subscriber of a row with those columns (created_us not needed).
SubscriberSpec SubscriberOf(const pqxx::row& r);
// The same as the API shows it, with its create_time.
v1::Subscriber SubscriberProtoOf(const pqxx::row& r);

// A subscription's columns of `subscriptions` (unqualified): id, event_type, filter, channels (JSON text),
// created_us.
const std::string& SubscriptionColumns();
v1::Subscription SubscriptionOf(const std::string& subscriber_id, const pqxx::row& r);

// A notification's columns of `notifications n`: cursor, subscriber_id, event_source, event_id, event_type,
// event_time_us, subject, title, link, data_json, is_read, created_us, and delivery_ids: the ids of its
// deliveries as found in `deliveries` (the table, or the rows a statement inserts into it), in id order.
std::string NotificationColumns(const std::string& deliveries);
const std::string& NotificationColumns();  // NotificationColumns("deliveries")
v1::Notification NotificationOf(const pqxx::row& r);

// A subscription's channels as stored (subscriptions.channels, JSON) and back.
std::string ChannelsJson(const std::vector<ChannelSpec>& channels);
std::vector<ChannelSpec> ChannelsFromJson(const std::string& text);

// The send windows of `table` ("s." or "") as SendWindowsOf reads them (column send_windows, text).
std::string SendWindowsColumn(const std::string& table);
SendWindows SendWindowsOf(const pqxx::row& r);
// The parameter subscribers.send_windows of `s` (a smallint[] literal, migration 007).
std::string SendWindowsParameter(const SubscriberSpec& s);

// Microseconds since the epoch.
int64_t Micros(Clock::time_point t);

}  // namespace cchc::notification
