// The fault suite's checks, run once the writers stopped: what was acknowledged against what was stored, the
// events on the topics, the subscriber's inbox, webhook and Watch stream, the view count. Each check expects
// what it checks and adds its anomalies (counted by whole_system_faults_checks.*) for the closing report.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>

#include "support/kafka_reader.h"
#include "system/whole_system_faults_fixture.h"

namespace cchc::testing {

namespace nv1 = news::v1;

// 1. Every acknowledged write is stored.
void WholeSystemFaultsTest::CheckAcknowledgedWritesStored() {
  SystemStack& s = *stack_;
  stored_docs_ = Lines(s.Pg().Sql("SELECT 'documents/' || id FROM document.documents WHERE status = 2 ORDER BY 1"));
  for (const auto& name : acked_.documents)
    EXPECT_TRUE(stored_docs_.count(name)) << name << " acknowledged, not stored";
  stored_articles_ = Lines(s.Pg().Sql("SELECT 'articles/' || id FROM news.articles WHERE status = 3"));
  for (const auto& name : acked_.articles)
    EXPECT_TRUE(stored_articles_.count(name)) << name << " acknowledged, not stored";
  stored_units_ = Lines(s.Pg().Sql("SELECT code FROM scoring.units WHERE code LIKE 'FAULT_UNIT_%'"));
  for (const auto& code : acked_.units) EXPECT_TRUE(stored_units_.count(code)) << code << " acknowledged, not stored";
  anomalies_.lost_writes += CountLost(acked_.documents, stored_docs_) + CountLost(acked_.articles, stored_articles_) +
                            CountLost(acked_.units, stored_units_);
}

// 2. Every stored change produced exactly one event (one ce_id) on its topic; copies of one event that a relay
//    resent after a crash carry the same ce_id and are counted apart. First every outbox drains (the relays may
//    be backing off after the outages).
void WholeSystemFaultsTest::WaitForOutboxesToDrain() {
  SystemStack& s = *stack_;
  for (const char* schema : {"document", "news", "scoring"}) {
    std::string pending;
    bool drained = WaitFor(
        [&] {
          pending = s.Pg().Sql(std::string("SELECT count(*) FROM ") + schema + ".outbox WHERE published_at IS NULL");
          return pending == "0\n";
        },
        std::chrono::seconds(60));
    EXPECT_TRUE(drained) << schema << ".outbox still holds " << pending;
  }
}

// Each topic's messages by subject, in partition order (a subject is a key: one partition).
void WholeSystemFaultsTest::ReadDocumentAndNewsTopics() {
  SystemStack& s = *stack_;
  auto read_topic = [&](MessagesBySubject& by_subject, const std::string& topic, size_t expected) {
    for (auto& m : ReadTopic(s.Kafka().Bootstrap(), topic, expected, std::chrono::seconds(60)))
      by_subject[m.headers["ce_subject"]].push_back(std::move(m));
  };
  read_topic(document_topic_, "cchc.document.v1", stored_docs_.size());
  read_topic(news_topic_, "cchc.news.v1", stored_articles_.size());
}

void WholeSystemFaultsTest::CheckOneEventPerStoredChange() {
  doc_events_ = EventIdsOfType(document_topic_, "cchc.document.v1.DocumentPublished", &document_copies_);
  for (const auto& name : stored_docs_) {
    auto found = doc_events_.find(name);
    EXPECT_TRUE(found != doc_events_.end() && found->second.size() == 1u)
        << name << ": " << (found == doc_events_.end() ? 0 : found->second.size()) << " events";
  }
  EXPECT_EQ(doc_events_.size(), stored_docs_.size());
  article_events_ = EventIdsOfType(news_topic_, "cchc.news.v1.ArticlePublished", &article_copies_);
  for (const auto& name : stored_articles_) {
    auto found = article_events_.find(name);
    EXPECT_TRUE(found != article_events_.end() && found->second.size() == 1u)
        << name << ": " << (found == article_events_.end() ? 0 : found->second.size()) << " events";
  }
  for (const EventAnomalies& a :
       {CountEventAnomalies(stored_docs_, doc_events_), CountEventAnomalies(stored_articles_, article_events_)}) {
    anomalies_.unseen += a.unseen;
    anomalies_.duplicates += a.duplicates;
  }
}

// 3. The subscriber got exactly one notification per matching event (its inbox), and its webhook at least one
//    signed delivery per event (webhooks are at-least-once; receivers dedupe on the event id).
void WholeSystemFaultsTest::CheckOneNotificationPerEvent() {
  SystemStack& s = *stack_;
  for (const auto& [subject, ids] : doc_events_) event_ids_.insert(ids.begin(), ids.end());
  std::map<std::string, int> inbox;
  bool complete = WaitFor(
      [&] {
        inbox.clear();
        std::istringstream in(
            s.Pg().Sql("SELECT event_id FROM notification.notifications WHERE subscriber_id = 'TCCB'"));
        for (std::string line; std::getline(in, line);)
          if (!line.empty()) ++inbox[line];
        return inbox.size() >= event_ids_.size();
      },
      std::chrono::seconds(120));
  EXPECT_TRUE(complete) << inbox.size() << " of " << event_ids_.size() << " notifications";
  for (const auto& [id, n] : inbox) EXPECT_TRUE(event_ids_.count(id)) << "notification for unknown event " << id;
  InboxAnomalies a = CountInboxAnomalies(inbox, event_ids_);
  EXPECT_EQ(a.duplicates, 0);
  EXPECT_EQ(a.missing, 0u) << "events without a notification";
  notified_ = inbox.size();
  inbox_duplicates_ = a.duplicates;
  anomalies_.duplicates += a.duplicates;
  anomalies_.unseen += a.missing;
}

void WholeSystemFaultsTest::CheckWebhookDeliveredEachEvent() {
  SystemStack& s = *stack_;
  WaitFor(
      [&] {
        webhook_ = CountWebhookDeliveries(s.WebhookLog(), event_ids_);
        return webhook_.size() >= event_ids_.size();
      },
      std::chrono::seconds(60));
  for (const auto& id : event_ids_) {
    EXPECT_GE(webhook_[id], 1) << "no webhook delivery for " << id;
    webhook_copies_ += std::max(0, webhook_[id] - 1);
  }
}

// 4. Views: every acknowledged view counted; beyond those, only views whose answer was lost.
void WholeSystemFaultsTest::CheckViewsCounted() {
  SystemStack& s = *stack_;
  nv1::GetArticleRequest get;
  get.set_name(viewed_);
  nv1::Article counted;
  ASSERT_TRUE(s.News().GetArticle(s.Context(Tokens::kReader).get(), get, &counted).ok());
  EXPECT_GE(counted.view_count(), acked_.views.load());
  EXPECT_LE(counted.view_count(), acked_.views.load() + acked_.uncertain_views.load());
  view_count_ = counted.view_count();
}

// 5. Edits: each acknowledged one stored and announced, after its document's DocumentPublished.
void WholeSystemFaultsTest::CheckEditsStoredAndAnnouncedInOrder() {
  SystemStack& s = *stack_;
  std::map<std::string, std::string> stored;
  for (const auto& [name, subject] : acked_.edited)
    stored[name] = s.Pg().Sql("SELECT subject FROM document.documents WHERE id = '" + name.substr(10) + "'");
  int lost_edits = CountLostEdits(acked_.edited, stored);
  int unseen_edits = CountUnannouncedEdits(acked_.edited, document_topic_);
  int nonmonotonic_topic = CountUpdatedBeforePublished(document_topic_);
  EXPECT_EQ(lost_edits, 0);
  EXPECT_EQ(unseen_edits, 0);
  EXPECT_EQ(nonmonotonic_topic, 0) << "a DocumentUpdated before its DocumentPublished";
  anomalies_.lost_writes += lost_edits;
  anomalies_.unseen += unseen_edits;
  anomalies_.nonmonotonic += nonmonotonic_topic;
}

// 6. The Watch stream: every notification of the inbox once, cursors rising.
void WholeSystemFaultsTest::CheckWatchStreamSawEachOnce() {
  SystemStack& s = *stack_;
  for (const auto& line :
       Lines(s.Pg().Sql("SELECT cursor FROM notification.notifications WHERE subscriber_id = 'TCCB'")))
    inbox_cursors_.insert(std::stoll(line));
  WaitFor([&] { return watcher_.DistinctCursors() >= inbox_cursors_.size(); }, std::chrono::seconds(30));
  watcher_.Stop();
  WatchAnomalies a = CountWatchAnomalies(watcher_.Cursors(), inbox_cursors_);
  EXPECT_EQ(a.duplicates, 0);
  EXPECT_EQ(a.nonmonotonic, 0);
  EXPECT_EQ(a.unseen, 0);
  anomalies_.duplicates += a.duplicates;
  anomalies_.nonmonotonic += a.nonmonotonic;
  anomalies_.unseen += a.unseen;
}

void WholeSystemFaultsTest::CheckNothingLostNothingTwice() {
  std::cout << AnomalyLine(anomalies_) << "\n";
  EXPECT_EQ(anomalies_.Total(), 0u);
  std::cout << "checked: documents edited " << acked_.edited.size() << "; Watch stream " << watcher_.Cursors().size()
            << " notifications for " << inbox_cursors_.size() << " in the inbox\n";
  std::cout << "checked: documents acknowledged " << acked_.documents.size() << ", stored published "
            << stored_docs_.size() << ", DocumentPublished events " << doc_events_.size() << " (resent copies "
            << document_copies_ << ")\n"
            << "checked: articles acknowledged " << acked_.articles.size() << ", stored published "
            << stored_articles_.size() << ", ArticlePublished events " << article_events_.size() << " (resent copies "
            << article_copies_ << ")\n"
            << "checked: scoring units acknowledged " << acked_.units.size() << ", stored " << stored_units_.size()
            << "\n"
            << "checked: TCCB inbox notifications " << notified_ << " for " << event_ids_.size()
            << " events, duplicates " << inbox_duplicates_ << "; webhook deliveries for " << webhook_.size()
            << " events, extra copies " << webhook_copies_ << "\n"
            << "checked: views acknowledged " << acked_.views.load() << ", answer lost "
            << acked_.uncertain_views.load() << ", counted " << view_count_ << "\n";
}

}  // namespace cchc::testing
