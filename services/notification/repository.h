#pragma once
// The notification service's storage (PostgreSQL, named prepared statements). Subscribers and
// subscriptions are admin data; notifications, deliveries and attempts are written by the consumer and the
// delivery workers. Reads are single statements outside a transaction.
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/consumer.h"
#include "platform/db.h"
#include "platform/migrations.h"
#include "rules/schedule.h"
#include "rules/update.h"
#include "rules/validation.h"

namespace cchc::notification {

inline constexpr const char* kSource = "/cchc/notification";

std::vector<db::Migration> Migrations();     // generated from migrations/*.sql
std::vector<db::Migration> AllMigrations();  // the platform's, then ours
// The one statement NotificationsAfter runs. Every Watch stream runs it on each wake-up, and PostgreSQL would
// plan it every time (its custom plans, knowing the cursor and the limit, always look cheaper than the
// generic one): the service gives it a pool of its own with generic plans (db::Plans::kGeneric).
std::vector<db::Statement> WatchStatements();
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

// What InsertNotifications wrote: each row as the inbox reads it, nullopt where that subscriber already had
// that event (and then none of its deliveries was added either); and, for each subscriber with a new row,
// its last cursor before them (0: none). Once the transaction commits, a subscriber's rows come right after
// that head: no other notification of the subscriber lies between the two.
struct InsertedNotifications {
  std::vector<std::optional<v1::Notification>> rows;
  std::map<std::string, int64_t> heads_before;
  // False when the subscriptions had changed from the version the rows were matched against: then nothing
  // was inserted.
  bool subscriptions_current = true;
  // InsertNotificationsRecording: the events recorded as processed, (CloudEvents source, id).
  std::set<consumer::EventKey> recorded;
};

// The subscriptions to one event type, with their subscribers, and the version of the subscriptions they
// were read at (migration 003).
struct SubscriptionsOfType {
  int64_t version = 0;
  std::vector<Candidate> candidates;
};

// A webhook or e-mail delivery of a notification inserted in the same statement (InsertNotifications), due at a
// time. It names the notification by subscriber and event, as its cursor is not known yet.
struct NewDelivery {
  std::string subscriber_id;
  std::string event_source;
  std::string event_id;
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
  std::string claim_token;  // this claim's; the outcome is recorded only while the row still holds it
  v1::Channel channel = v1::WEBHOOK;
  int attempt_count = 0, attempt_budget = 0;
  std::string digest_day;               // ISO, for a digest
  QuietWindow quiet;                    // the subscriber's (empty when none)
  std::vector<v1::Notification> items;  // one, or a digest's as fixed at the claim (what the attempt sends)
};

// The outcome of one attempt, as RecordOutcome stores it.
struct AttemptOutcome {
  std::string outcome;  // delivered, retry, dead_letter
  int status_code = 0;
  std::string error;
  int64_t duration_ms = 0;
  std::optional<int64_t> next_micros;  // a retry's due time
};

struct RecordedOutcome {
  bool recorded = false;  // false: the claim was no longer this one's (lease passed and reclaimed, or deleted)
  int moved = 0;          // digest items moved to the next day's digest
};

// Deliveries are leased, never locked across the network: ClaimDue leases a row in one short transaction, the
// attempt runs with no transaction or pooled connection held, RecordOutcome stores the outcome in another.
// A lease that passes (a crashed or stalled worker) makes the row claimable again: at least once, a receiver
// dedupes a repeat by the delivery id. Daily digests: one row per (subscriber, channel, local day) (a unique
// index); the consumer attaches items only to a pending digest, read FOR KEY SHARE. A send covers exactly the
// items read at its claim; on delivery, RecordOutcome takes the row FOR UPDATE (waiting for consumers attaching
// right now, whose re-check of state = 1 then fails) and moves every later item to the next day's digest. A
// retry re-reads all items; a dead letter keeps them. Every transaction locking a subscriber and its deliveries
// locks the subscriber first, and digests in order of day.

class Repository {
 public:
  // `watch_pool`, when given, runs NotificationsAfter (see WatchStatements).
  explicit Repository(db::Pool& pool, db::Pool* watch_pool = nullptr)
      : pool_(pool), watch_pool_(watch_pool ? *watch_pool : pool) {}

  // ALREADY_EXISTS when the id is taken.
  v1::Subscriber CreateSubscriber(const SubscriberSpec& s);
  std::optional<SubscriberSpec> FindSubscriber(const std::string& id);
  v1::Subscriber GetSubscriber(const std::string& id);  // NOT_FOUND
  std::vector<v1::Subscriber> ListSubscribers(const std::string& after_id, int limit);
  // In one transaction: locks the subscriber FOR NO KEY UPDATE (waiting for the FOR SHARE of a subscription being
  // created or updated, which in turn waits for this), hands it and its subscriptions' channels as committed
  // then to `change` and stores what `change` returns; nullopt when absent. `change` throws StatusError to
  // refuse (nothing written).
  using SubscriberChange =
      std::function<SubscriberSpec(const SubscriberSpec&, const std::vector<SubscriptionChannels>&)>;
  std::optional<v1::Subscriber> UpdateSubscriber(const std::string& id, const SubscriberChange& change);
  // With its subscriptions, inbox and deliveries (ON DELETE CASCADE); false when absent.
  bool DeleteSubscriber(const std::string& id);

  // In one transaction: locks the subscriber FOR SHARE (so no UpdateSubscriber removes an address meanwhile,
  // and one in progress is waited for), hands it to `make` and inserts the subscription `make` returns;
  // nullopt when the subscriber is absent. `make` throws StatusError to refuse (nothing written).
  using SubscriptionMaker = std::function<SubscriptionSpec(const SubscriberSpec&)>;
  std::optional<v1::Subscription> CreateSubscription(const std::string& subscriber_id, const SubscriptionMaker& make);
  std::vector<v1::Subscription> ListSubscriptions(const std::string& subscriber_id);
  bool DeleteSubscription(const std::string& subscriber_id, const std::string& id);
  // In one transaction: locks the subscriber (shared, so its channels cannot go meanwhile) and the
  // subscription, hands both to `change` and stores the filter and channels it returns; nullopt when either
  // is absent. `change` throws StatusError to refuse (nothing written).
  using SubscriptionChange = std::function<SubscriptionSpec(const v1::Subscription&, const SubscriberSpec&)>;
  std::optional<v1::Subscription> UpdateSubscription(const std::string& subscriber_id, const std::string& id,
                                                     const SubscriptionChange& change);

  // Inside the consumer's transaction.
  // Every subscription to `event_type`, with its subscriber, and the version they are of.
  SubscriptionsOfType SubscriptionsTo(pqxx::transaction_base& tx, const std::string& event_type);
  // The subscriptions' version; with `hold`, no subscription or subscriber changes until `tx` ends.
  int64_t SubscriptionsVersion(pqxx::work& tx, bool hold);
  // Inserts the rows in one statement, cursors increasing in the given order (see InsertedNotifications), and
  // the `deliveries` of the rows it inserts (with `budget` attempts each); each row comes back with its
  // deliveries' ids, as the inbox reads it. The statement first takes the inbox lock, held until `tx` ends:
  // transactions that insert notifications commit one after the other, so cursors become visible in increasing
  // order (Watch never skips a cursor that commits later). A notice from `replica` naming the rows' subscribers
  // goes out on kInboxChannel when `tx` commits (EncodeInboxNotice). The rows are inserted only while the
  // subscriptions are at `subscriptions_version`, the version they were matched against
  // (InsertedNotifications::subscriptions_current).
  InsertedNotifications InsertNotifications(pqxx::work& tx, const std::vector<NewNotification>& rows,
                                            const std::vector<NewDelivery>& deliveries, int budget,
                                            const std::string& replica, int64_t subscriptions_version);
  // InsertNotifications and the consumer's dedupe record of `events` (`record`: consumer::RecordedParameters)
  // in one statement, for the consumer's one-statement path (Ingest::HandleAtOnce) outside a transaction
  // block: the statement commits as a whole. Records the events first, then inserts only the rows (and
  // deliveries) of those it recorded now (InsertedNotifications::recorded); records nothing either unless the
  // subscriptions are at `subscriptions_version`. Takes the inbox lock, and sends the notice, only when it
  // records an event.
  InsertedNotifications InsertNotificationsRecording(pqxx::nontransaction& tx, const std::vector<NewNotification>& rows,
                                                     const std::vector<NewDelivery>& deliveries, int budget,
                                                     const std::string& replica, int64_t subscriptions_version,
                                                     const std::array<std::string, 4>& record);
  // Attaches `cursor` to the pending digest of `day` (created once per subscriber, channel and local day,
  // due at `digest_minute` of that day after quiet hours), or, when that day's is no longer pending, to the
  // next day's (a bounded number of days ahead). Returns the day it went to (ISO); empty if none.
  std::string AddToDigest(pqxx::work& tx, const std::string& subscriber_id, int64_t cursor, v1::Channel channel,
                          std::chrono::year_month_day day, int digest_minute, const QuietWindow& quiet, int budget);

  InboxPage ListNotifications(const InboxQuery& q);
  // Notifications with cursor > after, in cursor order, at most `limit`.
  std::vector<v1::Notification> NotificationsAfter(const std::string& subscriber_id, int64_t after, int limit);
  std::optional<v1::Notification> MarkRead(const std::string& subscriber_id, int64_t cursor);
  int64_t MarkAllRead(const std::string& subscriber_id, int64_t up_to);

  // Leases up to `limit` of the oldest due deliveries whose lease has passed and whose endpoint (EndpointGate's
  // name) is not in `passed_by`, for `lease` (longer than an attempt's time-out), and commits; each with its
  // notification or the digest's items as committed now; oldest due first.
  std::vector<DueDelivery> ClaimDue(std::chrono::milliseconds lease, const std::vector<std::string>& passed_by = {},
                                    int limit = 1);
  // Hands a claimed delivery back unattempted while the claim is still `d`'s: due as before, no attempt spent.
  void Unclaim(const DueDelivery& d);
  // The due deliveries of `endpoint` that no worker holds (and its retries due before then) wait, keeping their
  // order, `spacing_micros` apart from `until_micros` (µs since the epoch) on; no attempt spent. Returns how many.
  int64_t DeferEndpoint(const std::string& endpoint, int64_t until_micros, int64_t spacing_micros);
  // In one transaction, only while `d.claim_token` is still the row's: records the attempt and the delivery's
  // new state (delivered, retried at `next_micros`, or dead letter) and clears the lease; a delivered digest's
  // later items move to the next day's (created with `budget` attempts). Nothing is written otherwise.
  RecordedOutcome RecordOutcome(const DueDelivery& d, const AttemptOutcome& o, int budget);
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
  db::Pool& watch_pool_;
};

}  // namespace cchc::notification
