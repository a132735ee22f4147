#include "ingest.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "event_view.h"
#include "platform/dates.h"
#include "rules/schedule.h"
#include "rules/send_windows.h"
#include "store/digests.h"
#include "store/rows.h"

namespace cchc::notification {

Ingest::Ingest(SubscriptionStore& subscriptions, InboxStore& inbox, WatchHub& hub, IngestOptions options,
               metrics::Registry& registry)
    : subscription_store_(subscriptions),
      inbox_(inbox),
      hub_(hub),
      options_(std::move(options)),
      created_(registry.AddCounter("cchc_notifications_created_total", "Inbox notifications created, by event type",
                                   {"type"})) {}

consumer::Outcome Ingest::Handle(pqxx::work& tx, const events::CloudEvent& event) {
  auto view = ViewOf(event, options_.portal_base_url);
  if (!view) return consumer::Outcome::kSkipped;
  if (options_.async_commit && !async_commit_set_) {
    inbox_.CommitWithoutFlush(tx);
    async_commit_set_ = true;
  }
  received_.push_back({event, std::move(*view)});  // matched in BeforeCommit, all against one version
  return consumer::Outcome::kProcessed;
}

void Ingest::Match(const Received& r, const std::vector<Candidate>& candidates) {
  const auto& event = r.event;
  const auto& view = r.view;
  // One notification per subscriber however many of its subscriptions match; the channels add up (for a
  // channel in two subscriptions, immediate wins over a digest). Only subscriptions that existed when the
  // event happened count: a new subscription is not told of the past.
  std::map<std::string, std::pair<const SubscriberSpec*, std::map<int, ChannelSpec>>> matched;
  int64_t event_time = dates::ParseRfc3339Micros(event.time).value_or(Micros(Clock::now()));
  for (const auto& c : candidates) {
    if (c.created_micros > event_time || !Matches(c.filter, view.attributes)) continue;
    auto& [subscriber, channels] = matched[c.subscriber.id];
    subscriber = &c.subscriber;
    for (const auto& ch : c.channels) {
      auto it = channels.find(ch.channel);
      if (it == channels.end() || ch.mode == v1::IMMEDIATE) channels[ch.channel] = ch;
    }
  }
  for (const auto& [id, entry] : matched) {
    Matched m{NewNotification{id, event.source, event.id, event.type, event.subject, view.title, view.link,
                              view.data_json, event_time},
              *entry.first,
              {},
              event.traceparent};
    for (const auto& [channel, ch] : entry.second)
      if (ch.channel != v1::INBOX) m.channels.push_back(ch);
    matched_.push_back(std::move(m));
  }
}

void Ingest::MatchReceived(pqxx::transaction_base& tx) {
  matched_.clear();
  for (size_t i = 0; i < received_.size(); ++i) {
    const auto& type = received_[i].event.type;
    auto cached = subscriptions_.find(type);
    if (cached == subscriptions_.end()) {
      auto read = subscription_store_.OfType(tx, type);
      read_now_.insert(type);
      bool newer = read.version != subscriptions_version_;
      if (newer) {
        subscriptions_.clear();  // of an older version
        subscriptions_version_ = read.version;
      }
      cached = subscriptions_.emplace(type, std::move(read.candidates)).first;
      if (newer && i > 0) return MatchReceived(tx);  // the events before were matched against the older one
    }
    Match(received_[i], cached->second);
  }
}

bool Ingest::AllReadNow() const {
  for (const auto& r : received_)
    if (!read_now_.count(r.event.type)) return false;
  return true;
}

void Ingest::BeforeCommit(pqxx::work& tx) {
  if (received_.empty()) return;
  // Matched against the subscriptions kept from earlier batches, if their version is still current: the
  // insert checks it (or, with nothing to insert, a read of the version). If it is not, they are read
  // again, this time with the version held until this transaction ends.
  const auto now = Clock::now();
  InsertedNotifications inserted;
  for (bool held = false;; held = true) {
    MatchReceived(tx);
    if (matched_.empty()) {
      if (held || AllReadNow() || subscription_store_.Version(tx, false) == subscriptions_version_) return;
    } else {
      inserted = inbox_.Insert(tx, MatchedRows(), ImmediateDeliveries(now), options_.attempt_budget, options_.replica,
                               subscriptions_version_);
      if (inserted.subscriptions_current) break;
      if (held) throw std::logic_error("the subscriptions changed while their version was held");
    }
    subscription_store_.Version(tx, true);
    subscriptions_.clear();
  }
  struct DigestItem {
    std::string subscriber_id;
    int channel;
    std::chrono::sys_days day;
    int64_t cursor;
    int minute;
    SendWindows windows;
  };
  std::vector<DigestItem> digest_items;
  for (size_t i = 0; i < matched_.size(); ++i) {
    if (!inserted.rows[i]) continue;  // the subscriber had it already
    const auto& m = matched_[i];
    const int64_t cursor = inserted.rows[i]->cursor();
    for (const auto& ch : m.channels)
      if (ch.mode == v1::DAILY_DIGEST)
        digest_items.push_back({m.subscriber.id, static_cast<int>(ch.channel),
                                std::chrono::sys_days(DigestFor(now, ch.digest_minute).day), cursor, ch.digest_minute,
                                m.subscriber.windows});
    Remember(i, inserted);
  }
  // Each to the day's pending digest, or a later day's once that one is sent (see store/digests.h: a worker
  // sending it never makes this wait, except for its own commit once the message is out). In order of
  // subscriber, channel and day, as a worker moving items locks a digest and then the next day's: no
  // deadlock between the two.
  std::sort(digest_items.begin(), digest_items.end(), [](const DigestItem& a, const DigestItem& b) {
    return std::tie(a.subscriber_id, a.channel, a.day, a.cursor) <
           std::tie(b.subscriber_id, b.channel, b.day, b.cursor);
  });
  for (const auto& d : digest_items)
    AttachToDigest(tx, d.subscriber_id, {d.cursor}, static_cast<v1::Channel>(d.channel),
                   std::chrono::year_month_day(d.day), d.minute, d.windows, options_.attempt_budget);
}

std::vector<NewNotification> Ingest::MatchedRows() const {
  std::vector<NewNotification> rows;
  rows.reserve(matched_.size());
  for (const auto& m : matched_) rows.push_back(m.notification);
  return rows;
}

std::vector<NewDelivery> Ingest::ImmediateDeliveries(Clock::time_point now) const {
  std::vector<NewDelivery> deliveries;
  for (const auto& m : matched_)
    for (const auto& ch : m.channels)
      if (ch.mode != v1::DAILY_DIGEST)
        deliveries.push_back({m.subscriber.id, m.notification.event_source, m.notification.event_id, ch.channel,
                              Micros(NextOpen(now, m.subscriber.windows, {})), m.traceparent});
  return deliveries;
}

void Ingest::Remember(size_t i, InsertedNotifications& inserted) {
  const auto& m = matched_[i];
  auto& fresh = notified_[m.subscriber.id];
  if (!fresh) fresh = std::make_shared<NewRows>(NewRows{inserted.heads_before.at(m.subscriber.id), {}});
  fresh->rows.push_back(std::move(*inserted.rows[i]));
  ++created_by_type_[m.notification.event_type];
}

std::optional<std::set<consumer::EventKey>> Ingest::HandleAtOnce(pqxx::nontransaction& tx,
                                                                 const std::vector<const events::CloudEvent*>& events) {
  if (options_.async_commit) return std::nullopt;
  std::vector<consumer::Outcome> outcomes;
  for (const auto* event : events) {
    auto view = ViewOf(*event, options_.portal_base_url);
    outcomes.push_back(view ? consumer::Outcome::kProcessed : consumer::Outcome::kSkipped);
    if (view) received_.push_back({*event, std::move(*view)});
  }
  if (received_.empty()) return consumer::Record(tx, events, outcomes);  // none this service reads
  MatchReceived(tx);
  for (const auto& m : matched_)
    for (const auto& ch : m.channels)
      if (ch.mode == v1::DAILY_DIGEST) return std::nullopt;  // a digest takes more statements (AttachToDigest)
  const DedupeRecord record = consumer::RecordedParameters(events, outcomes);
  auto inserted = inbox_.InsertRecording(tx, MatchedRows(), ImmediateDeliveries(Clock::now()), options_.attempt_budget,
                                         options_.replica, subscriptions_version_, record);
  if (!inserted.subscriptions_current) {
    subscriptions_.clear();  // of an older version: the transaction path reads them again
    return std::nullopt;
  }
  for (size_t i = 0; i < matched_.size(); ++i)
    if (inserted.rows[i]) Remember(i, inserted);
  return std::move(inserted.recorded);
}

void Ingest::Committed() {
  for (const auto& [id, fresh] : notified_) hub_.Bump(id, fresh);
  for (const auto& [type, n] : created_by_type_) created_.WithLabels({type}).Increment(static_cast<double>(n));
  RolledBack();
}

void Ingest::RolledBack() {
  received_.clear();
  read_now_.clear();
  matched_.clear();
  notified_.clear();
  created_by_type_.clear();
  async_commit_set_ = false;
}

}  // namespace cchc::notification
