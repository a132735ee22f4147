// Managing subscribers and subscriptions after creation, on real PostgreSQL and the embedded broker: an
// update changes what later events produce (a moved webhook with a new secret, new channels, a new filter),
// a delete stops notifications for that subscriber and takes its inbox and pending deliveries with it, a
// bad update mask or value is refused with the field named and nothing written, and a subscription being
// created or updated and a subscriber update removing the address it needs wait for each other (row locks
// held from the test's own connection make the interleavings happen).
#include <fstream>
#include <future>
#include <pqxx/pqxx>

#include "support/process.h"
#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

bool Processed(const std::string& event_id) {
  return NotificationTest::Count("SELECT count(*) FROM notification.processed_events WHERE event_id = '" + event_id +
                                 "'") == 1;
}

std::string SubscriberRow(const std::string& id) {
  return NotificationTest::Sql("SELECT s::text FROM notification.subscribers s WHERE id = '" + id + "'");
}

std::string SubscriptionRows(const std::string& id) {
  return NotificationTest::Sql(
      "SELECT string_agg(s::text, ';' ORDER BY s.id) FROM notification.subscriptions s WHERE subscriber_id = '" + id +
      "'");
}

grpc::Status UpdateSubscriber(const std::string& token, const nv1::Subscriber& s, std::vector<std::string> paths,
                              nv1::Subscriber* out) {
  nv1::UpdateSubscriberRequest req;
  *req.mutable_subscriber() = s;
  for (auto& p : paths) req.mutable_update_mask()->add_paths(p);
  return NotificationTest::Stub().UpdateSubscriber(NotificationTest::Context(token).get(), req, out);
}

grpc::Status UpdateSubscription(const nv1::Subscription& s, std::vector<std::string> paths, nv1::Subscription* out) {
  nv1::UpdateSubscriptionRequest req;
  *req.mutable_subscription() = s;
  for (auto& p : paths) req.mutable_update_mask()->add_paths(p);
  return NotificationTest::Stub().UpdateSubscription(NotificationTest::Context(NotificationTest::kAdmin).get(), req,
                                                     out);
}

nv1::Subscription OnlySubscription(const std::string& id) {
  nv1::ListSubscriptionsRequest req;
  req.set_parent("subscribers/" + id);
  nv1::ListSubscriptionsResponse out;
  EXPECT_TRUE(NotificationTest::Stub()
                  .ListSubscriptions(NotificationTest::Context(NotificationTest::kAdmin).get(), req, &out)
                  .ok());
  EXPECT_EQ(out.subscriptions_size(), 1);
  return out.subscriptions_size() ? out.subscriptions(0) : nv1::Subscription();
}

// The message names `field` first.
::testing::AssertionResult Names(const grpc::Status& s, grpc::StatusCode code, const std::string& field) {
  if (s.error_code() != code || s.error_message().rfind(field + ":", 0) != 0)
    return ::testing::AssertionFailure() << "code " << s.error_code() << ": " << s.error_message();
  return ::testing::AssertionSuccess();
}

// A transaction of the test's own on the service's database, holding its locks until it commits or is
// dropped (rolled back).
struct HeldTransaction {
  pqxx::connection connection{NotificationTest::url_};
  pqxx::work tx{connection};
  int pid = connection.backendpid();
};

// How many sessions wait for a lock that session `pid` holds.
int64_t WaitingFor(int pid) {
  return NotificationTest::Count("SELECT count(*) FROM pg_stat_activity WHERE " + std::to_string(pid) +
                                 " = ANY(pg_blocking_pids(pid))");
}

// The session waiting for a lock of `pid` (0 when none).
int WaiterOf(int pid) {
  return static_cast<int>(NotificationTest::Count("SELECT COALESCE(min(pid), 0) FROM pg_stat_activity WHERE " +
                                                  std::to_string(pid) + " = ANY(pg_blocking_pids(pid))"));
}

// CreateSubscription of every DocumentPublished to the inbox and `channel` (immediate), from another thread.
std::future<grpc::Status> CreateSubscriptionAsync(const std::string& id, nv1::Channel channel) {
  return std::async(std::launch::async, [id, channel] {
    nv1::CreateSubscriptionRequest req;
    req.set_parent("subscribers/" + id);
    req.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
    req.mutable_subscription()->add_channels()->set_channel(nv1::INBOX);
    req.mutable_subscription()->add_channels()->set_channel(channel);
    nv1::Subscription out;
    return NotificationTest::Stub().CreateSubscription(NotificationTest::Context(NotificationTest::kAdmin).get(), req,
                                                       &out);
  });
}

constexpr auto kStillWaiting = std::chrono::milliseconds(300);

class NotificationManageTest : public NotificationTest {};

TEST_F(NotificationManageTest, UpdatedWebhookUrlAndSecretReachLaterEvents) {
  CreateSubscriber("MOVE", "SGDĐT-TCCB", "/move-old");
  SubscribeToCchcDocuments("MOVE", {nv1::INBOX, nv1::WEBHOOK});
  ProduceDocumentPublished("a1a1a1a1-0000-4000-8000-000000000001", "101/QĐ-SGDĐT");
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/move-old").size() == 1; }, std::chrono::seconds(20)));

  nv1::Subscriber change;
  change.set_name("subscribers/MOVE");
  change.set_webhook_url("http://127.0.0.1:" + std::to_string(webhook_port_) + "/move-new");
  const std::string secret = Secret("MOVE-NEW");
  change.set_webhook_secret(secret);
  nv1::Subscriber out;
  auto s = UpdateSubscriber(kAdmin, change, {"webhook_url", "webhook_secret"}, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.webhook_url(), change.webhook_url());
  EXPECT_TRUE(out.has_webhook_secret());
  EXPECT_EQ(out.webhook_secret(), "");                                     // never returned
  EXPECT_EQ(out.display_name(), "Phòng Tổ chức cán bộ, Sở GD&ĐT (MOVE)");  // not in the mask: kept

  ProduceDocumentPublished("a1a1a1a1-0000-4000-8000-000000000002", "102/QĐ-SGDĐT");
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/move-new").size() == 1; }, std::chrono::seconds(20)));
  auto post = WebhookPosts("/move-new")[0];
  EXPECT_EQ(post["signature"], StandardSignature(secret, post));
  EXPECT_NE(post["signature"], StandardSignature(Secret("MOVE"), post));
  EXPECT_EQ(nlohmann::json::parse(std::string(post["body"]))["data"]["id"], "a1a1a1a1-0000-4000-8000-000000000002");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(WebhookPosts("/move-old").size(), 1u);
  EXPECT_EQ(WebhookPosts("/move-new").size(), 1u);
}

TEST_F(NotificationManageTest, BadSubscriberUpdatesNameTheFieldAndChangeNothing) {
  CreateSubscriber("STEADY", "SGDĐT-TCCB", "/steady");
  SubscribeToCchcDocuments("STEADY", {nv1::WEBHOOK});
  const std::string before = SubscriberRow("STEADY");
  ASSERT_FALSE(before.empty());
  nv1::Subscriber change;
  change.set_name("subscribers/STEADY");
  change.set_display_name("Văn phòng Sở");
  nv1::Subscriber out;
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {"display_name", "colour"}, &out), grpc::INVALID_ARGUMENT,
                    "update_mask.paths[1]"));
  EXPECT_TRUE(
      Names(UpdateSubscriber(kAdmin, change, {"create_time"}, &out), grpc::INVALID_ARGUMENT, "update_mask.paths[0]"));
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {"id"}, &out), grpc::INVALID_ARGUMENT, "update_mask.paths[0]"));
  change.set_display_name(std::string(201, 'x'));
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {"display_name"}, &out), grpc::INVALID_ARGUMENT,
                    "subscriber.display_name"));
  change.set_display_name("Văn phòng Sở");
  change.set_webhook_secret("short");
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {"webhook_secret"}, &out), grpc::INVALID_ARGUMENT,
                    "subscriber.webhook_secret"));
  // An empty mask replaces every updatable field: without a unit that is refused.
  change.clear_webhook_secret();
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {}, &out), grpc::INVALID_ARGUMENT, "subscriber.unit"));
  // The webhook a subscription delivers to cannot go.
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {"webhook_url"}, &out), grpc::FAILED_PRECONDITION,
                    "subscriber.webhook_url"));
  EXPECT_EQ(UpdateSubscriber(kTccb, change, {"display_name"}, &out).error_code(), grpc::PERMISSION_DENIED);
  change.set_name("subscribers/NOBODY");
  EXPECT_TRUE(Names(UpdateSubscriber(kAdmin, change, {"display_name"}, &out), grpc::NOT_FOUND, "subscriber.name"));
  change.set_name("subscribers/a b");
  EXPECT_TRUE(
      Names(UpdateSubscriber(kAdmin, change, {"display_name"}, &out), grpc::INVALID_ARGUMENT, "subscriber.name"));
  EXPECT_EQ(SubscriberRow("STEADY"), before);
  // A good one still works afterwards.
  change.set_name("subscribers/STEADY");
  ASSERT_TRUE(UpdateSubscriber(kAdmin, change, {"display_name"}, &out).ok());
  EXPECT_EQ(out.display_name(), "Văn phòng Sở");
}

TEST_F(NotificationManageTest, ASubscriptionMadeAfterTheConsumerReadTheSubscriptionsHearsOfTheNextEvent) {
  // The consumer keeps the subscriptions it read while their version is current. An event nobody wants
  // (nothing to insert, so the version is checked by a read of its own), then a new subscription for it,
  // then the same kind of event: the new subscription hears of it.
  const std::string field = "Kiểm định chất lượng giáo dục";
  ProduceDocumentPublished("d4d4d4d4-0000-4000-8000-000000000001", "301/KH-SGDĐT", field);
  ASSERT_TRUE(WaitFor([] { return Processed("d4d4d4d4-0000-4000-8000-000000000001"); }, std::chrono::seconds(20)));
  CreateSubscriber("LATECOMER", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("LATECOMER", {nv1::INBOX}, field);
  ProduceDocumentPublished("d4d4d4d4-0000-4000-8000-000000000002", "302/KH-SGDĐT", field);
  auto got = Watch(kTccb, "LATECOMER", 0, 1, std::chrono::seconds(20));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].event_id(), "d4d4d4d4-0000-4000-8000-000000000002");
}

TEST_F(NotificationManageTest, UpdatedChannelsAndFilterDecideLaterEvents) {
  CreateSubscriber("RECHANNEL", "SGDĐT-TCCB", "/rechannel");
  SubscribeToCchcDocuments("RECHANNEL", {nv1::INBOX});
  ProduceDocumentPublished("b2b2b2b2-0000-4000-8000-000000000001", "201/QĐ-SGDĐT");
  ASSERT_EQ(Watch(kTccb, "RECHANNEL", 0, 1, std::chrono::seconds(20)).size(), 1u);

  auto sub = OnlySubscription("RECHANNEL");
  nv1::Subscription change;
  change.set_name(sub.name());
  change.add_channels()->set_channel(nv1::INBOX);
  change.add_channels()->set_channel(nv1::WEBHOOK);
  nv1::Subscription out;
  auto s = UpdateSubscription(change, {"channels"}, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(out.channels_size(), 2);
  EXPECT_EQ(out.event_type(), "cchc.document.v1.DocumentPublished");
  EXPECT_EQ(out.filter().SerializeAsString(), sub.filter().SerializeAsString());  // not in the mask: kept
  EXPECT_EQ(out.create_time().seconds(), sub.create_time().seconds());

  ProduceDocumentPublished("b2b2b2b2-0000-4000-8000-000000000002", "202/QĐ-SGDĐT");
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/rechannel").size() == 1; }, std::chrono::seconds(20)));
  EXPECT_EQ(nlohmann::json::parse(std::string(WebhookPosts("/rechannel")[0]["body"]))["data"]["id"],
            "b2b2b2b2-0000-4000-8000-000000000002");

  // A new filter: the old field no longer matches, the new one does.
  change.clear_channels();
  change.mutable_filter()->add_fields("Thi đua, khen thưởng");
  s = UpdateSubscription(change, {"filter"}, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.channels_size(), 2);
  ProduceDocumentPublished("b2b2b2b2-0000-4000-8000-000000000003", "203/QĐ-SGDĐT");
  ProduceDocumentPublished("b2b2b2b2-0000-4000-8000-000000000004", "204/QĐ-SGDĐT", "Thi đua, khen thưởng");
  auto later = Watch(kTccb, "RECHANNEL", 0, 3, std::chrono::seconds(20));
  ASSERT_EQ(later.size(), 3u);
  EXPECT_EQ(later[2].event_id(), "b2b2b2b2-0000-4000-8000-000000000004");
  ASSERT_TRUE(WaitFor([] { return Processed("b2b2b2b2-0000-4000-8000-000000000003"); }, std::chrono::seconds(20)));
  EXPECT_EQ(
      NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'RECHANNEL'"), 3);
}

TEST_F(NotificationManageTest, BadSubscriptionUpdatesNameTheFieldAndChangeNothing) {
  CreateSubscriber("FIXED", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("FIXED", {nv1::INBOX});
  auto sub = OnlySubscription("FIXED");
  const std::string before = SubscriptionRows("FIXED");
  nv1::Subscription change;
  change.set_name(sub.name());
  change.add_channels()->set_channel(nv1::INBOX);
  nv1::Subscription out;
  EXPECT_TRUE(Names(UpdateSubscription(change, {"event_type"}, &out), grpc::INVALID_ARGUMENT, "update_mask.paths[0]"));
  EXPECT_TRUE(
      Names(UpdateSubscription(change, {"channels", "quiet"}, &out), grpc::INVALID_ARGUMENT, "update_mask.paths[1]"));
  change.set_event_type("cchc.news.v1.ArticlePublished");
  EXPECT_TRUE(Names(UpdateSubscription(change, {}, &out), grpc::INVALID_ARGUMENT, "subscription.event_type"));
  change.clear_event_type();
  change.mutable_filter()->add_categories("Cải cách hành chính");
  EXPECT_TRUE(
      Names(UpdateSubscription(change, {"filter"}, &out), grpc::INVALID_ARGUMENT, "subscription.filter.categories"));
  change.clear_filter();
  change.add_channels()->set_channel(nv1::EMAIL);  // FIXED has no e-mail address
  EXPECT_TRUE(Names(UpdateSubscription(change, {"channels"}, &out), grpc::INVALID_ARGUMENT,
                    "subscription.channels[1].channel"));
  change.clear_channels();
  for (int i = 0; i < 51; ++i) change.mutable_filter()->add_fields("Lĩnh vực " + std::to_string(i));
  EXPECT_TRUE(
      Names(UpdateSubscription(change, {"filter"}, &out), grpc::INVALID_ARGUMENT, "subscription.filter.fields"));
  change.set_name("subscribers/FIXED/subscriptions/00000000-0000-4000-8000-000000000000");
  change.clear_filter();
  change.add_channels()->set_channel(nv1::INBOX);
  EXPECT_TRUE(Names(UpdateSubscription(change, {"channels"}, &out), grpc::NOT_FOUND, "subscription.name"));
  change.set_name("subscribers/FIXED");
  EXPECT_TRUE(Names(UpdateSubscription(change, {"channels"}, &out), grpc::INVALID_ARGUMENT, "subscription.name"));
  EXPECT_EQ(SubscriptionRows("FIXED"), before);
}

// A create arriving while an UpdateSubscriber holds the subscriber (here the test's transaction, between the
// update's FOR NO KEY UPDATE and its commit) waits for it and checks the address against what it committed:
// the webhook is gone, so the create is refused as it would be after the update, and writes nothing. (Checked
// against the subscriber as read before the update, it would leave a webhook subscription without a URL.)
TEST_F(NotificationManageTest, CreateSubscriptionWaitsForASubscriberUpdateAndChecksWhatItCommitted) {
  CreateSubscriber("RACEHOOK", "SGDĐT-TCCB", "/racehook");
  std::future<grpc::Status> create;
  HeldTransaction update;
  update.tx.exec("SELECT id FROM notification.subscribers WHERE id = 'RACEHOOK' FOR NO KEY UPDATE");
  create = CreateSubscriptionAsync("RACEHOOK", nv1::WEBHOOK);
  ASSERT_TRUE(WaitFor([&] { return WaitingFor(update.pid) == 1; }, std::chrono::seconds(10)))
      << "the create did not wait for the subscriber's lock";
  EXPECT_EQ(create.wait_for(kStillWaiting), std::future_status::timeout) << "the create did not wait for the update";
  update.tx.exec("UPDATE notification.subscribers SET webhook_url = '', webhook_secret = '' WHERE id = 'RACEHOOK'");
  update.tx.commit();
  EXPECT_TRUE(Names(create.get(), grpc::INVALID_ARGUMENT, "subscription.channels[1].channel"));
  EXPECT_EQ(SubscriptionRows("RACEHOOK"), "");
  // The same answer as a create after the update.
  EXPECT_TRUE(Names(CreateSubscriptionAsync("RACEHOOK", nv1::WEBHOOK).get(), grpc::INVALID_ARGUMENT,
                    "subscription.channels[1].channel"));
  EXPECT_EQ(SubscriptionRows("RACEHOOK"), "");
}

// The mirror: a create that has checked the e-mail address keeps the subscriber locked until its insert
// commits (the test holds it between the two with a table lock on subscriptions), so an UpdateSubscriber
// removing that address waits, then sees the new subscription and refuses with FAILED_PRECONDITION.
TEST_F(NotificationManageTest, SubscriberUpdateWaitsForASubscriptionBeingCreatedAndKeepsItsAddress) {
  CreateSubscriber("RACEMAIL", "SGDĐT-TCCB", "", "racemail@sgddt.soctrang.gov.vn");
  const std::string before = SubscriberRow("RACEMAIL");
  std::future<grpc::Status> create, update;
  HeldTransaction inserts;
  inserts.tx.exec("LOCK TABLE notification.subscriptions IN SHARE MODE");
  create = CreateSubscriptionAsync("RACEMAIL", nv1::EMAIL);
  ASSERT_TRUE(WaitFor([&] { return WaiterOf(inserts.pid) != 0; }, std::chrono::seconds(10)))
      << "the create did not reach its insert";
  const int creating = WaiterOf(inserts.pid);
  update = std::async(std::launch::async, [] {
    nv1::Subscriber change;
    change.set_name("subscribers/RACEMAIL");
    nv1::Subscriber out;
    return UpdateSubscriber(NotificationTest::kAdmin, change, {"email"}, &out);
  });
  ASSERT_TRUE(WaitFor([&] { return WaitingFor(creating) == 1; }, std::chrono::seconds(10)))
      << "the update did not wait for the create's lock on the subscriber";
  EXPECT_EQ(update.wait_for(kStillWaiting), std::future_status::timeout) << "the update did not wait for the create";
  inserts.tx.abort();
  auto created = create.get();
  ASSERT_TRUE(created.ok()) << created.error_message();
  EXPECT_TRUE(Names(update.get(), grpc::FAILED_PRECONDITION, "subscriber.email"));
  EXPECT_EQ(SubscriberRow("RACEMAIL"), before);
  auto sub = OnlySubscription("RACEMAIL");
  ASSERT_EQ(sub.channels_size(), 2);
  EXPECT_EQ(sub.channels(1).channel(), nv1::EMAIL);
}

// UpdateSubscription adding an e-mail channel while an UpdateSubscriber removing the address holds the
// subscriber: it waits, checks against the committed subscriber and changes nothing.
TEST_F(NotificationManageTest, SubscriptionUpdateWaitsForASubscriberUpdateAndChecksWhatItCommitted) {
  CreateSubscriber("RACECHANNEL", "SGDĐT-TCCB", "", "racechannel@sgddt.soctrang.gov.vn");
  SubscribeToCchcDocuments("RACECHANNEL", {nv1::INBOX});
  auto sub = OnlySubscription("RACECHANNEL");
  const std::string before = SubscriptionRows("RACECHANNEL");
  std::future<grpc::Status> change;
  HeldTransaction update;
  update.tx.exec("SELECT id FROM notification.subscribers WHERE id = 'RACECHANNEL' FOR NO KEY UPDATE");
  change = std::async(std::launch::async, [name = sub.name()] {
    nv1::Subscription s;
    s.set_name(name);
    s.add_channels()->set_channel(nv1::INBOX);
    s.add_channels()->set_channel(nv1::EMAIL);
    nv1::Subscription out;
    return UpdateSubscription(s, {"channels"}, &out);
  });
  ASSERT_TRUE(WaitFor([&] { return WaitingFor(update.pid) == 1; }, std::chrono::seconds(10)))
      << "the subscription update did not wait for the subscriber's lock";
  EXPECT_EQ(change.wait_for(kStillWaiting), std::future_status::timeout);
  update.tx.exec("UPDATE notification.subscribers SET email = '' WHERE id = 'RACECHANNEL'");
  update.tx.commit();
  EXPECT_TRUE(Names(change.get(), grpc::INVALID_ARGUMENT, "subscription.channels[1].channel"));
  EXPECT_EQ(SubscriptionRows("RACECHANNEL"), before);
}

TEST_F(NotificationManageTest, DeletedSubscriberGetsNothingMoreAndItsInboxIsGone) {
  CreateSubscriber("GONE", "SGDĐT-TCCB", "/gone");
  CreateSubscriber("STAYS", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("STAYS", {nv1::INBOX});
  ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest("GONE", nv1::WEBHOOK, "23:59"));
  ProduceDocumentPublished("c3c3c3c3-0000-4000-8000-000000000001", "301/QĐ-SGDĐT");
  ASSERT_EQ(Watch(kTccb, "GONE", 0, 1, std::chrono::seconds(20)).size(), 1u);
  ASSERT_EQ(Watch(kTccb, "STAYS", 0, 1, std::chrono::seconds(20)).size(), 1u);
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'GONE' AND state = 1"),
            1);

  nv1::DeleteSubscriberRequest del;
  del.set_name("subscribers/GONE");
  google::protobuf::Empty empty;
  EXPECT_EQ(Stub().DeleteSubscriber(Context(kTccb).get(), del, &empty).error_code(), grpc::PERMISSION_DENIED);
  auto s = Stub().DeleteSubscriber(Context(kAdmin).get(), del, &empty);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const char* table : {"subscribers WHERE id", "subscriptions WHERE subscriber_id",
                            "notifications WHERE subscriber_id", "deliveries WHERE subscriber_id"})
    EXPECT_EQ(NotificationTest::Count(std::string("SELECT count(*) FROM notification.") + table + " = 'GONE'"), 0)
        << table;
  nv1::GetSubscriberRequest get;
  get.set_name("subscribers/GONE");
  nv1::Subscriber gone;
  EXPECT_EQ(Stub().GetSubscriber(Context(kAdmin).get(), get, &gone).error_code(), grpc::NOT_FOUND);
  nv1::ListNotificationsRequest list;
  list.set_parent("subscribers/GONE");
  nv1::ListNotificationsResponse inbox;
  EXPECT_EQ(Stub().ListNotifications(Context(kTccb).get(), list, &inbox).error_code(), grpc::NOT_FOUND);

  // Later events reach the others only; the pending digest went with the subscriber.
  ProduceDocumentPublished("c3c3c3c3-0000-4000-8000-000000000002", "302/QĐ-SGDĐT");
  ASSERT_EQ(Watch(kTccb, "STAYS", 0, 2, std::chrono::seconds(20)).size(), 2u);
  ASSERT_TRUE(WaitFor([] { return Processed("c3c3c3c3-0000-4000-8000-000000000002"); }, std::chrono::seconds(10)));
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'GONE'"), 0);
  Sql("UPDATE notification.deliveries SET due_at = now() WHERE state = 1 AND digest_day IS NOT NULL");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(WebhookPosts("/gone").empty());

  // Gone is gone; a bad name is refused; the id may be used again, with an empty inbox.
  EXPECT_TRUE(Names(Stub().DeleteSubscriber(Context(kAdmin).get(), del, &empty), grpc::NOT_FOUND, "name"));
  del.set_name("subscribers/");
  EXPECT_TRUE(Names(Stub().DeleteSubscriber(Context(kAdmin).get(), del, &empty), grpc::INVALID_ARGUMENT, "name"));
  CreateSubscriber("GONE", "SGDĐT-TCCB", "");
  ASSERT_TRUE(Stub().ListNotifications(Context(kTccb).get(), list, &inbox).ok());
  EXPECT_EQ(inbox.notifications_size(), 0);
}

TEST_F(NotificationManageTest, CchcctlUpdatesAndDeletes) {
  CreateSubscriber("CLI", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("CLI", {nv1::INBOX});
  auto cchcctl = [](const std::string& args) {
    return Shell("CCHC_NOTIFICATION_ADDRESS=" + address_ + " '" + BinaryPath("cchcctl") + "' --token " + kAdmin + " " +
                 args + " 2>&1");
  };
  // cchcctl's exit code: 64 + the gRPC code of a refused call, 1 for a local error. `token` "" passes none.
  auto exit_code = [](const std::string& args, const std::string& token = kAdmin) {
    std::string out =
        Shell("env -u CCHC_TOKEN CCHC_NOTIFICATION_ADDRESS=" + address_ + " '" + BinaryPath("cchcctl") + "' " +
              (token.empty() ? "" : "--token " + token + " ") + args + " >/dev/null 2>&1; echo $?");
    return std::stoi(out);
  };
  auto get = [] {
    nv1::GetSubscriberRequest req;
    req.set_name("subscribers/CLI");
    nv1::Subscriber out;
    auto s = Stub().GetSubscriber(Context(kAdmin).get(), req, &out);
    return std::make_pair(s.error_code(), out);
  };
  cchcctl("notify subscriber update CLI --display-name 'Văn phòng Sở' --email vp@sgddt.soctrang.gov.vn");
  auto [code, s] = get();
  ASSERT_EQ(code, grpc::OK);
  EXPECT_EQ(s.display_name(), "Văn phòng Sở");
  EXPECT_EQ(s.email(), "vp@sgddt.soctrang.gov.vn");
  EXPECT_EQ(s.unit(), "SGDĐT-TCCB");  // not given: kept
  const std::string row = SubscriberRow("CLI");
  EXPECT_THROW(cchcctl("notify subscriber update CLI"), std::runtime_error);  // nothing to update
  EXPECT_THROW(cchcctl("notify subscriber update CLI --kind ROBOT"), std::runtime_error);
  EXPECT_EQ(exit_code("notify subscriber update CLI"), 1);  // refused before any call: a local error
  EXPECT_EQ(exit_code("notify subscriber update CLI --kind ROBOT"), 1);
  EXPECT_EQ(exit_code("notify subscriber get CLI"), 0);
  EXPECT_EQ(exit_code("notify subscriber get CLI", ""), 64 + 16);  // no token unless given: UNAUTHENTICATED
  EXPECT_EQ(SubscriberRow("CLI"), row);

  auto sub = OnlySubscription("CLI");
  cchcctl("notify subscription update " + sub.name() + " --channel INBOX --channel EMAIL@17:30");
  auto changed = OnlySubscription("CLI");
  ASSERT_EQ(changed.channels_size(), 2);
  EXPECT_EQ(changed.channels(1).channel(), nv1::EMAIL);
  EXPECT_EQ(changed.channels(1).digest_time(), "17:30");
  EXPECT_EQ(changed.filter().SerializeAsString(), sub.filter().SerializeAsString());
  cchcctl("notify subscription update " + sub.name() + " --any");
  EXPECT_EQ(OnlySubscription("CLI").filter().fields_size(), 0);

  auto out = cchcctl("notify subscriber delete CLI");
  EXPECT_NE(out.find("deleted subscribers/CLI"), std::string::npos) << out;
  EXPECT_EQ(get().first, grpc::NOT_FOUND);
  EXPECT_EQ(exit_code("notify subscriber get CLI"), 64 + 5);  // NOT_FOUND
}

TEST_F(NotificationManageTest, CchcctlImportsHolidaysAndSetsSendWindows) {
  auto run = [](const std::string& args) {
    return Shell("env -u CCHC_TOKEN CCHC_NOTIFICATION_ADDRESS=" + address_ + " '" + BinaryPath("cchcctl") +
                 "' --token " + kAdmin + " " + args + " 2>&1; echo \"exit $?\"");
  };
  auto holidays = [] {
    nv1::ListHolidaysRequest req;
    req.set_year(2031);
    nv1::ListHolidaysResponse out;
    EXPECT_TRUE(Stub().ListHolidays(Context(kAdmin).get(), req, &out).ok());
    return out;
  };
  const std::string file = dir_->Path() + "/holidays-2031.csv";
  std::ofstream(file) << "date,name\n# Nghỉ lễ năm 2031\n01/01/2031,Tết Dương lịch\n30/04/2031,Ngày Giải phóng "
                         "miền Nam\n31/04/2031,Không có ngày này\n2031-09-02,\"Quốc khánh, 2/9\"\n";
  auto out = run("notify holidays import " + file);
  EXPECT_NE(out.find("exit 1"), std::string::npos) << out;  // a bad line: stopped before any call
  EXPECT_NE(out.find(":5"), std::string::npos) << "names the line: " << out;
  EXPECT_EQ(holidays().holidays_size(), 0);
  out = run("notify holidays import --continue-on-error " + file);
  EXPECT_NE(out.find("done 5, failed 1"), std::string::npos) << out;  // lines: the header and comment count as done
  EXPECT_NE(out.find("2031: 3 holidays, 0 removed"), std::string::npos) << out;
  auto listed = holidays();
  ASSERT_EQ(listed.holidays_size(), 3);
  EXPECT_EQ(listed.holidays(2).name(), "holidays/2031-09-02");
  EXPECT_EQ(listed.holidays(2).display_name(), "Quốc khánh, 2/9");
  out = run("notify holidays list --year 2031");
  EXPECT_NE(out.find("2031-04-30  Ngày Giải phóng miền Nam"), std::string::npos) << out;

  CreateSubscriber("WINCLI", "SGDĐT-TCCB", "");
  run("notify subscriber update WINCLI --send-window 'MON-FRI 07:30-11:30' --send-window 'MON-FRI 13:30-17:00'");
  nv1::GetSubscriberRequest get;
  get.set_name("subscribers/WINCLI");
  nv1::Subscriber s;
  ASSERT_TRUE(Stub().GetSubscriber(Context(kAdmin).get(), get, &s).ok());
  ASSERT_EQ(s.send_windows_size(), 10);
  EXPECT_EQ(s.send_windows(1).day(), nv1::MONDAY);
  EXPECT_EQ(s.send_windows(1).start(), "13:30");
  EXPECT_FALSE(s.has_quiet_hours());
  run("notify subscriber update WINCLI --quiet-start 22:00 --quiet-end 06:00");
  ASSERT_TRUE(Stub().GetSubscriber(Context(kAdmin).get(), get, &s).ok());
  EXPECT_EQ(s.send_windows_size(), 7) << "the quiet hours replaced the windows";
  EXPECT_EQ(s.send_windows(6).day(), nv1::SUNDAY);
  EXPECT_EQ(s.send_windows(6).start(), "06:00");
  EXPECT_EQ(s.quiet_hours().start(), "22:00");
}

}  // namespace
}  // namespace cchc::testing
