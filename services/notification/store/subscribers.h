#pragma once
// Subscribers (người nhận thông báo) in storage: admin data, one row each with its addresses and quiet hours.
// Reads are single statements outside a transaction, retried once on a broken connection. Refusals are
// cchc::DomainError (platform/domain_error.h).
// Locking: Update takes the subscriber FOR NO KEY UPDATE, which waits for (and is waited for by) the FOR SHARE of a
// subscription being created or updated (subscriptions.h), but not the KEY SHARE of the consumer and the delivery
// workers. The global order is in store/README.md: the subscriber first.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"
#include "rules/update.h"
#include "rules/validation.h"

namespace cchc::notification {

// The statements SubscriberStore runs, for the pool to prepare on every connection.
std::vector<db::Statement> SubscriberStatements();

class SubscriberStore {
 public:
  explicit SubscriberStore(db::Pool& pool) : pool_(pool) {}

  // Inserts `s` and returns it as stored. kAlreadyExists when the id is taken.
  v1::Subscriber Create(const SubscriberSpec& s);
  // The subscriber; nullopt when absent.
  std::optional<SubscriberSpec> Find(const std::string& id);
  // The subscriber as the API shows it; kNotFound when absent.
  v1::Subscriber Get(const std::string& id);
  // Up to `limit` subscribers with ids after `after_id`, in id order.
  std::vector<v1::Subscriber> List(const std::string& after_id, int limit);

  // In one transaction: locks the subscriber FOR NO KEY UPDATE, hands it and its subscriptions' channels as
  // committed then (read after the lock, so a subscription created or updated meanwhile is seen) to `change`, and
  // stores what `change` returns; nullopt when absent. `change` throws to refuse (nothing written).
  using Change = std::function<SubscriberSpec(const SubscriberSpec&, const std::vector<SubscriptionChannels>&)>;
  std::optional<v1::Subscriber> Update(const std::string& id, const Change& change);
  // In one transaction, under the subscriber's FOR NO KEY UPDATE lock: `secret` becomes the webhook secret and the
  // current one is kept as the previous, signing too for `grace` more; a previous one still in its grace is
  // dropped. Returns when the previous stops signing (µs since the epoch). kNotFound when absent,
  // kFailedPrecondition when the subscriber has no webhook_url.
  int64_t RotateSecret(const std::string& id, const std::string& secret, std::chrono::milliseconds grace);
  // Deletes the subscriber with its subscriptions, inbox and deliveries (ON DELETE CASCADE); false when absent.
  bool Delete(const std::string& id);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::notification
