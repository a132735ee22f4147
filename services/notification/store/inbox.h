#pragma once
// The inbox (hộp thư thông báo): each subscriber's notifications in cursor order, written by the consumer with the
// webhook and e-mail deliveries of each (one statement), read by the inbox RPCs and the Watch streams. Reads are
// single statements outside a transaction, retried once on a broken connection.
// Locking: Insert and InsertRecording take the inbox lock (inbox_lock_and_heads, migration 002), held until their
// transaction ends, after the subscriptions' version is checked and before any notification or delivery row: the
// transactions that insert notifications commit one after the other, so cursors become visible in increasing order
// and Watch never skips a cursor that commits later.
#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/consumer.h"
#include "platform/db.h"

namespace cchc::notification {

// The statements InboxStore runs on the service's pool, for the pool to prepare on every connection.
std::vector<db::Statement> InboxStatements();
// The one statement InboxStore::After runs. Every Watch stream runs it on each wake-up, and PostgreSQL would plan it
// every time (its custom plans, knowing the cursor and the limit, always look cheaper than the generic one): the
// service gives it a pool of its own with generic plans (db::Plans::kGeneric).
std::vector<db::Statement> WatchStatements();

// One row of the inbox, as stored.
struct NewNotification {
  std::string subscriber_id, event_source, event_id, event_type, subject, title, link, data_json;
  int64_t event_time_micros = 0;
};

// A webhook or e-mail delivery of a notification inserted in the same statement (Insert), due at a time. It names
// the notification by subscriber and event, as its cursor is not known yet.
struct NewDelivery {
  std::string subscriber_id;
  std::string event_source;
  std::string event_id;
  v1::Channel channel = v1::WEBHOOK;
  int64_t due_micros = 0;
  std::string traceparent;  // the event's, as the consumer continued it; empty: none (stored NULL)
};

// The consumer's dedupe record of a batch of events (consumer::RecordedParameters, consumer::RecordedCte).
using consumer::DedupeRecord;

// What Insert wrote: each row as the inbox reads it, nullopt where that subscriber already had that event (and
// then none of its deliveries was added either); and, for each subscriber with a new row, its last cursor before
// them (0: none). Once the transaction commits, a subscriber's rows come right after that head: no other
// notification of the subscriber lies between the two.
struct InsertedNotifications {
  std::vector<std::optional<v1::Notification>> rows;
  std::map<std::string, int64_t> heads_before;
  // False when the subscriptions had changed from the version the rows were matched against: then nothing was
  // inserted.
  bool subscriptions_current = true;
  // InsertRecording: the events recorded as processed, (CloudEvents source, id).
  std::set<consumer::EventKey> recorded;
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

class InboxStore {
 public:
  // `watch_pool` runs After (see WatchStatements).
  InboxStore(db::Pool& pool, db::Pool& watch_pool) : pool_(pool), watch_pool_(watch_pool) {}

  // Inside the consumer's transaction `tx`: inserts the rows in one statement, cursors increasing in the given
  // order (see InsertedNotifications), and the `deliveries` of the rows it inserts (with `budget` attempts each);
  // each row comes back with its deliveries' ids. Takes the inbox lock (above). A notice from `replica` naming the
  // rows' subscribers goes out on kInboxChannel when `tx` commits (EncodeInboxNotice). Inserts only while the
  // subscriptions are at `subscriptions_version`, the version the rows were matched against.
  static InsertedNotifications Insert(pqxx::work& tx, const std::vector<NewNotification>& rows,
                                      const std::vector<NewDelivery>& deliveries, int budget,
                                      const std::string& replica, int64_t subscriptions_version);
  // Insert and the consumer's dedupe `record` of the batch in one statement, for the consumer's one-statement path
  // (Ingest::HandleAtOnce) outside a transaction block: the statement commits as a whole. Records the events first,
  // then inserts only the rows (and deliveries) of those it recorded now (InsertedNotifications::recorded); records
  // nothing either unless the subscriptions are at `subscriptions_version`. Takes the inbox lock, and sends the
  // notice, only when it records an event.
  static InsertedNotifications InsertRecording(pqxx::nontransaction& tx, const std::vector<NewNotification>& rows,
                                               const std::vector<NewDelivery>& deliveries, int budget,
                                               const std::string& replica, int64_t subscriptions_version,
                                               const DedupeRecord& record);
  // Makes the consumer's transaction `tx` commit without waiting for the WAL flush (IngestOptions::async_commit).
  static void CommitWithoutFlush(pqxx::work& tx);

  // A page of the subscriber's inbox, newest first (unread first when asked), with its unread count.
  InboxPage List(const InboxQuery& q);
  // Notifications with cursor > after, in cursor order, at most `limit` (on the watch pool).
  std::vector<v1::Notification> After(const std::string& subscriber_id, int64_t after, int limit);
  // Marks one read (kept when it was already); nullopt when the subscriber has no such notification.
  std::optional<v1::Notification> MarkRead(const std::string& subscriber_id, int64_t cursor);
  // Marks the unread ones up to `up_to` (0: all) read; returns how many.
  int64_t MarkAllRead(const std::string& subscriber_id, int64_t up_to);

 private:
  db::Pool& pool_;
  db::Pool& watch_pool_;
};

}  // namespace cchc::notification
