// The notification service on real PostgreSQL and the embedded broker, fed with events produced to the
// broker by the test: dedupe of a redelivered event, signed webhooks with retries and dead letters, quiet hours, e-mail
// over SMTP, daily digests (also while one is being sent to a slow receiver), Watch resuming without gaps or
// repeats, a SIGKILL in the middle of a stream of events, and who may read whose inbox.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <set>

#include "platform/dates.h"
#include "support/kafka_reader.h"
#include "system/notification_fixture.h"

namespace cchc::testing {
namespace {

namespace nv1 = notification::v1;

// The field of the events of the slow-receiver tests (other tests' events stay out of their digests).
const char* const kInspection = "Thanh tra";

// The event ids a digest post lists, in order.
std::vector<std::string> PostedEventIds(const nlohmann::json& post) {
  std::vector<std::string> ids;
  const auto body = nlohmann::json::parse(std::string(post["body"]));
  for (const auto& n : body["data"]["items"]) ids.push_back(n["id"].get<std::string>());
  return ids;
}

std::string PostedDay(const nlohmann::json& post) {
  return nlohmann::json::parse(std::string(post["body"]))["data"]["digest_day"].get<std::string>();
}

class NotificationDeliveryTest : public NotificationTest {
 protected:
  // A digest send held by the receiver while an event arrives: `first_id` reaches subscriber `id`'s digest,
  // the digest is made due and its post to `hold_path` held, then `late_id` comes in. The late event reaches
  // the inbox during the send (the consumer never waits for one). The two notifications, as Watch delivered
  // them, land in `*first` and `*late`.
  static void HoldDigestWhileAnEventArrives(const std::string& id, const std::string& hold_path,
                                            const std::string& field, const std::string& first_id,
                                            const std::string& first_code, const std::string& late_id,
                                            const std::string& late_code, nv1::Notification* first,
                                            nv1::Notification* late) {
    ProduceDocumentPublished(first_id, first_code, field);
    auto earlier = Watch(kTccb, id, 0, 1, std::chrono::seconds(20));
    ASSERT_EQ(earlier.size(), 1u);
    *first = earlier[0];
    Sql("UPDATE notification.deliveries SET due_at = now() WHERE subscriber_id = '" + id + "'");
    ASSERT_TRUE(WaitFor([&] { return WebhookPosts(hold_path).size() == 1; }, std::chrono::seconds(20)));
    ProduceDocumentPublished(late_id, late_code, field);
    auto second = Watch(kTccb, id, first->cursor(), 1, std::chrono::seconds(10));
    ASSERT_EQ(second.size(), 1u) << "the consumer waited for the digest being sent";
    *late = second[0];
  }
};

TEST_F(NotificationDeliveryTest, SameEventTwiceMakesOneNotification) {
  CreateSubscriber("DEDUPE", "SGDĐT-TCCB", "/ok");
  SubscribeToCchcDocuments("DEDUPE", {nv1::INBOX, nv1::WEBHOOK});
  ProduceDocumentPublished("11111111-0000-4000-8000-000000000001", "12/QĐ-SGDĐT");
  ProduceDocumentPublished("11111111-0000-4000-8000-000000000001", "12/QĐ-SGDĐT");
  ProduceDocumentPublished("11111111-0000-4000-8000-000000000002", "13/KH-SGDĐT");
  auto seen = Watch(kTccb, "DEDUPE", 0, 2, std::chrono::seconds(20));
  ASSERT_EQ(seen.size(), 2u);
  // Different keys, different partitions: the two events may arrive in either order.
  std::sort(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.event_id() < b.event_id(); });
  EXPECT_EQ(seen[0].event_id(), "11111111-0000-4000-8000-000000000001");
  EXPECT_EQ(seen[1].event_id(), "11111111-0000-4000-8000-000000000002");
  EXPECT_EQ(seen[0].title(),
            "Văn bản mới: 12/QĐ-SGDĐT — Kế hoạch cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo");
  // The broker delivered the first event twice; the consumer recorded it once.
  ASSERT_TRUE(WaitFor([] { return WebhookPosts("/ok").size() >= 2; }, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'DEDUPE'"),
            2);
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'DEDUPE'"), 2);
  EXPECT_EQ(WebhookPosts("/ok").size(), 2u);
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.processed_events WHERE event_id = "
                                    "'11111111-0000-4000-8000-000000000001'"),
            1);
}

TEST_F(NotificationDeliveryTest, WebhookInQuietHoursWaitsForTheirEndWhileTheInboxGetsItAtOnce) {
  // Quiet hours from an hour ago to an hour from now, local time (Asia/Ho_Chi_Minh, UTC+7 all year).
  const std::time_t local = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char start[8], end[8];
  std::snprintf(start, sizeof start, "%02d:%02d", (tm.tm_hour + 23) % 24, tm.tm_min);
  std::snprintf(end, sizeof end, "%02d:%02d", (tm.tm_hour + 1) % 24, tm.tm_min);
  nv1::QuietHours quiet;
  quiet.set_start(start);
  quiet.set_end(end);
  CreateSubscriber("QUIET", "SGDĐT-TCCB", "/quiet", "", quiet);
  SubscribeToCchcDocuments("QUIET", {nv1::INBOX, nv1::WEBHOOK}, "Thanh tra");
  // Two events one after the other. The second is written in one statement (Ingest::HandleAtOnce); the first
  // too, unless the consumer kept older subscriptions (the suite's earlier tests), when it takes a transaction.
  // Either way the webhook waits.
  ProduceDocumentPublished("11111111-0000-4000-8000-000000000011", "21/QĐ-SGDĐT", "Thanh tra");
  ASSERT_EQ(Watch(kTccb, "QUIET", 0, 1, std::chrono::seconds(20)).size(), 1u);
  ProduceDocumentPublished("11111111-0000-4000-8000-000000000012", "22/KH-SGDĐT", "Thanh tra");
  auto inbox = Watch(kTccb, "QUIET", 0, 2, std::chrono::seconds(20));
  ASSERT_EQ(inbox.size(), 2u) << "the inbox is not held by quiet hours";
  for (const auto& n : inbox) EXPECT_EQ(n.deliveries_size(), 1) << n.event_id();
  // Each delivery is due at the end of the quiet hours (its minute, so 59 to 60 minutes from now), untried.
  const std::string due =
      "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'QUIET' AND "
      "attempt_count = 0 AND due_at > now() + interval '58 minutes' AND due_at <= now() + "
      "interval '61 minutes'";
  EXPECT_EQ(NotificationTest::Count(due), 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the worker polls every 50 ms
  EXPECT_TRUE(WebhookPosts("/quiet").empty());
}

TEST_F(NotificationDeliveryTest, FilterKeepsOtherFieldsAndTypesOut) {
  CreateSubscriber("FILTER", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("FILTER", {nv1::INBOX});
  ProduceDocumentPublished("22222222-0000-4000-8000-000000000001", "20/CV-SGDĐT");  // công văn: type not wanted
  ProduceDocumentPublished("22222222-0000-4000-8000-000000000002", "21/QĐ-SGDĐT", "Thi đua, khen thưởng");
  ProduceDocumentPublished("22222222-0000-4000-8000-000000000003", "22/QĐ-SGDĐT", "cai cach HANH CHINH");
  auto seen = Watch(kTccb, "FILTER", 0, 1, std::chrono::seconds(20));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].event_id(), "22222222-0000-4000-8000-000000000003");
  ASSERT_TRUE(WaitFor(
      [] {
        return NotificationTest::Count(
                   "SELECT count(*) FROM notification.processed_events WHERE event_id LIKE '22222222-%'") == 3;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'FILTER'"),
            1);
}

TEST_F(NotificationDeliveryTest, UnknownEventTypeIsSkipped) {
  Produce(broker_->Bootstrap(), "cchc.news.v1", "articles/x", "whatever",
          {{"ce_id", "33333333-0000-4000-8000-000000000001"},
           {"ce_source", "/cchc/news"},
           {"ce_specversion", "1.0"},
           {"ce_type", "cchc.news.v1.SomethingNew"},
           {"ce_time", dates::Rfc3339Utc()}});
  ASSERT_TRUE(WaitFor(
      [] {
        return NotificationTest::Sql(
                   "SELECT outcome FROM notification.processed_events WHERE event_id = "
                   "'33333333-0000-4000-8000-000000000001'") == "skipped";
      },
      std::chrono::seconds(20)));
}

TEST_F(NotificationDeliveryTest, SignedWebhookIsRetriedOn500AndNotOn400) {
  CreateSubscriber("FLAKY", "SGDĐT-TCCB", "/flaky");
  SubscribeToCchcDocuments("FLAKY", {nv1::WEBHOOK});
  CreateSubscriber("BAD", "SGDĐT-TCCB", "/bad");
  SubscribeToCchcDocuments("BAD", {nv1::WEBHOOK});
  ProduceDocumentPublished("44444444-0000-4000-8000-000000000001", "44/KH-SGDĐT");
  auto flaky = Watch(kAdmin, "FLAKY", 0, 1, std::chrono::seconds(20));
  ASSERT_EQ(flaky.size(), 1u);
  ASSERT_EQ(flaky[0].deliveries_size(), 1);
  auto bad = Watch(kAdmin, "BAD", 0, 1, std::chrono::seconds(20));
  ASSERT_EQ(bad.size(), 1u);
  ASSERT_EQ(bad[0].deliveries_size(), 1);

  // 500, 500, then 200: three signed POSTs of the same body, the delivery DELIVERED after three attempts.
  ASSERT_TRUE(WaitFor([&] { return NotificationTest::Delivery(flaky[0].deliveries(0)).state() == nv1::DELIVERED; },
                      std::chrono::seconds(20)));
  auto posts = WebhookPosts("/flaky");
  ASSERT_EQ(posts.size(), 3u);
  for (const auto& p : posts) {
    // One webhook-id on every attempt: msg_ + the delivery's id.
    EXPECT_EQ(p["id"], "msg_" + flaky[0].deliveries(0).substr(std::string("deliveries/").size()));
    EXPECT_EQ(p["signature"], StandardSignature(Secret("FLAKY"), p));
    auto j = nlohmann::json::parse(std::string(p["body"]));
    EXPECT_EQ(j["type"], "cchc.document.v1.DocumentPublished");
    EXPECT_EQ(j["data"]["id"], "44444444-0000-4000-8000-000000000001");
    EXPECT_EQ(j["data"]["details"]["document"]["code"], "44/KH-SGDĐT");
    EXPECT_EQ(j["data"]["subscriber"], "subscribers/FLAKY");
  }
  EXPECT_NE(StandardSignature(Secret("WRONG"), posts[0]), posts[0]["signature"]);
  auto d = NotificationTest::Delivery(flaky[0].deliveries(0));
  ASSERT_EQ(d.attempts_size(), 3);
  EXPECT_EQ(d.attempts(0).outcome(), "retry");
  EXPECT_EQ(d.attempts(0).status_code(), 500);
  EXPECT_EQ(d.attempts(1).outcome(), "retry");
  EXPECT_EQ(d.attempts(2).outcome(), "delivered");
  EXPECT_EQ(d.attempts(2).status_code(), 200);
  EXPECT_EQ(d.attempts(2).channel(), nv1::WEBHOOK);

  // 400: one attempt, then the dead-letter list; an operator's retry makes exactly one more attempt.
  ASSERT_TRUE(WaitFor([&] { return NotificationTest::Delivery(bad[0].deliveries(0)).state() == nv1::DEAD_LETTER; },
                      std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  d = NotificationTest::Delivery(bad[0].deliveries(0));
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).status_code(), 400);
  EXPECT_EQ(d.attempts(0).outcome(), "dead_letter");
  EXPECT_EQ(WebhookPosts("/bad").size(), 1u);
  nv1::ListDeadLettersRequest list;
  nv1::ListDeadLettersResponse dead;
  ASSERT_TRUE(Stub().ListDeadLetters(Context(kAdmin).get(), list, &dead).ok());
  bool listed = false;
  for (const auto& x : dead.deliveries()) listed |= x.name() == bad[0].deliveries(0);
  EXPECT_TRUE(listed);
  nv1::ListDeadLettersResponse denied;
  EXPECT_EQ(Stub().ListDeadLetters(Context(kTccb).get(), list, &denied).error_code(), grpc::PERMISSION_DENIED);

  nv1::RetryDeadLetterRequest retry;
  retry.set_name(bad[0].deliveries(0));
  nv1::Delivery retried;
  auto s = Stub().RetryDeadLetter(Context(kAdmin).get(), retry, &retried);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(WaitFor([&] { return NotificationTest::Delivery(bad[0].deliveries(0)).attempts_size() == 2; },
                      std::chrono::seconds(20)));
  ASSERT_TRUE(WaitFor([&] { return NotificationTest::Delivery(bad[0].deliveries(0)).state() == nv1::DEAD_LETTER; },
                      std::chrono::seconds(20)));
  auto bad_posts = WebhookPosts("/bad");
  ASSERT_EQ(bad_posts.size(), 2u);
  // The dead-letter retry is the same message: the same webhook-id, signed anew for its own timestamp.
  EXPECT_EQ(bad_posts[1]["id"], bad_posts[0]["id"]);
  EXPECT_EQ(bad_posts[1]["id"], "msg_" + bad[0].deliveries(0).substr(std::string("deliveries/").size()));
  EXPECT_EQ(bad_posts[1]["signature"], StandardSignature(Secret("BAD"), bad_posts[1]));
  // Retrying something that is not a dead letter is refused.
  retry.set_name(flaky[0].deliveries(0));
  EXPECT_EQ(Stub().RetryDeadLetter(Context(kAdmin).get(), retry, &retried).error_code(), grpc::FAILED_PRECONDITION);
}

TEST_F(NotificationDeliveryTest, EmailWithVietnameseSubjectReachesSmtp) {
  CreateSubscriber("MAIL", "SGDĐT-TCCB", "", "tccb@sgddt.soctrang.gov.vn");
  SubscribeToCchcDocuments("MAIL", {nv1::INBOX, nv1::EMAIL});
  ProduceDocumentPublished("55555555-0000-4000-8000-000000000001", "55/QĐ-SGDĐT");
  ASSERT_TRUE(WaitFor([] { return !Mails().empty(); }, std::chrono::seconds(20))) << service_->Log();
  auto mails = Mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["subject"],
            "[CCHC] Văn bản mới: 55/QĐ-SGDĐT — Kế hoạch cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo");
  EXPECT_EQ(std::string(mails[0]["raw_subject"]).rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(mails[0]["charset"], "utf-8");
  EXPECT_EQ(mails[0]["to"][0], "<tccb@sgddt.soctrang.gov.vn>");
  EXPECT_NE(std::string(mails[0]["body"]).find("Kính gửi Phòng Tổ chức cán bộ"), std::string::npos);
  auto inbox = Watch(kTccb, "MAIL", 0, 1, std::chrono::seconds(10));
  ASSERT_EQ(inbox.size(), 1u);
  ASSERT_TRUE(WaitFor([&] { return NotificationTest::Delivery(inbox[0].deliveries(0)).state() == nv1::DELIVERED; },
                      std::chrono::seconds(10)));
  EXPECT_EQ(NotificationTest::Delivery(inbox[0].deliveries(0)).attempts(0).channel(), nv1::EMAIL);
}

TEST_F(NotificationDeliveryTest, DailyDigestGathersTheDayIntoOneMessage) {
  CreateSubscriber("DIGEST", "SGDĐT-TCCB", "", "digest@sgddt.soctrang.gov.vn");
  ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest("DIGEST", nv1::EMAIL, "17:30"));
  ProduceDocumentPublished("88888888-0000-4000-8000-000000000001", "81/QĐ-SGDĐT");
  ProduceDocumentPublished("88888888-0000-4000-8000-000000000002", "82/KH-SGDĐT");
  ASSERT_EQ(Watch(kTccb, "DIGEST", 0, 2, std::chrono::seconds(20)).size(), 2u);
  // One digest row for the day, holding both notifications, due at 17:30 local (not sent yet).
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'DIGEST'"), 1);
  EXPECT_EQ(Sql("SELECT to_char(due_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI') FROM notification.deliveries "
                "WHERE subscriber_id = 'DIGEST'"),
            "17:30");
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.digest_items i JOIN notification.deliveries d ON d.id = "
                "i.delivery_id WHERE d.subscriber_id = 'DIGEST'"),
            2);
  // Make it due now: one e-mail listing both.
  Sql("UPDATE notification.deliveries SET due_at = now() WHERE subscriber_id = 'DIGEST'");
  auto digest_mails = [] {
    std::vector<nlohmann::json> out;
    for (auto& m : Mails())
      if (m["to"][0] == "<digest@sgddt.soctrang.gov.vn>") out.push_back(m);
    return out;
  };
  ASSERT_TRUE(WaitFor([&] { return !digest_mails().empty(); }, std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto mails = digest_mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(std::string(mails[0]["subject"]).rfind("[CCHC] Tổng hợp thông báo ngày ", 0), 0u);
  EXPECT_NE(std::string(mails[0]["body"]).find("81/QĐ-SGDĐT"), std::string::npos);
  EXPECT_NE(std::string(mails[0]["body"]).find("82/KH-SGDĐT"), std::string::npos);
}

// While a digest is being sent (the receiver holds the post), the consumer keeps going: a new event for the
// same subscriber reaches the inbox before the post is answered. It was attached to the digest being sent
// but is not in that message, so it moves to the next day's digest: sent then, once.
TEST_F(NotificationDeliveryTest, DigestBeingSentBlocksNoEventAndLosesNone) {
  const std::string at = DigestTimeFarFromNow();
  CreateSubscriber("SLOWDIGEST", "SGDĐT-TCCB", "/hold/slowdigest");
  ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest("SLOWDIGEST", nv1::WEBHOOK, at, kInspection));
  const std::string e1 = "99999999-0000-4000-8000-000000000001", e2 = "99999999-0000-4000-8000-000000000002",
                    e3 = "99999999-0000-4000-8000-000000000003";
  nv1::Notification first, second;
  ASSERT_NO_FATAL_FAILURE(HoldDigestWhileAnEventArrives("SLOWDIGEST", "/hold/slowdigest", kInspection, e1,
                                                        "91/QĐ-SGDĐT", e2, "92/KH-SGDĐT", &first, &second));
  EXPECT_EQ(second.event_id(), e2);
  const std::string day =
      Sql("SELECT digest_day::text FROM notification.deliveries WHERE subscriber_id = 'SLOWDIGEST'");
  const std::string next = Sql("SELECT (date '" + day + "' + 1)::text");
  const std::string of_day =
      " FROM notification.digest_items i JOIN notification.deliveries d ON d.id = "
      "i.delivery_id WHERE d.subscriber_id = 'SLOWDIGEST' AND d.digest_day = date '";
  const std::string attempts =
      "SELECT count(*) FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id "
      "WHERE d.subscriber_id = 'SLOWDIGEST'";
  EXPECT_EQ(NotificationTest::Count(attempts), 0) << "the post was answered before the event reached the inbox";
  // Attached to the day's digest (still pending while it is being sent).
  EXPECT_EQ(NotificationTest::Count("SELECT count(*)" + of_day + day + "'"), 2);
  // The send is a lease (its items fixed at the claim), with no transaction left open across it.
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'SLOWDIGEST' AND lease_until > "
                "now() AND claim_token IS NOT NULL"),
            1);
  EXPECT_EQ(NotificationTest::Count(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in "
                "transaction%'"),
            0);

  HttpGet(webhook_port_, "/release/slowdigest");
  ASSERT_TRUE(WaitFor(
      [&] {
        return Sql("SELECT state FROM notification.deliveries WHERE subscriber_id = 'SLOWDIGEST' AND digest_day = "
                   "date '" +
                   day + "'") == "2";
      },
      std::chrono::seconds(30)));
  auto posts = WebhookPosts("/hold/slowdigest");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(PostedDay(posts[0]), day);
  EXPECT_EQ(PostedEventIds(posts[0]), std::vector<std::string>{e1});
  // The day's digest keeps what it sent; the later event waits in the next day's, due at the digest time.
  EXPECT_EQ(Sql("SELECT string_agg(i.notification::text, ',')" + of_day + day + "'"), std::to_string(first.cursor()));
  EXPECT_EQ(Sql("SELECT string_agg(i.notification::text, ',')" + of_day + next + "'"), std::to_string(second.cursor()));
  EXPECT_EQ(Sql("SELECT state || ' ' || to_char(due_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD HH24:MI') FROM "
                "notification.deliveries WHERE subscriber_id = 'SLOWDIGEST' AND digest_day = date '" +
                next + "'"),
            "1 " + next + " " + at);

  // An event after the day's digest went out goes to the next day's as well.
  ProduceDocumentPublished(e3, "93/QĐ-SGDĐT", kInspection);
  ASSERT_EQ(Watch(kTccb, "SLOWDIGEST", second.cursor(), 1, std::chrono::seconds(20)).size(), 1u);
  EXPECT_EQ(NotificationTest::Count("SELECT count(*)" + of_day + next + "'"), 2);
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'SLOWDIGEST'"),
            2);

  // The next day's digest sends the two later events: every event went out once, one message a day.
  Sql("UPDATE notification.deliveries SET due_at = now() WHERE subscriber_id = 'SLOWDIGEST' AND state = 1");
  ASSERT_TRUE(WaitFor(
      [] {
        return NotificationTest::Count(
                   "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'SLOWDIGEST' AND state = 2") ==
               2;
      },
      std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  posts = WebhookPosts("/hold/slowdigest");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(PostedDay(posts[1]), next);
  EXPECT_EQ(PostedEventIds(posts[1]), (std::vector<std::string>{e2, e3}));
  EXPECT_EQ(NotificationTest::Count(attempts), 2);
}

// A failed attempt while an event is attached: nothing moves; the retry sends the day's digest with both.
TEST_F(NotificationDeliveryTest, DigestRetryAfterASlowFailureSendsWhatArrivedMeanwhile) {
  CreateSubscriber("SLOWRETRY", "SGDĐT-TCCB", "/hold/fail-slowretry");
  ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest("SLOWRETRY", nv1::WEBHOOK, DigestTimeFarFromNow(), kInspection));
  const std::string e1 = "99999999-0000-4000-8000-000000000011", e2 = "99999999-0000-4000-8000-000000000012";
  nv1::Notification first, late;
  ASSERT_NO_FATAL_FAILURE(HoldDigestWhileAnEventArrives("SLOWRETRY", "/hold/fail-slowretry", kInspection, e1,
                                                        "94/QĐ-SGDĐT", e2, "95/KH-SGDĐT", &first, &late));
  HttpGet(webhook_port_, "/release/fail-slowretry");  // answers 500: a retry
  ASSERT_TRUE(WaitFor(
      [] {
        return NotificationTest::Count(
                   "SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'SLOWRETRY' AND "
                   "state = 2") == 1;
      },
      std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto posts = WebhookPosts("/hold/fail-slowretry");
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(PostedEventIds(posts[0]), std::vector<std::string>{e1});
  EXPECT_EQ(PostedEventIds(posts[1]), (std::vector<std::string>{e1, e2}));
  EXPECT_EQ(PostedDay(posts[0]), PostedDay(posts[1]));
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'SLOWRETRY'"),
            1);
}

// DeleteSubscriber while the subscriber's digest is being sent and an event arrived meanwhile: the send is a
// lease, holding no lock, so the delete does not wait for it and takes the digest row with it. The worker,
// recording after the send, finds its claim gone and writes nothing (no next day's digest for a deleted
// subscriber): no deadlock, one post, and everything of the subscriber is gone.
TEST_F(NotificationDeliveryTest, SubscriberDeletedWhileItsDigestIsSentNeitherWaitsNorDeadlocks) {
  const char* const field = "Pháp chế";  // only this test's subscription hears it
  CreateSubscriber("SLOWGONE", "SGDĐT-TCCB", "/hold/slowgone");
  ASSERT_NO_FATAL_FAILURE(SubscribeWithDigest("SLOWGONE", nv1::WEBHOOK, DigestTimeFarFromNow(), field));
  const std::string e1 = "99999999-0000-4000-8000-000000000021", e2 = "99999999-0000-4000-8000-000000000022";
  nv1::Notification first, late;
  ASSERT_NO_FATAL_FAILURE(HoldDigestWhileAnEventArrives("SLOWGONE", "/hold/slowgone", field, e1, "96/QĐ-SGDĐT", e2,
                                                        "97/KH-SGDĐT", &first, &late));

  const auto deadlocks = [] {
    return NotificationTest::Count("SELECT deadlocks FROM pg_stat_database WHERE datname = 'cchc'");
  };
  const int64_t deadlocks_before = deadlocks();
  const auto mentions_deadlock = [] {
    const std::string log = service_->Log();
    int64_t n = 0;
    for (auto at = log.find("deadlock"); at != std::string::npos; at = log.find("deadlock", at + 1)) ++n;
    return n;
  };
  const int64_t logged_before = mentions_deadlock();
  const auto metric = [](const char* series) {
    return std::max(0.0, MetricValue(HttpGet(metrics_port_, "/metrics"), series));
  };
  const double moved_before = metric("cchc_digest_items_moved_total");
  const double lost_before = metric("cchc_delivery_lost_claims_total");
  nv1::DeleteSubscriberRequest req;
  req.set_name("subscribers/SLOWGONE");
  google::protobuf::Empty empty;
  auto status = Stub().DeleteSubscriber(Context(kAdmin, 5).get(), req, &empty);
  ASSERT_TRUE(status.ok()) << status.error_message() << " (the delete waited for the send?)";
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.deliveries WHERE subscriber_id = 'SLOWGONE'"),
            0);
  HttpGet(webhook_port_, "/release/slowgone");
  ASSERT_TRUE(
      WaitFor([&] { return metric("cchc_delivery_lost_claims_total") == lost_before + 1; }, std::chrono::seconds(20)))
      << service_->Log();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // PostgreSQL's statistics flushed
  EXPECT_EQ(mentions_deadlock(), logged_before) << service_->Log();
  EXPECT_EQ(deadlocks(), deadlocks_before) << "PostgreSQL detected a deadlock";
  EXPECT_EQ(metric("cchc_digest_items_moved_total"), moved_before) << "nothing to move for a deleted subscriber";
  auto posts = WebhookPosts("/hold/slowgone");
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(PostedEventIds(posts[0]), std::vector<std::string>{e1});
  for (const char* table : {"subscribers WHERE id", "subscriptions WHERE subscriber_id",
                            "notifications WHERE subscriber_id", "deliveries WHERE subscriber_id"})
    EXPECT_EQ(NotificationTest::Count(std::string("SELECT count(*) FROM notification.") + table + " = 'SLOWGONE'"), 0)
        << table;
}

TEST_F(NotificationDeliveryTest, SigkillMidStreamLosesNothingAndWatchResumesWithoutRepeats) {
  CreateSubscriber("RESTART", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("RESTART", {nv1::INBOX}, "Khảo thí và kiểm định chất lượng");
  constexpr int kEvents = 300;
  std::thread producer([] {
    for (int i = 0; i < kEvents; ++i) {
      char id[64];
      std::snprintf(id, sizeof id, "66666666-0000-4000-8000-%012d", i);
      ProduceDocumentPublished(id, std::to_string(1000 + i) + "/KH-SGDĐT", "Khảo thí và kiểm định chất lượng");
    }
  });
  // Read part of the stream, then kill the service while events keep arriving.
  auto first = Watch(kTccb, "RESTART", 0, 40, std::chrono::seconds(30));
  ASSERT_EQ(first.size(), 40u);
  StopNotification(SIGKILL);
  producer.join();
  StartNotification();
  // Resume from the last cursor seen, as a client does: a stream that the reconnect cuts short is opened again
  // from its last cursor. (The first one often goes out on the killed process's connection and ends at once
  // with UNAVAILABLE, "Broken pipe".) The rest arrives once each, in cursor order.
  std::vector<nv1::Notification> rest;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (rest.size() < static_cast<size_t>(kEvents - 40) && std::chrono::steady_clock::now() < deadline) {
    int64_t after = rest.empty() ? first.back().cursor() : rest.back().cursor();
    auto more =
        Watch(kTccb, "RESTART", after, kEvents - 40 - rest.size(),
              std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (more.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    rest.insert(rest.end(), more.begin(), more.end());
  }
  ASSERT_EQ(rest.size(), static_cast<size_t>(kEvents - 40));
  std::set<std::string> ids;
  int64_t last = 0;
  for (const auto* batch : {&first, &rest})
    for (const auto& n : *batch) {
      EXPECT_GT(n.cursor(), last);
      last = n.cursor();
      EXPECT_TRUE(ids.insert(n.event_id()).second) << "repeated " << n.event_id();
    }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kEvents));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.notifications WHERE subscriber_id = 'RESTART'"),
            kEvents);
  // Nothing more after the last one.
  EXPECT_TRUE(Watch(kTccb, "RESTART", last, 1, std::chrono::milliseconds(800)).empty());
}

TEST_F(NotificationDeliveryTest, InboxListsMarksReadAndBelongsToItsUnit) {
  CreateSubscriber("INBOX", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("INBOX", {nv1::INBOX});
  for (int i = 0; i < 3; ++i)
    ProduceDocumentPublished("77777777-0000-4000-8000-00000000000" + std::to_string(i),
                             std::to_string(70 + i) + "/QĐ-SGDĐT");
  auto seen = Watch(kTccb, "INBOX", 0, 3, std::chrono::seconds(20));
  ASSERT_EQ(seen.size(), 3u);

  nv1::MarkReadRequest mark;
  mark.set_name(seen[2].name());
  nv1::Notification marked;
  ASSERT_TRUE(Stub().MarkRead(Context(kTccb).get(), mark, &marked).ok());
  EXPECT_TRUE(marked.read());

  nv1::ListNotificationsRequest list;
  list.set_parent("subscribers/INBOX");
  list.set_order(nv1::UNREAD_FIRST);
  list.set_page_size(2);
  nv1::ListNotificationsResponse page1, page2;
  ASSERT_TRUE(Stub().ListNotifications(Context(kTccb).get(), list, &page1).ok());
  ASSERT_EQ(page1.notifications_size(), 2);
  EXPECT_EQ(page1.unread_count(), 2);
  EXPECT_EQ(page1.notifications(0).cursor(), seen[1].cursor());  // unread, newest first
  EXPECT_EQ(page1.notifications(1).cursor(), seen[0].cursor());
  list.set_page_token(page1.next_page_token());
  ASSERT_TRUE(Stub().ListNotifications(Context(kTccb).get(), list, &page2).ok());
  ASSERT_EQ(page2.notifications_size(), 1);
  EXPECT_EQ(page2.notifications(0).cursor(), seen[2].cursor());
  EXPECT_TRUE(page2.next_page_token().empty());

  nv1::MarkAllReadRequest all;
  all.set_parent("subscribers/INBOX");
  nv1::MarkAllReadResponse done;
  ASSERT_TRUE(Stub().MarkAllRead(Context(kTccb).get(), all, &done).ok());
  EXPECT_EQ(done.marked(), 2);

  // Another unit's principal may neither list nor watch this inbox.
  nv1::ListNotificationsResponse denied;
  list.clear_page_token();
  EXPECT_EQ(Stub().ListNotifications(Context(kOther).get(), list, &denied).error_code(), grpc::PERMISSION_DENIED);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", std::string("Bearer ") + kOther);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  nv1::WatchNotificationsRequest watch;
  watch.set_parent("subscribers/INBOX");
  auto reader = Stub().WatchNotifications(&ctx, watch);
  nv1::Notification n;
  EXPECT_FALSE(reader->Read(&n));
  EXPECT_EQ(reader->Finish().error_code(), grpc::PERMISSION_DENIED);
  // No token at all.
  nv1::ListNotificationsResponse anonymous;
  EXPECT_EQ(Stub().ListNotifications(Context("").get(), list, &anonymous).error_code(), grpc::UNAUTHENTICATED);
}

TEST_F(NotificationDeliveryTest, BadSubscriptionNamesTheFieldAndWritesNothing) {
  CreateSubscriber("BADINPUT", "SGDĐT-TCCB", "");
  nv1::CreateSubscriptionRequest req;
  req.set_parent("subscribers/BADINPUT");
  req.mutable_subscription()->set_event_type("cchc.document.v1.DocumentPublished");
  req.mutable_subscription()->mutable_filter()->add_categories("Cải cách hành chính");
  req.mutable_subscription()->add_channels()->set_channel(nv1::INBOX);
  nv1::Subscription out;
  auto s = Stub().CreateSubscription(Context(kAdmin).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("subscription.filter.categories:", 0), 0u) << s.error_message();
  req.mutable_subscription()->mutable_filter()->clear_categories();
  req.mutable_subscription()->add_channels()->set_channel(nv1::WEBHOOK);
  s = Stub().CreateSubscription(Context(kAdmin).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("subscription.channels[1].channel:", 0), 0u) << s.error_message();
  EXPECT_EQ(NotificationTest::Count("SELECT count(*) FROM notification.subscriptions WHERE subscriber_id = 'BADINPUT'"),
            0);
  // Only an admin creates subscriptions; a duplicate subscriber id is ALREADY_EXISTS.
  req.mutable_subscription()->clear_channels();
  req.mutable_subscription()->add_channels()->set_channel(nv1::INBOX);
  EXPECT_EQ(Stub().CreateSubscription(Context(kTccb).get(), req, &out).error_code(), grpc::PERMISSION_DENIED);
  nv1::CreateSubscriberRequest again;
  again.mutable_subscriber()->set_id("BADINPUT");
  again.mutable_subscriber()->set_display_name("x");
  again.mutable_subscriber()->set_kind(nv1::UNIT);
  again.mutable_subscriber()->set_unit("SGDĐT-TCCB");
  nv1::Subscriber dup;
  EXPECT_EQ(Stub().CreateSubscriber(Context(kAdmin).get(), again, &dup).error_code(), grpc::ALREADY_EXISTS);
}

}  // namespace
}  // namespace cchc::testing
