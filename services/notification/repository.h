#pragma once
// The notification service's storage (PostgreSQL, named prepared statements). Subscribers and
// subscriptions are admin data; notifications, deliveries and attempts are written by the consumer and the
// delivery workers. Reads are single statements outside a transaction.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"
#include "platform/migrations.h"
#include "rules/update.h"
#include "rules/validation.h"

namespace cchc::notification {

inline constexpr const char* kSource = "/cchc/notification";

std::vector<db::Migration> Migrations();     // generated from migrations/*.sql
std::vector<db::Migration> AllMigrations();  // the platform's, then ours
std::vector<db::Statement> Statements();

// A subscription with its subscriber, as the consumer matches events against it.
struct Candidate {
  SubscriberSpec subscriber;
  std::string subscription_id;
  FilterSpec filter;
  std::vector<ChannelSpec> channels;
  int64_t created_micros = 0;  // the subscription's creation, to the millisecond (the precision of ce_time)
};

// One row of the inbox, as stored.
struct NewNotification {
  std::string subscriber_id, event_source, event_id, event_type, subject, title, link, data_json;
  int64_t event_time_micros = 0;
};

// A webhook or e-mail delivery of one notification, due at a time.
struct NewDelivery {
  std::string subscriber_id;
  int64_t notification = 0;  // cursor
  v1::Channel channel = v1::WEBHOOK;
  int64_t due_micros = 0;
};

struct InboxQuery {
  std::string subscriber_id;
  bool unread_first = false, unread_only = false;
  int limit = 20;
  std::optional<std::pair<int, int64_t>> after;  // keyset: (read rank, cursor) of the last row shown
};

struct InboxPage {
  std::vector<v1::Notification> notifications;
  std::optional<std::pair<int, int64_t>> last;  // set when there may be more
  int64_t unread = 0;
};

// A delivery claimed for an attempt, with what it needs to send.
struct DueDelivery {
  std::string id, subscriber_id, display_name, email, webhook_url, webhook_secret;
  v1::Channel channel = v1::WEBHOOK;
  int attempt_count = 0, attempt_budget = 0;
  std::string digest_day;               // ISO, for a digest
  std::vector<v1::Notification> items;  // one, or a digest's
};

class Repository {
 public:
  explicit Repository(db::Pool& pool) : pool_(pool) {}

  // ALREADY_EXISTS when the id is taken.
  v1::Subscriber CreateSubscriber(const SubscriberSpec& s);
  std::optional<SubscriberSpec> FindSubscriber(const std::string& id);
  v1::Subscriber GetSubscriber(const std::string& id);  // NOT_FOUND
  std::vector<v1::Subscriber> ListSubscribers(const std::string& after_id, int limit);
  // In one transaction: locks the subscriber, hands it and its subscriptions' channels to `change` and
  // stores what `change` returns; nullopt when absent. `change` throws StatusError to refuse (nothing written).
  using SubscriberChange =
      std::function<SubscriberSpec(const SubscriberSpec&, const std::vector<SubscriptionChannels>&)>;
  std::optional<v1::Subscriber> UpdateSubscriber(const std::string& id, const SubscriberChange& change);
  // With its subscriptions, inbox and deliveries (ON DELETE CASCADE); false when absent.
  bool DeleteSubscriber(const std::string& id);

  v1::Subscription CreateSubscription(const std::string& subscriber_id, const SubscriptionSpec& s);
  std::vector<v1::Subscription> ListSubscriptions(const std::string& subscriber_id);
  bool DeleteSubscription(const std::string& subscriber_id, const std::string& id);
  // In one transaction: locks the subscriber (shared, so its channels cannot go meanwhile) and the
  // subscription, hands both to `change` and stores the filter and channels it returns; nullopt when either
  // is absent. `change` throws StatusError to refuse (nothing written).
  using SubscriptionChange = std::function<SubscriptionSpec(const v1::Subscription&, const SubscriberSpec&)>;
  std::optional<v1::Subscription> UpdateSubscription(const std::string& subscriber_id, const std::string& id,
                                                     const SubscriptionChange& change);

  // Inside the consumer's transaction.
  // Every subscription to `event_type`, with its subscriber.
  std::vector<Candidate> SubscriptionsTo(pqxx::work& tx, const std::string& event_type);
  // The inbox lock, held until `tx` ends: transactions that insert notifications commit one after the
  // other, so cursors become visible in increasing order (Watch never skips a cursor that commits later).
  void LockInbox(pqxx::work& tx);
  // Requires LockInbox in `tx`. Inserts the rows in one statement, cursors increasing in the given order;
  // returns each row's cursor, nullopt where that subscriber already had that event.
  std::vector<std::optional<int64_t>> InsertNotifications(pqxx::work& tx, const std::vector<NewNotification>& rows);
  void InsertDeliveries(pqxx::work& tx, const std::vector<NewDelivery>& rows, int budget);
  // The day's digest delivery (created once per subscriber, channel and local day) gains `cursor`.
  void AddToDigest(pqxx::work& tx, const std::string& subscriber_id, int64_t cursor, v1::Channel channel,
                   const std::string& day_iso, int64_t due_micros, int budget);

  InboxPage ListNotifications(const InboxQuery& q);
  // Notifications with cursor > after, in cursor order, at most `limit`.
  std::vector<v1::Notification> NotificationsAfter(const std::string& subscriber_id, int64_t after, int limit);
  std::optional<v1::Notification> MarkRead(const std::string& subscriber_id, int64_t cursor);
  int64_t MarkAllRead(const std::string& subscriber_id, int64_t up_to);

  // Claims the oldest due delivery with FOR UPDATE SKIP LOCKED in `tx` (held during the attempt).
  std::optional<DueDelivery> ClaimDue(pqxx::work& tx);
  // Records the attempt and the delivery's new state: delivered, retried at `next_micros`, or dead letter.
  void RecordAttempt(pqxx::work& tx, const DueDelivery& d, const std::string& outcome, int status_code,
                     const std::string& error, int64_t duration_ms, std::optional<int64_t> next_micros);
  int64_t PendingCount();
  int64_t DeadLetterCount();

  std::optional<v1::Delivery> GetDelivery(const std::string& id);
  // Dead letters newest first; keyset on (finished_at µs, id).
  std::vector<v1::Delivery> ListDeadLetters(std::optional<std::pair<int64_t, std::string>> after, int limit,
                                            std::vector<std::pair<int64_t, std::string>>* keys);
  // FAILED_PRECONDITION unless dead-lettered; NOT_FOUND if absent.
  v1::Delivery RetryDeadLetter(const std::string& id, int budget);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::notification
