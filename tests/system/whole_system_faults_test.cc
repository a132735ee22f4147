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
//
// This file holds the scenario and its phases up to the checks; the workload is in
// whole_system_faults_workload.*, the checks in whole_system_faults_verify.cc, the anomaly counting in
// whole_system_faults_checks.*.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>

#include "system/whole_system_faults_fixture.h"

namespace cchc::testing {

TEST_F(WholeSystemFaultsTest, NothingLostNothingTwice) {
  ASSERT_NO_FATAL_FAILURE(SubscribeTccbToCchcDocuments());
  ASSERT_NO_FATAL_FAILURE(PublishArticleWhoseViewsAreCounted());
  StartWriters();
  WatchTccbInbox();
  LetWritersRun();
  KillEachServiceInTurn();
  TakeBrokersDownLongerThanMessageTimeout();
  RestartPostgres();
  ASSERT_NO_FATAL_FAILURE(StopWriters());

  CheckAcknowledgedWritesStored();
  WaitForOutboxesToDrain();
  ReadDocumentAndNewsTopics();
  CheckOneEventPerStoredChange();
  CheckOneNotificationPerEvent();
  CheckWebhookDeliveredEachEvent();
  ASSERT_NO_FATAL_FAILURE(CheckViewsCounted());
  CheckEditsStoredAndAnnouncedInOrder();
  CheckWatchStreamSawEachOnce();
  CheckNothingLostNothingTwice();
}

namespace {

void Pause(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

void WholeSystemFaultsTest::TearDown() {
  stop_writers_ = true;
  for (auto& t : writers_)
    if (t.joinable()) t.join();
}

// The subscriber: the Sở's TCCB office, inbox and webhook, new CCHC documents.
void WholeSystemFaultsTest::SubscribeTccbToCchcDocuments() {
  SystemStack& s = *stack_;
  auto req = s.TccbSubscriber(true);
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

void WholeSystemFaultsTest::PublishArticleWhoseViewsAreCounted() {
  SystemStack& s = *stack_;
  nv1::CreateArticleRequest req;
  req.mutable_article()->set_title("Bài đếm lượt xem khi có sự cố");
  req.mutable_article()->set_category("Cải cách hành chính");
  req.mutable_article()->set_body("Nội dung");
  nv1::Article draft;
  ASSERT_TRUE(s.News().CreateArticle(s.Context(Tokens::kEditor).get(), req, &draft).ok());
  nv1::PublishArticleRequest publish;
  publish.set_name(draft.name());
  nv1::Article viewed;
  ASSERT_TRUE(s.News().PublishArticle(s.Context(Tokens::kEditor).get(), publish, &viewed).ok());
  viewed_ = viewed.name();
}

// Documents, articles, two view counters, scoring units: each a thread writing until StopWriters.
void WholeSystemFaultsTest::StartWriters() {
  writers_.emplace_back([this] { WriteDocuments(*stack_, stop_writers_, acked_); });
  writers_.emplace_back([this] { WriteArticles(*stack_, stop_writers_, acked_); });
  for (int w = 0; w < 2; ++w) writers_.emplace_back([this] { RecordViews(*stack_, stop_writers_, viewed_, acked_); });
  writers_.emplace_back([this] { WriteUnits(*stack_, stop_writers_, acked_); });
}

void WholeSystemFaultsTest::WatchTccbInbox() {
  watcher_.Start(*stack_, "subscribers/TCCB", Tokens::kTccbInbox);
}

void WholeSystemFaultsTest::LetWritersRun() {
  Pause(2000);
}

void WholeSystemFaultsTest::KillEachServiceInTurn() {
  SystemStack& s = *stack_;
  for (Service service : kAllServices) {
    std::cout << "SIGKILL " << ServiceName(service) << "-service, then restart\n";
    s.Kill(service, SIGKILL);
    Pause(500);
    s.Start(service);
    Pause(1500);
  }
}

// Longer than the producers' message.timeout.ms (10 s in the stack): the relays' messages time out and are
// sent again, as in a real Kafka outage.
void WholeSystemFaultsTest::TakeBrokersDownLongerThanMessageTimeout() {
  SystemStack& s = *stack_;
  std::cout << "broker: every broker down for 12 s\n";
  s.Kafka().Control("down all");
  Pause(12000);
  s.Kafka().Control("up all");
  Pause(2000);
}

void WholeSystemFaultsTest::RestartPostgres() {
  SystemStack& s = *stack_;
  std::cout << "PostgreSQL: stop, 2 s, start\n";
  s.Pg().Stop();
  Pause(2000);
  s.Pg().Start();
  Pause(4000);
}

void WholeSystemFaultsTest::StopWriters() {
  stop_writers_ = true;
  for (auto& t : writers_) t.join();
  ASSERT_FALSE(acked_.documents.empty());
  ASSERT_FALSE(acked_.articles.empty());
  ASSERT_FALSE(acked_.units.empty());
}

}  // namespace cchc::testing
