// The stores against a real PostgreSQL cluster: what they return, the domain errors they throw (kind and message,
// as the API shows them), and the inbox insert's version check and dedupe.
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "platform/domain_error.h"
#include "store/attempts.h"
#include "store/stores.h"
#include "support/store_suite.h"

namespace cchc::notification {
namespace {

class StoresTest : public testing::StoreSuite<StoresTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase("notification", Migrations(), {Statements()});
    watch_pool_ = new db::Pool(url_, "notification", 1, WatchStatements(), nullptr, db::Plans::kGeneric);
  }
  static void TearDownTestSuite() {
    delete watch_pool_;
    StoreSuite::TearDownTestSuite();
  }
  void SetUp() override { stores_ = std::make_unique<Stores>(*pool_, *watch_pool_); }

  // A subscriber with a webhook, subscribed to DocumentPublished on the inbox and the webhook.
  SubscriberSpec Subscribe(const std::string& id) {
    SubscriberSpec s;
    s.id = id;
    s.display_name = "Phòng Tổ chức cán bộ";
    s.unit = id;
    s.webhook_url = "https://hooks.example.vn/" + id;
    s.webhook_secret = "0123456789abcdef0123";
    stores_->subscribers.Create(s);
    stores_->subscriptions.Create(id, [](const SubscriberSpec&) {
      SubscriptionSpec sub;
      sub.event_type = "vn.gov.soctrang.cchc.document.DocumentPublished";
      sub.channels = {ChannelSpec{v1::INBOX, v1::IMMEDIATE, 0}, ChannelSpec{v1::WEBHOOK, v1::IMMEDIATE, 0}};
      return sub;
    });
    return s;
  }

  // Inserts one notification of event `event_id` for `subscriber` with a webhook delivery due now, at
  // `version` (the current one when 0).
  InsertedNotifications Insert(const std::string& subscriber, const std::string& event_id, int64_t version = 0) {
    return pool_->Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      if (version == 0) version = SubscriptionStore::Version(tx, false);
      NewNotification n{subscriber,
                        "/cchc/document",
                        event_id,
                        "vn.gov.soctrang.cchc.document.DocumentPublished",
                        "documents/1",
                        "Quyết định 57/QĐ-SGDĐT",
                        "https://sgddt.soctrang.gov.vn/documents/1",
                        "{}",
                        db::NowMicros()};
      NewDelivery d{subscriber, "/cchc/document", event_id, v1::WEBHOOK, db::NowMicros(), ""};
      auto inserted = InboxStore::Insert(tx, {n}, {d}, 3, "test-replica", version);
      tx.commit();
      return inserted;
    });
  }

  static db::Pool* watch_pool_;
  std::unique_ptr<Stores> stores_;
};
db::Pool* StoresTest::watch_pool_ = nullptr;

using testing::ExpectDomainError;

TEST_F(StoresTest, SubscribersRefuseTakenIdsAndReportMissingOnes) {
  auto s = Subscribe("TCCB");
  EXPECT_EQ(stores_->subscribers.Get("TCCB").display_name(), s.display_name);
  ExpectDomainError([&] { stores_->subscribers.Create(s); }, DomainErrorKind::kAlreadyExists,
                    "subscriber.id: subscribers/TCCB already exists");
  ExpectDomainError([&] { stores_->subscribers.Get("KHONG_CO"); }, DomainErrorKind::kNotFound,
                    "name: subscribers/KHONG_CO not found");
  EXPECT_FALSE(stores_->subscribers.Find("KHONG_CO"));
  ASSERT_EQ(stores_->subscriptions.List("TCCB").size(), 1u);
  auto matched = pool_->Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    return SubscriptionStore::OfType(tx, "vn.gov.soctrang.cchc.document.DocumentPublished");
  });
  ASSERT_EQ(matched.candidates.size(), 1u);
  EXPECT_EQ(matched.candidates[0].subscriber.webhook_url, s.webhook_url);
  EXPECT_EQ(matched.candidates[0].channels.size(), 2u);
}

TEST_F(StoresTest, InboxInsertsOnceAndOnlyAtTheMatchedVersion) {
  Subscribe("GDTrH");
  auto stale = Insert("GDTrH", "e-0", 1);  // every write since migration took a newer version
  EXPECT_FALSE(stale.subscriptions_current);
  EXPECT_FALSE(stale.rows[0]);

  auto first = Insert("GDTrH", "e-1");
  ASSERT_TRUE(first.rows[0]);
  EXPECT_EQ(first.heads_before.at("GDTrH"), 0);
  EXPECT_EQ(first.rows[0]->deliveries_size(), 1);
  EXPECT_EQ(first.rows[0]->title(), "Quyết định 57/QĐ-SGDĐT");
  EXPECT_FALSE(Insert("GDTrH", "e-1").rows[0]);  // the subscriber has that event already

  auto page = stores_->inbox.List(InboxQuery{"GDTrH", false, false, 20, std::nullopt});
  ASSERT_EQ(page.notifications.size(), 1u);
  EXPECT_EQ(page.unread, 1);
  EXPECT_EQ(stores_->inbox.After("GDTrH", 0, 10).size(), 1u);
  auto read = stores_->inbox.MarkRead("GDTrH", first.rows[0]->cursor());
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->read());
  EXPECT_FALSE(stores_->inbox.MarkRead("GDTrH", first.rows[0]->cursor() + 1000));

  // Newest first, page by page, the unread count beside every page (one prepared statement), an empty page too.
  ASSERT_TRUE(Insert("GDTrH", "e-2").rows[0]);
  ASSERT_TRUE(Insert("GDTrH", "e-3").rows[0]);
  auto p1 = stores_->inbox.List(InboxQuery{"GDTrH", false, false, 2, std::nullopt});
  ASSERT_EQ(p1.notifications.size(), 2u);
  EXPECT_GT(p1.notifications[0].cursor(), p1.notifications[1].cursor());
  EXPECT_EQ(p1.unread, 2);
  ASSERT_TRUE(p1.last);
  auto p2 = stores_->inbox.List(InboxQuery{"GDTrH", false, false, 2, p1.last});
  ASSERT_EQ(p2.notifications.size(), 1u);
  EXPECT_EQ(p2.notifications[0].cursor(), first.rows[0]->cursor());
  EXPECT_TRUE(p2.notifications[0].read());
  EXPECT_FALSE(p2.last);
  EXPECT_EQ(p2.unread, 2);
  auto past_the_end =
      stores_->inbox.List(InboxQuery{"GDTrH", false, false, 2, std::make_pair(0, first.rows[0]->cursor())});
  EXPECT_TRUE(past_the_end.notifications.empty());
  EXPECT_EQ(past_the_end.unread, 2);
  auto unread_first = stores_->inbox.List(InboxQuery{"GDTrH", true, false, 20, std::nullopt});
  ASSERT_EQ(unread_first.notifications.size(), 3u);
  EXPECT_EQ(unread_first.unread, 2);
  EXPECT_TRUE(unread_first.notifications[2].read());
}

TEST_F(StoresTest, InsertRecordingWritesTheDedupeRecordAndOnlyNewEventsRows) {
  Subscribe("TDKT");
  auto insert = [&] {
    return pool_->Run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      NewNotification n{"TDKT",
                        "/cchc/document",
                        "e-r",
                        "vn.gov.soctrang.cchc.document.DocumentPublished",
                        "documents/2",
                        "Công văn 12/SGDĐT-VP",
                        "https://sgddt.soctrang.gov.vn/documents/2",
                        "{}",
                        db::NowMicros()};
      DedupeRecord record{db::TextArrayLiteral({"/cchc/document"}), db::TextArrayLiteral({"e-r"}),
                          db::TextArrayLiteral({"vn.gov.soctrang.cchc.document.DocumentPublished"}),
                          db::TextArrayLiteral({"processed"})};
      return InboxStore::InsertRecording(tx, {n}, {}, 3, "test-replica", SubscriptionStore::Version(tx, false), record);
    });
  };
  auto first = insert();
  EXPECT_TRUE(first.subscriptions_current);
  EXPECT_EQ(first.recorded, (std::set<consumer::EventKey>{{"/cchc/document", "e-r"}}));
  ASSERT_TRUE(first.rows[0]);
  EXPECT_EQ(first.rows[0]->deliveries_size(), 0);
  auto again = insert();  // the event was processed: nothing recorded, nothing inserted
  EXPECT_TRUE(again.recorded.empty());
  EXPECT_FALSE(again.rows[0]);
}

TEST_F(StoresTest, DeliveriesClaimRecordAndRetryDeadLetters) {
  Subscribe("VP");
  auto inserted = Insert("VP", "e-2");
  ASSERT_TRUE(inserted.rows[0]);
  std::vector<DueDelivery> claimed;
  for (int i = 0; i < 50 && claimed.empty(); ++i) {  // due "now" by this process's clock
    for (auto& d : stores_->deliveries.ClaimDue(std::chrono::seconds(30), {}, 10))
      if (d.subscriber_id == "VP") claimed.push_back(std::move(d));
    if (claimed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(claimed[0].items.empty()) << "a claim reads no items; LoadItems does, for the admitted ones";
  // Handed back unattempted, it is claimable again at once, nothing spent; the first claim's token is void.
  stores_->deliveries.Unclaim(claimed);
  std::vector<DueDelivery> again;
  for (auto& c : stores_->deliveries.ClaimDue(std::chrono::seconds(30), {}, 10))
    if (c.subscriber_id == "VP") again.push_back(std::move(c));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, claimed[0].id);
  EXPECT_EQ(again[0].attempt_count, 0);
  EXPECT_NE(again[0].claim_token, claimed[0].claim_token);
  EXPECT_FALSE(stores_->deliveries.RecordOutcome(claimed[0], AttemptOutcome{"delivered", 200, "", 5, {}}, 3).recorded);
  // Its endpoint passed by, it is not claimed.
  stores_->deliveries.Unclaim(again);
  for (auto& c : stores_->deliveries.ClaimDue(std::chrono::seconds(30), {"webhook " + again[0].webhook_url}, 10))
    EXPECT_NE(c.subscriber_id, "VP");
  claimed.clear();
  for (auto& c : stores_->deliveries.ClaimDue(std::chrono::seconds(30), {}, 10))
    if (c.subscriber_id == "VP") claimed.push_back(std::move(c));
  ASSERT_EQ(claimed.size(), 1u);
  stores_->deliveries.LoadItems(claimed);
  const DueDelivery& d = claimed[0];
  ASSERT_EQ(d.items.size(), 1u);
  EXPECT_EQ(d.items[0].cursor(), inserted.rows[0]->cursor());
  EXPECT_TRUE(
      stores_->deliveries.RecordOutcome(d, AttemptOutcome{"dead_letter", 500, "lỗi máy chủ", 12, {}}, 3).recorded);
  EXPECT_FALSE(stores_->deliveries.RecordOutcome(d, AttemptOutcome{"delivered", 200, "", 5, {}}, 3).recorded);

  auto stored = stores_->deliveries.Get(d.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state(), v1::DEAD_LETTER);
  ASSERT_EQ(stored->attempts_size(), 1);
  EXPECT_EQ(stored->attempts(0).error(), "lỗi máy chủ");
  std::vector<std::pair<int64_t, std::string>> keys;
  auto dead = stores_->deliveries.ListDeadLetters(std::nullopt, 10, &keys);
  ASSERT_FALSE(dead.empty());
  EXPECT_EQ(keys.size(), dead.size());

  EXPECT_EQ(stores_->deliveries.RetryDeadLetter(d.id, 2).state(), v1::PENDING);
  ExpectDomainError([&] { stores_->deliveries.RetryDeadLetter(d.id, 2); }, DomainErrorKind::kFailedPrecondition,
                    "name: deliveries/" + d.id + " is not a dead letter");
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  ExpectDomainError([&] { stores_->deliveries.RetryDeadLetter(missing, 2); }, DomainErrorKind::kNotFound,
                    "name: deliveries/" + missing + " not found");
}

TEST_F(StoresTest, AttemptLogKeepsTheLast50AndNoBodyOver4096Bytes) {
  Subscribe("ATTEMPTLOG");
  ASSERT_TRUE(Insert("ATTEMPTLOG", "e-log").rows[0]);
  std::string id = pool_->Run([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT id::text FROM deliveries WHERE subscriber_id = 'ATTEMPTLOG'")[0][0].as<std::string>();
  });
  auto append = [&](int number, const std::string& body) {
    pool_->Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      AppendAttempt(tx, {id, v1::WEBHOOK, "retry", 503, "HTTP 503", 7, number, body, false});
      tx.commit();
    });
  };
  for (int i = 1; i <= kAttemptsKept + 5; ++i) append(i, std::string(static_cast<size_t>(i), 'x'));
  append(kAttemptsKept + 6, std::string(4096, 'y'));
  EXPECT_THROW(append(kAttemptsKept + 7, std::string(4097, 'z')), std::exception) << "the column refuses more";
  auto stored = stores_->deliveries.Get(id);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->attempts_size(), kAttemptsKept);
  EXPECT_EQ(stored->attempts(0).attempt_number(), 7) << "the oldest six went";
  EXPECT_EQ(stored->attempts(0).response_body(), std::string(7, 'x'));
  EXPECT_EQ(stored->attempts(kAttemptsKept - 1).attempt_number(), kAttemptsKept + 6);
  EXPECT_EQ(stored->attempts(kAttemptsKept - 1).response_body().size(), 4096u);
}

TEST_F(StoresTest, ResendLeavesALeasedDeliveryToItsAttemptAndRequeuesAFinishedOne) {
  Subscribe("RESEND");
  ASSERT_TRUE(Insert("RESEND", "e-resend").rows[0]);
  std::vector<DueDelivery> claimed;
  for (int i = 0; i < 50 && claimed.empty(); ++i) {
    for (auto& d : stores_->deliveries.ClaimDue(std::chrono::seconds(30), {}, 10))
      if (d.subscriber_id == "RESEND") claimed.push_back(std::move(d));
    if (claimed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(claimed.size(), 1u);
  // Mid-attempt: a resend changes nothing the attempt relies on, and its outcome is still recorded.
  EXPECT_EQ(stores_->recovery.Resend(claimed[0].id, 3).state(), v1::PENDING);
  ASSERT_TRUE(
      stores_->deliveries.RecordOutcome(claimed[0], AttemptOutcome{"delivered", 200, "", 4, {}, "đã nhận", false}, 3)
          .recorded);
  EXPECT_EQ(stores_->deliveries.Get(claimed[0].id)->attempts(0).response_body(), "đã nhận");
  // Delivered: queued again, due now, with attempts left; claimable at once.
  auto resent = stores_->recovery.Resend(claimed[0].id, 3);
  EXPECT_EQ(resent.state(), v1::PENDING);
  EXPECT_EQ(resent.attempt_count(), 1);
  std::vector<DueDelivery> again;
  for (auto& d : stores_->deliveries.ClaimDue(std::chrono::seconds(30), {}, 10))
    if (d.subscriber_id == "RESEND") again.push_back(std::move(d));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, claimed[0].id);
  EXPECT_GE(again[0].attempt_budget - again[0].attempt_count, 3);
  EXPECT_EQ(again[0].lost_claims, 0);
  const std::string missing = "00000000-0000-4000-8000-000000000000";
  ExpectDomainError([&] { stores_->recovery.Resend(missing, 3); }, DomainErrorKind::kNotFound,
                    "name: deliveries/" + missing + " not found");
}

TEST_F(StoresTest, AClaimCountsTheEarlierClaimsLostMidAttemptAndARetryForgetsThem) {
  Subscribe("LOST");
  ASSERT_TRUE(Insert("LOST", "e-lost").rows[0]);
  auto claim = [&](std::chrono::milliseconds lease) {
    for (int i = 0; i < 100; ++i) {  // due "now" by this process's clock; a passed lease by the server's
      for (auto& d : stores_->deliveries.ClaimDue(lease, {}, 10))
        if (d.subscriber_id == "LOST") return d;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "not claimed";
    return DueDelivery{};
  };
  DueDelivery d = claim(std::chrono::milliseconds(1));
  EXPECT_EQ(d.lost_claims, 0);
  // Handed back unattempted: not a lost claim.
  stores_->deliveries.Unclaim({d});
  d = claim(std::chrono::milliseconds(1));
  EXPECT_EQ(d.lost_claims, 0);
  // Two leases pass with no outcome recorded (a worker killed mid-attempt, twice).
  d = claim(std::chrono::milliseconds(1));
  EXPECT_EQ(d.lost_claims, 1);
  d = claim(std::chrono::seconds(30));
  EXPECT_EQ(d.lost_claims, 2);
  // A recorded attempt is no lost claim; a dead letter retried starts afresh.
  ASSERT_TRUE(stores_->deliveries.RecordOutcome(d, AttemptOutcome{"dead_letter", 0, "given up", 1, {}}, 3).recorded);
  stores_->deliveries.RetryDeadLetter(d.id, 2);
  EXPECT_EQ(claim(std::chrono::seconds(30)).lost_claims, 0);
}

TEST_F(StoresTest, DigestItemsGoToOnePendingDigestADay) {
  Subscribe("KT");
  auto inserted = Insert("KT", "e-3");
  ASSERT_TRUE(inserted.rows[0]);
  const auto day = std::chrono::year_month_day(std::chrono::year(2030), std::chrono::month(1), std::chrono::day(15));
  auto attach = [&] {
    return pool_->Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      auto iso = AttachToDigest(tx, "KT", {inserted.rows[0]->cursor()}, v1::WEBHOOK, day, 17 * 60, SendWindows{}, 3);
      tx.commit();
      return iso;
    });
  };
  EXPECT_EQ(attach(), "2030-01-15");
  EXPECT_EQ(attach(), "2030-01-15");
  EXPECT_EQ(pg_->Sql("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'KT' AND digest_day IS NOT "
                     "NULL"),
            "1\n");
  EXPECT_EQ(pg_->Sql("SELECT count(*) FROM notification.digest_items i JOIN notification.deliveries d ON d.id = "
                     "i.delivery_id WHERE d.subscriber_id = 'KT'"),
            "1\n");
}

}  // namespace
}  // namespace cchc::notification
