#include "store/subscribers.h"

#include "platform/domain_error.h"
#include "store/rows.h"

namespace cchc::notification {
namespace {

// Create: $1..$8 the subscriber's fields; no row when the id is taken.
const db::Statement kInsertSubscriber{
    "insert_subscriber",
    "INSERT INTO subscribers (id, display_name, kind, unit, email, webhook_url, webhook_secret, send_windows) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::smallint[]) ON CONFLICT (id) DO NOTHING RETURNING " +
        SubscriberColumns()};
// Find, Get.
const db::Statement kGet{"get_subscriber", "SELECT " + SubscriberColumns() + " FROM subscribers WHERE id = $1"};
// List: after id $1, at most $2.
const db::Statement kListSubscribers{
    "list_subscribers", "SELECT " + SubscriberColumns() + " FROM subscribers WHERE id > $1 ORDER BY id LIMIT $2"};
// Update. NO KEY UPDATE: conflicts with the FOR SHARE of a subscription being created or updated, not with the KEY
// SHARE of consumers (foreign keys) and delivery workers (claims), which need not wait for an update.
const db::Statement kLock{"lock_subscriber",
                          "SELECT " + SubscriberColumns() + " FROM subscribers WHERE id = $1 FOR NO KEY UPDATE"};
// Update: the subscriber's subscriptions and their channels (JSON), after kLock.
const db::Statement kSubscriptionChannels{
    "subscription_channels",
    "SELECT id::text AS id, channels::text AS channels FROM subscriptions WHERE subscriber_id = $1 ORDER BY "
    "created_at, id"};
// Update: $1 the id, $2..$8 the new fields. A secret set here (or cleared with the URL) ends a rotation's grace.
const db::Statement kUpdate{
    "update_subscriber",
    "UPDATE subscribers SET display_name = $2, kind = $3, unit = $4, email = $5, webhook_url = $6, webhook_secret = "
    "$7, send_windows = $8::smallint[], webhook_secret_previous = CASE WHEN webhook_secret = $7 THEN "
    "webhook_secret_previous ELSE '' END, webhook_secret_previous_until = CASE WHEN webhook_secret = $7 THEN "
    "webhook_secret_previous_until END WHERE id = $1 RETURNING " +
        SubscriberColumns()};
// RotateSecret, after kLock: $2 the new secret; the current one signs too for $3 ms more. Returns that end (µs).
const db::Statement kRotateSecret{
    "rotate_webhook_secret",
    "UPDATE subscribers SET webhook_secret_previous = webhook_secret, webhook_secret_previous_until = "
    "clock_timestamp() + $3::bigint * interval '1 millisecond', webhook_secret = $2 WHERE id = $1 RETURNING " +
        db::EpochMicros("webhook_secret_previous_until") + " AS until_us"};
// Delete.
const db::Statement kDelete{"delete_subscriber", "DELETE FROM subscribers WHERE id = $1"};

}  // namespace

std::vector<db::Statement> SubscriberStatements() {
  return {kInsertSubscriber, kGet, kListSubscribers, kLock, kSubscriptionChannels, kUpdate, kRotateSecret, kDelete};
}

v1::Subscriber SubscriberStore::Create(const SubscriberSpec& s) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kInsertSubscriber.name, s.id, s.display_name, static_cast<int>(s.kind), s.unit, s.email,
                              s.webhook_url, s.webhook_secret, SendWindowsParameter(s));
    if (r.empty())
      throw DomainError(DomainErrorKind::kAlreadyExists, "subscriber.id: subscribers/" + s.id + " already exists",
                        platform::v1::DUPLICATE_ID);
    tx.commit();
    return SubscriberProtoOf(r[0]);
  });
}

std::optional<SubscriberSpec> SubscriberStore::Find(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<SubscriberSpec> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGet.name, id);
        if (r.empty()) return std::nullopt;
        return SubscriberOf(r[0]);
      },
      true);
}

v1::Subscriber SubscriberStore::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGet.name, id);
        if (r.empty()) ThrowNotFound("name: subscribers/" + id + " not found");
        return SubscriberProtoOf(r[0]);
      },
      true);
}

std::vector<v1::Subscriber> SubscriberStore::List(const std::string& after_id, int limit) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::Subscriber> out;
        for (const auto& r : tx.exec_prepared(kListSubscribers.name, after_id, limit))
          out.push_back(SubscriberProtoOf(r));
        return out;
      },
      true);
}

std::optional<v1::Subscriber> SubscriberStore::Update(const std::string& id, const Change& change) {
  return pool_.Run([&](pqxx::connection& c) -> std::optional<v1::Subscriber> {
    pqxx::work tx(c);
    auto current = tx.exec_prepared(kLock.name, id);
    if (current.empty()) return std::nullopt;
    // A statement after the lock, so a snapshot after it (READ COMMITTED): it sees the subscription of a
    // create or update this waited for.
    std::vector<SubscriptionChannels> subscriptions;
    for (const auto& r : tx.exec_prepared(kSubscriptionChannels.name, id))
      subscriptions.emplace_back("subscribers/" + id + "/subscriptions/" + r["id"].as<std::string>(),
                                 ChannelsFromJson(r["channels"].as<std::string>()));
    SubscriberSpec s = change(SubscriberOf(current[0]), subscriptions);
    auto r = tx.exec_prepared(kUpdate.name, id, s.display_name, static_cast<int>(s.kind), s.unit, s.email,
                              s.webhook_url, s.webhook_secret, SendWindowsParameter(s));
    tx.commit();
    return SubscriberProtoOf(r[0]);
  });
}

int64_t SubscriberStore::RotateSecret(const std::string& id, const std::string& secret,
                                      std::chrono::milliseconds grace) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto current = tx.exec_prepared(kLock.name, id);
    if (current.empty()) ThrowNotFound("name: subscribers/" + id + " not found");
    if (SubscriberOf(current[0]).webhook_url.empty())
      throw DomainError(DomainErrorKind::kFailedPrecondition,
                        "name: subscribers/" + id + " has no webhook_url, so no webhook secret to rotate");
    auto r = tx.exec_prepared(kRotateSecret.name, id, secret, static_cast<int64_t>(grace.count()));
    tx.commit();
    return r[0]["until_us"].as<int64_t>();
  });
}

bool SubscriberStore::Delete(const std::string& id) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kDelete.name, id);
    tx.commit();
    return r.affected_rows() > 0;
  });
}

}  // namespace cchc::notification
