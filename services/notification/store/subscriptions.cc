#include "store/subscriptions.h"

#include <nlohmann/json.hpp>

#include "store/rows.h"

namespace cchc::notification {
namespace {

// Create and Update: the subscriber, shared. FOR SHARE, not KEY SHARE (which does not conflict with the subscriber
// update's FOR NO KEY UPDATE): the addresses the callback checks stay until this commits, and an update in progress
// is waited for and its outcome read here.
const db::Statement kShareSubscriber{"share_subscriber",
                                     "SELECT " + SubscriberColumns() + " FROM subscribers WHERE id = $1 FOR SHARE"};
// Create: $1 the subscriber, $2 the event type, $3 the filter and $4 the channels (JSON).
const db::Statement kInsertSubscription{
    "insert_subscription",
    "INSERT INTO subscriptions (id, subscriber_id, event_type, filter, channels) VALUES "
    "(gen_random_uuid(), $1, $2, $3::jsonb, $4::jsonb) RETURNING " +
        SubscriptionColumns()};
// List.
const db::Statement kListSubscriptions{
    "list_subscriptions",
    "SELECT " + SubscriptionColumns() + " FROM subscriptions WHERE subscriber_id = $1 ORDER BY created_at, id"};
// Delete.
const db::Statement kDeleteSubscription{"delete_subscription",
                                        "DELETE FROM subscriptions WHERE subscriber_id = $1 AND id::text = $2"};
// Update: the subscription, locked until the transaction ends.
const db::Statement kLockSubscription{
    "lock_subscription",
    "SELECT " + SubscriptionColumns() + " FROM subscriptions WHERE subscriber_id = $1 AND id::text = $2 FOR UPDATE"};
// Update: $3 the filter and $4 the channels (JSON).
const db::Statement kUpdateSubscription{
    "update_subscription",
    "UPDATE subscriptions SET filter = $3::jsonb, channels = $4::jsonb WHERE subscriber_id = "
    "$1 AND id::text = $2 RETURNING " +
        SubscriptionColumns()};
// OfType: the subscriptions to $1 with their subscribers (the subscriber's columns by SubscriberColumns' names), and
// the version; one row with the version alone when there are none.
const db::Statement kOfType{
    "subscriptions_to",
    "SELECT s.id, s.display_name, s.kind, s.unit, s.email, s.webhook_url, s.webhook_secret, " +
        SendWindowsColumn("s.") +
        ", c.id::text AS subscription_id, c.filter::text AS filter, c.channels::text AS channels, " +
        db::EpochMicros("date_trunc('milliseconds', c.created_at)") +
        " AS subscription_created_us, v.version FROM subscriptions_version v LEFT JOIN (subscriptions c JOIN "
        "subscribers s ON s.id = c.subscriber_id) ON c.event_type = $1 ORDER BY s.id, c.created_at, c.id"};
// Version.
const db::Statement kVersion{"subscriptions_version", "SELECT version FROM subscriptions_version"};
const db::Statement kVersionHeld{"subscriptions_version_held", "SELECT version FROM subscriptions_version FOR SHARE"};

std::string FilterJson(const SubscriptionSpec& s) {
  return ToJson(s.filter).dump();
}

}  // namespace

std::vector<db::Statement> SubscriptionStatements() {
  return {kShareSubscriber,
          kInsertSubscription,
          kListSubscriptions,
          kDeleteSubscription,
          kLockSubscription,
          kUpdateSubscription,
          kOfType,
          kVersion,
          kVersionHeld};
}

std::optional<v1::Subscription> SubscriptionStore::Create(const std::string& subscriber_id, const Maker& make) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Subscription> {
    pqxx::work tx(c);
    auto subscriber = tx.exec_prepared(kShareSubscriber.name, subscriber_id);
    if (subscriber.empty()) return std::nullopt;
    SubscriptionSpec s = make(SubscriberOf(subscriber[0]));
    auto r = tx.exec_prepared(kInsertSubscription.name, subscriber_id, s.event_type, FilterJson(s),
                              ChannelsJson(s.channels));
    tx.commit();
    return SubscriptionOf(subscriber_id, r[0]);
  });
}

std::vector<v1::Subscription> SubscriptionStore::List(const std::string& subscriber_id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::Subscription> out;
        for (const auto& r : tx.exec_prepared(kListSubscriptions.name, subscriber_id))
          out.push_back(SubscriptionOf(subscriber_id, r));
        return out;
      },
      true);
}

bool SubscriptionStore::Delete(const std::string& subscriber_id, const std::string& id) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kDeleteSubscription.name, subscriber_id, id);
    tx.commit();
    return r.affected_rows() > 0;
  });
}

std::optional<v1::Subscription> SubscriptionStore::Update(const std::string& subscriber_id, const std::string& id,
                                                          const Change& change) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Subscription> {
    pqxx::work tx(c);
    auto subscriber = tx.exec_prepared(kShareSubscriber.name, subscriber_id);
    if (subscriber.empty()) return std::nullopt;
    auto current = tx.exec_prepared(kLockSubscription.name, subscriber_id, id);
    if (current.empty()) return std::nullopt;
    SubscriptionSpec s = change(SubscriptionOf(subscriber_id, current[0]), SubscriberOf(subscriber[0]));
    auto r = tx.exec_prepared(kUpdateSubscription.name, subscriber_id, id, FilterJson(s), ChannelsJson(s.channels));
    tx.commit();
    return SubscriptionOf(subscriber_id, r[0]);
  });
}

SubscriptionsOfType SubscriptionStore::OfType(pqxx::transaction_base& tx, const std::string& event_type) {
  SubscriptionsOfType out;
  for (const auto& r : tx.exec_prepared(kOfType.name, event_type)) {
    out.version = r["version"].as<int64_t>();
    if (r["id"].is_null()) continue;  // none: the version's row alone
    Candidate c;
    c.subscriber = SubscriberOf(r);
    c.subscription_id = r["subscription_id"].as<std::string>();
    c.filter = FilterFromJson(nlohmann::json::parse(r["filter"].as<std::string>()));
    c.channels = ChannelsFromJson(r["channels"].as<std::string>());
    c.created_micros = r["subscription_created_us"].as<int64_t>();
    out.candidates.push_back(std::move(c));
  }
  return out;
}

int64_t SubscriptionStore::Version(pqxx::transaction_base& tx, bool hold) {
  return tx.exec_prepared(hold ? kVersionHeld.name : kVersion.name)[0]["version"].as<int64_t>();
}

}  // namespace cchc::notification
