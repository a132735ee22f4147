#pragma once
// Subscriptions (đăng ký nhận thông báo) in storage: admin data, each of one subscriber to one event type with a
// filter and channels; and the version of all subscriptions (migration 003), which the consumer matches against.
// Reads are single statements outside a transaction. Refusals are cchc::DomainError (platform/domain_error.h).
// Locking: Create and Update take the subscriber FOR SHARE (its addresses stay until they commit, and a subscriber
// update in progress is waited for), then Update the subscription FOR UPDATE. Every statement writing subscribers
// or subscriptions takes the next version first (a trigger, migration 003); Version(tx, true) holds it, so none
// changes until that transaction ends.
#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"
#include "rules/filter.h"
#include "rules/validation.h"

namespace cchc::notification {

// The statements SubscriptionStore runs, for the pool to prepare on every connection.
std::vector<db::Statement> SubscriptionStatements();

// A subscription with its subscriber, as the consumer matches events against it.
struct Candidate {
  SubscriberSpec subscriber;
  std::string subscription_id;
  FilterSpec filter;
  std::vector<ChannelSpec> channels;
  int64_t created_micros = 0;  // the subscription's creation, to the millisecond (the precision of ce_time)
};

// The subscriptions to one event type, with their subscribers, and the version of the subscriptions they were
// read at.
struct SubscriptionsOfType {
  int64_t version = 0;
  std::vector<Candidate> candidates;
};

class SubscriptionStore {
 public:
  explicit SubscriptionStore(db::Pool& pool) : pool_(pool) {}

  // In one transaction: locks the subscriber FOR SHARE, hands it to `make` and inserts the subscription `make`
  // returns; nullopt when the subscriber is absent. `make` throws to refuse (nothing written).
  using Maker = std::function<SubscriptionSpec(const SubscriberSpec&)>;
  std::optional<v1::Subscription> Create(const std::string& subscriber_id, const Maker& make);
  // The subscriber's subscriptions, oldest first.
  std::vector<v1::Subscription> List(const std::string& subscriber_id);
  // False when there is no such subscription of the subscriber.
  bool Delete(const std::string& subscriber_id, const std::string& id);
  // In one transaction: locks the subscriber FOR SHARE (its channels cannot go meanwhile) and the subscription FOR
  // UPDATE, hands both to `change` and stores the filter and channels it returns; nullopt when either is absent.
  // `change` throws to refuse (nothing written).
  using Change = std::function<SubscriptionSpec(const v1::Subscription&, const SubscriberSpec&)>;
  std::optional<v1::Subscription> Update(const std::string& subscriber_id, const std::string& id, const Change& change);

  // Inside the consumer's transaction `tx`: every subscription to `event_type`, with its subscriber, and the version
  // they are of.
  static SubscriptionsOfType OfType(pqxx::transaction_base& tx, const std::string& event_type);
  // The subscriptions' version; with `hold` (FOR SHARE), no subscription or subscriber changes until `tx` ends.
  static int64_t Version(pqxx::transaction_base& tx, bool hold);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::notification
