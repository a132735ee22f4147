// Send windows and holidays on real PostgreSQL, with the consumer's handler (Ingest) and the delivery workers
// in process, posting to the python webhook receiver: a delivery in a closed window is due at the opening and
// goes then; a holiday closes a whole local day and the delivery goes at 00:00 local the day after; a digest
// whose time falls in a closed window waits for the window; the inbox gets every notification at once.
// The workers' clock (WorkerOptions::now) is the real one moved forward: what is due and what is open are decided
// at that time, so the test need not wait for tomorrow morning.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cchc/document/v1/events.pb.h"
#include "delivery/worker.h"
#include "ingest.h"
#include "platform/dates.h"
#include "rules/address_policy.h"
#include "store/stores.h"
#include "support/process.h"
#include "support/stack.h"
#include "support/store_suite.h"

namespace cchc::notification {
namespace {

using std::chrono::sys_days;
const char* const kDocumentPublished = "cchc.document.v1.DocumentPublished";

int64_t MicrosOf(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

class SendWindowsTest : public testing::StoreSuite<SendWindowsTest> {
 protected:
  static void SetUpTestSuite() {
    StartDatabase("notification", Migrations(), {Statements()});
    watch_pool_ = new db::Pool(url_, "notification", 1, WatchStatements(), nullptr, db::Plans::kGeneric);
    dir_ = new testing::TempDir();
    port_ = testing::FreePort();
    receiver_ =
        new testing::Process({"/usr/bin/python3", testing::SourceDir() + "/tests/system/notification_webhook_server.py",
                              "--port", std::to_string(port_), "--out", dir_->Path() + "/webhook.jsonl"},
                             dir_->Path() + "/webhook.log");
    ASSERT_TRUE(
        testing::WaitFor([] { return receiver_->Log().find("ready") != std::string::npos; }, std::chrono::seconds(10)))
        << receiver_->Log();
  }
  static void TearDownTestSuite() {
    delete receiver_;
    delete dir_;
    delete watch_pool_;
    StoreSuite::TearDownTestSuite();
  }
  void SetUp() override {
    stores_ = std::make_unique<Stores>(*pool_, *watch_pool_);
    ingest_ = std::make_unique<notification::Ingest>(stores_->subscriptions, stores_->inbox, hub_,
                                                     IngestOptions{"https://sgddt.soctrang.gov.vn", 8, false, "test"},
                                                     registry_);
  }
  void TearDown() override {
    if (workers_) workers_->Stop();
    workers_.reset();
  }

  // Subscriber `id` with a webhook at /<id> of the receiver and `windows`, subscribed to DocumentPublished on the
  // inbox and the webhook (a daily digest at `digest_minute` when given).
  void Subscribe(const std::string& id, const SendWindows& windows, std::optional<int> digest_minute = {}) {
    SubscriberSpec s;
    s.id = id;
    s.display_name = "Phòng Tổ chức cán bộ";
    s.unit = "SGDĐT-TCCB";
    s.webhook_url = "http://127.0.0.1:" + std::to_string(port_) + "/ok/" + id;
    s.webhook_secret = "0123456789abcdef0123";
    s.windows = windows;
    stores_->subscribers.Create(s);
    stores_->subscriptions.Create(id, [&](const SubscriberSpec&) {
      SubscriptionSpec sub;
      sub.event_type = kDocumentPublished;
      sub.channels = {ChannelSpec{v1::INBOX, v1::IMMEDIATE, 0},
                      digest_minute ? ChannelSpec{v1::WEBHOOK, v1::DAILY_DIGEST, *digest_minute}
                                    : ChannelSpec{v1::WEBHOOK, v1::IMMEDIATE, 0}};
      return sub;
    });
  }

  // A DocumentPublished event through the consumer's handler, in one transaction (as the consumer runs it).
  void Publish(const std::string& ce_id, const std::string& code) {
    document::v1::DocumentPublished m;
    auto* d = m.mutable_document();
    d->set_name("documents/" + ce_id);
    d->set_code(code);
    d->set_type_abbreviation("KH");
    d->set_issuer_code("SGDĐT");
    d->set_issuer_name("Sở Giáo dục và Đào tạo Sóc Trăng");
    d->set_subject("Kế hoạch cải cách hành chính năm 2026 của Sở Giáo dục và Đào tạo");
    d->add_fields("Cải cách hành chính");
    events::CloudEvent e{
        ce_id, "/cchc/document",     kDocumentPublished, dates::Rfc3339Utc(), d->name(), "application/protobuf",
        "",    m.SerializeAsString()};
    pool_->Run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      ASSERT_EQ(ingest_->Handle(tx, e), consumer::Outcome::kProcessed);
      ingest_->BeforeCommit(tx);
      tx.commit();
      ingest_->Committed();
    });
  }

  // The delivery rows of `id` (channel webhook): due time (µs), attempts, state.
  struct Row {
    int64_t due_us;
    int attempts;
    int state;
  };
  std::vector<Row> Deliveries(const std::string& id) {
    return pool_->Run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      std::vector<Row> out;
      for (const auto& r : tx.exec_params("SELECT " + db::EpochMicros("due_at") +
                                              " AS due, attempt_count, state FROM deliveries WHERE subscriber_id = $1",
                                          id))
        out.push_back({r["due"].as<int64_t>(), r["attempt_count"].as<int>(), r["state"].as<int>()});
      return out;
    });
  }
  int64_t InboxCount(const std::string& id) {
    return pool_->Run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return tx.exec_params("SELECT count(*) AS n FROM notifications WHERE subscriber_id = $1", id)[0]["n"]
          .as<int64_t>();
    });
  }
  static std::vector<nlohmann::json> Posts(const std::string& id) {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir_->Path() + "/webhook.jsonl");
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded() && j["path"] == "/ok/" + id) out.push_back(std::move(j));
    }
    return out;
  }

  // Delivery workers whose clock is the real one plus offset_.
  void StartWorkers() {
    WorkerOptions o;
    o.threads = 2;
    o.poll = std::chrono::milliseconds(50);
    o.webhook.allow = {*ParseCidr("127.0.0.0/8")};
    o.now = [this] { return Clock::now() + std::chrono::microseconds(offset_.load()); };
    workers_ = std::make_unique<DeliveryWorkers>(stores_->deliveries, stores_->holidays, stores_->endpoint_health, o,
                                                 registry_);
    workers_->Start();
  }
  // Moves the workers' clock to `t` (real time keeps running from there).
  void ClockAt(Clock::time_point t) { offset_ = MicrosOf(t) - MicrosOf(Clock::now()); }

  // Waits `ms` and checks `id` was not sent to and its delivery not attempted.
  void ExpectStillWaiting(const std::string& id, int ms = 600) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    EXPECT_TRUE(Posts(id).empty());
    for (const auto& d : Deliveries(id)) EXPECT_EQ(d.attempts, 0);
  }

  static inline db::Pool* watch_pool_ = nullptr;
  static inline testing::TempDir* dir_ = nullptr;
  static inline testing::Process* receiver_ = nullptr;
  static inline int port_ = 0;
  metrics::Registry registry_;
  WatchHub hub_;
  std::unique_ptr<Stores> stores_;
  std::unique_ptr<notification::Ingest> ingest_;
  std::unique_ptr<DeliveryWorkers> workers_;
  std::atomic<int64_t> offset_{0};
};

TEST_F(SendWindowsTest, DeliveryInAClosedWindowWaitsForTheOpeningAndGoesThen) {
  // Open only tomorrow (local) 09:00–10:00: now is closed whatever the time of day.
  const sys_days tomorrow = LocalDay(Clock::now()) + std::chrono::days(1);
  const int weekday = static_cast<int>(std::chrono::weekday(tomorrow).iso_encoding());
  Subscribe("WINDOW", {{weekday, 9 * 60, 10 * 60}});
  Publish("55555555-0000-4000-8000-000000000001", "51/KH-SGDĐT");
  EXPECT_EQ(InboxCount("WINDOW"), 1) << "the inbox does not wait";
  const Clock::time_point opening = LocalMidnight(tomorrow) + std::chrono::hours(9);
  auto rows = Deliveries("WINDOW");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].due_us, MicrosOf(opening)) << "due at the opening, computed once";
  StartWorkers();
  ExpectStillWaiting("WINDOW");
  ClockAt(opening - std::chrono::seconds(30));
  ExpectStillWaiting("WINDOW", 300);
  ClockAt(opening);
  ASSERT_TRUE(testing::WaitFor([] { return Posts("WINDOW").size() == 1; }, std::chrono::seconds(10)));
  ASSERT_TRUE(
      testing::WaitFor([&] { return Deliveries("WINDOW")[0].state == v1::DELIVERED; }, std::chrono::seconds(5)));
  EXPECT_EQ(Deliveries("WINDOW")[0].attempts, 1);
}

TEST_F(SendWindowsTest, AHolidayIsClosedAllDayLocalAndOpensAtLocalMidnight) {
  const sys_days today = LocalDay(Clock::now());
  const auto year = static_cast<int>(std::chrono::year_month_day(today).year());
  std::vector<HolidaySpec> holidays{{std::chrono::year_month_day(today), "Ngày Nhà giáo Việt Nam"}};
  stores_->holidays.Import(year, holidays);
  ASSERT_EQ(stores_->holidays.List(year).size(), 1u);
  Subscribe("HOLIDAY", {});  // no windows: open every hour of a working day
  StartWorkers();
  Publish("55555555-0000-4000-8000-000000000002", "52/KH-SGDĐT");
  EXPECT_EQ(InboxCount("HOLIDAY"), 1) << "the inbox does not wait";
  // The worker that claims it sees the holiday and puts it off to the next local midnight: 17:00 UTC.
  const Clock::time_point midnight = LocalMidnight(today + std::chrono::days(1));
  EXPECT_EQ(std::chrono::hh_mm_ss(midnight - std::chrono::floor<std::chrono::days>(midnight)).hours().count(), 17);
  ASSERT_TRUE(
      testing::WaitFor([&] { return Deliveries("HOLIDAY")[0].due_us == MicrosOf(midnight); }, std::chrono::seconds(5)));
  ExpectStillWaiting("HOLIDAY");
  ClockAt(midnight - std::chrono::seconds(1));  // 23:59:59 local, still the holiday
  ExpectStillWaiting("HOLIDAY", 300);
  ClockAt(midnight);
  ASSERT_TRUE(testing::WaitFor([] { return Posts("HOLIDAY").size() == 1; }, std::chrono::seconds(10)));
  stores_->holidays.Import(year, {});
}

TEST_F(SendWindowsTest, DigestDueInAClosedWindowWaitsForTheWindow) {
  // The digest at 08:00; the window of its day opens at 09:00.
  const DigestSlot slot = DigestFor(Clock::now(), 8 * 60);
  const sys_days day(slot.day);
  const int weekday = static_cast<int>(std::chrono::weekday(day).iso_encoding());
  Subscribe("DIGEST", {{weekday, 9 * 60, 11 * 60}}, 8 * 60);
  Publish("55555555-0000-4000-8000-000000000003", "53/KH-SGDĐT");
  Publish("55555555-0000-4000-8000-000000000004", "54/KH-SGDĐT");
  EXPECT_EQ(InboxCount("DIGEST"), 2) << "the inbox does not wait";
  const Clock::time_point opening = LocalMidnight(day) + std::chrono::hours(9);
  auto rows = Deliveries("DIGEST");
  ASSERT_EQ(rows.size(), 1u) << "one digest";
  EXPECT_EQ(rows[0].due_us, MicrosOf(opening));
  StartWorkers();
  ClockAt(slot.due + std::chrono::minutes(30));  // 08:30: the digest's time, the window still closed
  ExpectStillWaiting("DIGEST");
  ClockAt(opening);
  ASSERT_TRUE(testing::WaitFor([] { return Posts("DIGEST").size() == 1; }, std::chrono::seconds(10)));
  auto body = nlohmann::json::parse(std::string(Posts("DIGEST")[0]["body"]));
  EXPECT_EQ(body["type"], "cchc.notification.v1.Digest");
  EXPECT_EQ(body["data"]["items"].size(), 2u);
}

}  // namespace
}  // namespace cchc::notification
