#pragma once
// The consumer's handler (tiếp nhận sự kiện): turns one event from another service into inbox rows for the
// subscribers whose subscriptions match it, and the webhook/e-mail deliveries (immediate, after quiet
// hours, or gathered into the day's digest) — all in the consumer's dedupe transaction. Once that
// transaction commits, the Watch streams of those subscribers are woken, and handed the new rows.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "event_view.h"
#include "platform/consumer.h"
#include "platform/metrics.h"
#include "store/inbox.h"
#include "store/subscriptions.h"
#include "watch_hub.h"

namespace cchc::notification {

struct IngestOptions {
  std::string portal_base_url;  // links are base + "/" + resource name
  int attempt_budget = 8;       // attempts per delivery before the dead letter
  // synchronous_commit = off for the consumer's transactions: commits stop waiting for the WAL flush (one
  // fsync per event caps a single consumer at a few hundred events/s on a slow disk). A crash of this
  // service loses nothing (PostgreSQL still flushes the WAL); a crash of PostgreSQL itself may lose the last
  // ~0.6 s of notifications, and if the broker offsets of those events were auto-committed meanwhile they
  // are not redelivered. Off by default. With it, every batch takes the consumer's transaction path (SET LOCAL
  // needs a transaction block): BEGIN, SET, the dedupe insert, the inserts and COMMIT, where without it a
  // batch that adds nothing to a digest is one statement (HandleAtOnce).
  bool async_commit = false;
  std::string replica;  // this process, in the notices to other replicas (inbox_notice.h)
};

class Ingest : public consumer::EventHandler {
 public:
  Ingest(SubscriptionStore& subscriptions, InboxStore& inbox, WatchHub& hub, IngestOptions options,
         metrics::Registry& registry);

  // kSkipped for event types the service does not understand; throws on a payload that does not parse.
  consumer::Outcome Handle(pqxx::work& tx, const events::CloudEvent& event) override;
  void BeforeCommit(pqxx::work& tx) override;  // writes the notifications and deliveries gathered
  void Committed() override;                   // wakes the Watch streams of the subscribers notified
  void RolledBack() override;                  // forgets them
  // The consumer's one-statement path, for a batch that adds nothing to a digest: its notifications and their
  // immediate webhook and e-mail deliveries (InboxStore::InsertRecording). nullopt (nothing
  // written) when it does, when the subscriptions changed since they were kept, or with async_commit (SET
  // LOCAL needs a transaction block).
  std::optional<std::set<consumer::EventKey>> HandleAtOnce(
      pqxx::nontransaction& tx, const std::vector<const events::CloudEvent*>& events) override;

 private:
  SubscriptionStore& subscription_store_;
  InboxStore& inbox_;
  WatchHub& hub_;
  IngestOptions options_;
  metrics::Family<metrics::Counter>& created_;
  // A notification matched in the transaction in progress, and its channels other than the inbox.
  struct Matched {
    NewNotification notification;
    SubscriberSpec subscriber;
    std::vector<ChannelSpec> channels;
    std::string traceparent;  // the event's (the consumer's span): its deliveries carry it
  };
  // An event of the transaction in progress, as Handle took it.
  struct Received {
    events::CloudEvent event;
    EventView view;
  };
  void Match(const Received& r, const std::vector<Candidate>& candidates);  // adds to matched_
  // Matches received_ (anew) against subscriptions_, reading the event types not kept; a read that finds a
  // newer version drops the rest and starts over.
  void MatchReceived(pqxx::transaction_base& tx);
  // matched_'s rows, in order.
  std::vector<NewNotification> MatchedRows() const;
  // matched_'s webhook and e-mail deliveries but digests, due `now` or at the subscriber's next send window
  // (holidays are the delivery workers' to see: DeliveryWorkers postpones a claim that falls on one).
  std::vector<NewDelivery> ImmediateDeliveries(std::chrono::system_clock::time_point now) const;
  // Keeps matched_[i]'s inserted row for the Watch streams (notified_), and counts it.
  void Remember(size_t i, InsertedNotifications& inserted);
  bool AllReadNow() const;  // every event type of received_ was read in this transaction

  // Kept from transaction to transaction (the consumer calls these on one thread): the subscriptions by
  // event type, all of version subscriptions_version_ (migration 003).
  std::map<std::string, std::vector<Candidate>> subscriptions_;
  int64_t subscriptions_version_ = 0;
  // Of the transaction in progress.
  std::vector<Received> received_;
  std::set<std::string> read_now_;
  std::vector<Matched> matched_;
  // The subscribers notified, each with its new rows for the Watch streams of this process (WatchHub).
  std::map<std::string, std::shared_ptr<NewRows>> notified_;
  std::map<std::string, int64_t> created_by_type_;
  bool async_commit_set_ = false;
};

}  // namespace cchc::notification
