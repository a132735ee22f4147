// Faults across the whole system — nothing lost, nothing twice. Under a steady stream of writes to every
// service (documents created, published and then edited, articles published, views counted, scoring units
// created), with the subscriber's inbox open on a Watch stream, each service in turn is SIGKILLed and
// restarted, the broker's brokers go down for longer than the producers' message.timeout.ms and come back, and
// PostgreSQL restarts. Then: every acknowledged write is stored; every stored change produced exactly one event
// (one ce_id) on its topic, a document's in order; the subscriber got exactly one notification per matching
// event, and its Watch stream each of them once, in cursor order; the view count is the views acknowledged
// (plus at most the views whose answer was lost with a killed process). It prints the counts it checked and
// the anomalies as Jepsen names them (lost writes, duplicates, unseen events, nonmonotonic order), and fails on
// any.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/kafka_reader.h"
#include "system/system_stack.h"
#include "system/whole_system_faults_workload.h"

namespace cchc::testing {
namespace {

namespace nv1 = news::v1;
namespace tv1 = notification::v1;

class WholeSystemFaultsTest : public WholeSystemTest {};

TEST_F(WholeSystemFaultsTest, NothingLostNothingTwice) {
  SystemStack& s = *stack_;
  // The subscriber: the Sở's TCCB office, inbox and webhook, new CCHC documents.
  {
    tv1::CreateSubscriberRequest req;
    auto* sub = req.mutable_subscriber();
    sub->set_id("TCCB");
    sub->set_display_name("Phòng Tổ chức cán bộ, Sở GD&ĐT");
    sub->set_kind(tv1::UNIT);
    sub->set_unit("SGDĐT-TCCB");
    sub->set_webhook_url("http://127.0.0.1:" + std::to_string(s.WebhookPort()) + "/cchc");
    sub->set_webhook_secret(SystemStack::kWebhookSecret);
    tv1::Subscriber out;
    ASSERT_TRUE(s.Notifications().CreateSubscriber(s.Context(Tokens::kAdmin).get(), req, &out).ok());
    tv1::CreateSubscriptionRequest sreq;
    sreq.set_parent("subscribers/TCCB");
    sreq.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
    sreq.mutable_subscription()->mutable_filter()->add_fields("Cải cách hành chính");
    sreq.mutable_subscription()->add_channels()->set_channel(tv1::INBOX);
    sreq.mutable_subscription()->add_channels()->set_channel(tv1::WEBHOOK);
    tv1::Subscription subscription;
    ASSERT_TRUE(s.Notifications().CreateSubscription(s.Context(Tokens::kAdmin).get(), sreq, &subscription).ok());
  }
  // The article whose views are counted.
  nv1::Article viewed;
  {
    nv1::CreateArticleRequest req;
    req.mutable_article()->set_title("Bài đếm lượt xem khi có sự cố");
    req.mutable_article()->set_category("Cải cách hành chính");
    req.mutable_article()->set_body("Nội dung");
    nv1::Article draft;
    ASSERT_TRUE(s.News().CreateArticle(s.Context(Tokens::kEditor).get(), req, &draft).ok());
    nv1::PublishArticleRequest publish;
    publish.set_name(draft.name());
    ASSERT_TRUE(s.News().PublishArticle(s.Context(Tokens::kEditor).get(), publish, &viewed).ok());
  }

  Acknowledged acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  writers.emplace_back([&] { WriteDocuments(s, stop, acked); });
  writers.emplace_back([&] { WriteArticles(s, stop, acked); });
  for (int w = 0; w < 2; ++w) writers.emplace_back([&] { RecordViews(s, stop, viewed.name(), acked); });
  writers.emplace_back([&] { WriteUnits(s, stop, acked); });

  InboxWatcher watcher;  // stopped at the end of the test also when an assertion ends it early
  watcher.Start(s, "subscribers/TCCB", Tokens::kTccbInbox);

  auto pause = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  pause(2000);
  for (Service service : kAllServices) {
    std::cout << "SIGKILL " << ServiceName(service) << "-service, then restart\n";
    s.Kill(service, SIGKILL);
    pause(500);
    s.Start(service);
    pause(1500);
  }
  // Longer than the producers' message.timeout.ms (10 s in the stack): the relays' messages time out and are
  // sent again, as in a real Kafka outage.
  std::cout << "broker: every broker down for 12 s\n";
  s.Kafka().Control("down all");
  pause(12000);
  s.Kafka().Control("up all");
  pause(2000);
  std::cout << "PostgreSQL: stop, 2 s, start\n";
  s.Pg().Stop();
  pause(2000);
  s.Pg().Start();
  pause(4000);
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_FALSE(acked.documents.empty());
  ASSERT_FALSE(acked.articles.empty());
  ASSERT_FALSE(acked.units.empty());

  // 1. Every acknowledged write is stored.
  auto published_docs = s.Pg().Sql("SELECT 'documents/' || id FROM document.documents WHERE status = 2 ORDER BY 1");
  std::set<std::string> stored_docs;
  {
    std::istringstream in(published_docs);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) stored_docs.insert(line);
  }
  for (const auto& name : acked.documents) EXPECT_TRUE(stored_docs.count(name)) << name << " acknowledged, not stored";
  std::set<std::string> stored_articles;
  {
    std::istringstream in(s.Pg().Sql("SELECT 'articles/' || id FROM news.articles WHERE status = 3"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) stored_articles.insert(line);
  }
  for (const auto& name : acked.articles)
    EXPECT_TRUE(stored_articles.count(name)) << name << " acknowledged, not stored";
  std::set<std::string> stored_units;
  {
    std::istringstream in(s.Pg().Sql("SELECT code FROM scoring.units WHERE code LIKE 'FAULT_UNIT_%'"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) stored_units.insert(line);
  }
  for (const auto& code : acked.units) EXPECT_TRUE(stored_units.count(code)) << code << " acknowledged, not stored";

  // 2. Every stored change produced exactly one event (one ce_id) on its topic; copies of one event that a
  //    relay resent after a crash carry the same ce_id and are counted apart. First every outbox drains
  //    (the relays may be backing off after the outages).
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
  // Each topic's messages by subject, in partition order (a subject is a key: one partition).
  std::map<std::string, std::vector<ConsumedMessage>> by_topic_subject_order[2];
  auto read_topic = [&](int index, const std::string& topic, size_t expected) {
    for (auto& m : ReadTopic(s.Kafka().Bootstrap(), topic, expected, std::chrono::seconds(60)))
      by_topic_subject_order[index][m.headers["ce_subject"]].push_back(std::move(m));
  };
  read_topic(0, "cchc.document.v1", stored_docs.size());
  read_topic(1, "cchc.news.v1", stored_articles.size());
  auto events_by_subject = [&](const std::string& topic, const std::string& type, size_t, size_t* copies) {
    std::map<std::string, std::set<std::string>> ids;
    *copies = 0;
    for (const auto& [subject, messages] : by_topic_subject_order[topic == "cchc.document.v1" ? 0 : 1])
      for (const auto& m : messages) {
        auto t = m.headers.find("ce_type");
        if (t == m.headers.end() || t->second != type) continue;
        if (!ids[subject].insert(m.headers.at("ce_id")).second) ++*copies;
      }
    return ids;
  };
  size_t document_copies = 0, article_copies = 0;
  auto doc_events =
      events_by_subject("cchc.document.v1", "cchc.document.v1.DocumentPublished", stored_docs.size(), &document_copies);
  for (const auto& name : stored_docs) {
    auto found = doc_events.find(name);
    EXPECT_TRUE(found != doc_events.end() && found->second.size() == 1u)
        << name << ": " << (found == doc_events.end() ? 0 : found->second.size()) << " events";
  }
  EXPECT_EQ(doc_events.size(), stored_docs.size());
  auto article_events =
      events_by_subject("cchc.news.v1", "cchc.news.v1.ArticlePublished", stored_articles.size(), &article_copies);
  for (const auto& name : stored_articles) {
    auto found = article_events.find(name);
    EXPECT_TRUE(found != article_events.end() && found->second.size() == 1u)
        << name << ": " << (found == article_events.end() ? 0 : found->second.size()) << " events";
  }

  // 3. The subscriber got exactly one notification per matching event (its inbox), and its webhook at least
  //    one signed delivery per event (webhooks are at-least-once; receivers dedupe on the event id).
  std::set<std::string> event_ids;
  for (const auto& [subject, ids] : doc_events) event_ids.insert(ids.begin(), ids.end());
  std::map<std::string, int> inbox;
  bool complete = WaitFor(
      [&] {
        inbox.clear();
        std::istringstream in(
            s.Pg().Sql("SELECT event_id FROM notification.notifications WHERE subscriber_id = 'TCCB'"));
        for (std::string line; std::getline(in, line);)
          if (!line.empty()) ++inbox[line];
        return inbox.size() >= event_ids.size();
      },
      std::chrono::seconds(120));
  EXPECT_TRUE(complete) << inbox.size() << " of " << event_ids.size() << " notifications";
  int inbox_duplicates = 0;
  for (const auto& [id, n] : inbox) {
    EXPECT_TRUE(event_ids.count(id)) << "notification for unknown event " << id;
    if (n != 1) ++inbox_duplicates;
  }
  EXPECT_EQ(inbox_duplicates, 0);
  size_t missing = 0;
  for (const auto& id : event_ids) missing += inbox.count(id) == 0;
  EXPECT_EQ(missing, 0u) << "events without a notification";
  size_t notified = inbox.size();

  std::map<std::string, int> webhook;
  WaitFor(
      [&] {
        webhook.clear();
        std::istringstream in(s.WebhookLog());
        for (std::string line; std::getline(in, line);) {
          for (const auto& id : event_ids)
            if (line.find(id) != std::string::npos) ++webhook[id];
        }
        return webhook.size() >= event_ids.size();
      },
      std::chrono::seconds(60));
  int webhook_copies = 0;
  for (const auto& id : event_ids) {
    EXPECT_GE(webhook[id], 1) << "no webhook delivery for " << id;
    webhook_copies += std::max(0, webhook[id] - 1);
  }

  // 4. Views: every acknowledged view counted; beyond those, only views whose answer was lost.
  nv1::GetArticleRequest get;
  get.set_name(viewed.name());
  nv1::Article counted;
  ASSERT_TRUE(s.News().GetArticle(s.Context(Tokens::kReader).get(), get, &counted).ok());
  EXPECT_GE(counted.view_count(), acked.views.load());
  EXPECT_LE(counted.view_count(), acked.views.load() + acked.uncertain_views.load());

  // 5. Edits: each acknowledged one stored and announced, after its document's DocumentPublished.
  int lost_edits = 0, unseen_edits = 0, nonmonotonic_topic = 0;
  for (const auto& [name, subject] : acked.edited) {
    std::string stored = s.Pg().Sql("SELECT subject FROM document.documents WHERE id = '" + name.substr(10) + "'");
    if (stored != subject + "\n") ++lost_edits;
    bool announced = false;
    for (const auto& m : by_topic_subject_order[0][name])
      announced |= m.headers.at("ce_type") == "cchc.document.v1.DocumentUpdated";
    if (!announced) ++unseen_edits;
  }
  for (const auto& [subject, messages] : by_topic_subject_order[0]) {
    bool published = false;
    for (const auto& m : messages) {
      const std::string& type = m.headers.at("ce_type");
      if (type == "cchc.document.v1.DocumentPublished") published = true;
      if (type == "cchc.document.v1.DocumentUpdated" && !published) ++nonmonotonic_topic;
    }
  }
  EXPECT_EQ(lost_edits, 0);
  EXPECT_EQ(unseen_edits, 0);
  EXPECT_EQ(nonmonotonic_topic, 0) << "a DocumentUpdated before its DocumentPublished";

  // 6. The Watch stream: every notification of the inbox once, cursors rising.
  std::set<int64_t> inbox_cursors;
  {
    std::istringstream in(s.Pg().Sql("SELECT cursor FROM notification.notifications WHERE subscriber_id = 'TCCB'"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) inbox_cursors.insert(std::stoll(line));
  }
  WaitFor([&] { return watcher.DistinctCursors() >= inbox_cursors.size(); }, std::chrono::seconds(30));
  watcher.Stop();
  const std::vector<int64_t>& watched = watcher.Cursors();
  int watch_duplicates = 0, watch_nonmonotonic = 0, watch_unseen = 0;
  std::set<int64_t> watched_set;
  for (size_t i = 0; i < watched.size(); ++i) {
    if (!watched_set.insert(watched[i]).second) ++watch_duplicates;
    if (i > 0 && watched[i] <= watched[i - 1]) ++watch_nonmonotonic;
  }
  for (int64_t cursor : inbox_cursors) watch_unseen += watched_set.count(cursor) == 0;
  EXPECT_EQ(watch_duplicates, 0);
  EXPECT_EQ(watch_nonmonotonic, 0);
  EXPECT_EQ(watch_unseen, 0);

  size_t lost_writes = lost_edits, duplicates = inbox_duplicates + watch_duplicates,
         unseen = missing + unseen_edits + watch_unseen;
  for (const auto& name : acked.documents) lost_writes += stored_docs.count(name) == 0;
  for (const auto& name : acked.articles) lost_writes += stored_articles.count(name) == 0;
  for (const auto& code : acked.units) lost_writes += stored_units.count(code) == 0;
  for (const auto& name : stored_docs) {
    auto found = doc_events.find(name);
    if (found == doc_events.end())
      ++unseen;
    else
      duplicates += found->second.size() - 1;
  }
  for (const auto& name : stored_articles) {
    auto found = article_events.find(name);
    if (found == article_events.end())
      ++unseen;
    else
      duplicates += found->second.size() - 1;
  }
  size_t nonmonotonic = nonmonotonic_topic + watch_nonmonotonic;
  std::cout << "anomalies: lost writes " << lost_writes << ", duplicates " << duplicates << ", unseen events " << unseen
            << ", nonmonotonic order " << nonmonotonic << "\n";
  EXPECT_EQ(lost_writes + duplicates + unseen + nonmonotonic, 0u);
  std::cout << "checked: documents edited " << acked.edited.size() << "; Watch stream " << watched.size()
            << " notifications for " << inbox_cursors.size() << " in the inbox\n";
  std::cout << "checked: documents acknowledged " << acked.documents.size() << ", stored published "
            << stored_docs.size() << ", DocumentPublished events " << doc_events.size() << " (resent copies "
            << document_copies << ")\n"
            << "checked: articles acknowledged " << acked.articles.size() << ", stored published "
            << stored_articles.size() << ", ArticlePublished events " << article_events.size() << " (resent copies "
            << article_copies << ")\n"
            << "checked: scoring units acknowledged " << acked.units.size() << ", stored " << stored_units.size()
            << "\n"
            << "checked: TCCB inbox notifications " << notified << " for " << event_ids.size() << " events, duplicates "
            << inbox_duplicates << "; webhook deliveries for " << webhook.size() << " events, extra copies "
            << webhook_copies << "\n"
            << "checked: views acknowledged " << acked.views.load() << ", answer lost " << acked.uncertain_views.load()
            << ", counted " << counted.view_count() << "\n";
}

}  // namespace
}  // namespace cchc::testing