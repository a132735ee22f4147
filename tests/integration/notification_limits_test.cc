// The Watch stream's limits against the real notification service (PostgreSQL, the embedded broker): the caps
// per subscriber and in total answer RESOURCE_EXHAUSTED naming their flag, after authentication and without
// disturbing the open streams; a stream ends at its maximum age with UNAVAILABLE and its clients (the fixture's
// Watch, `cchcctl notify inbox watch`) resume from their cursor with nothing lost and nothing twice; an open
// stream loses access when its subscriber moves to another unit, whether this replica made the change or not.
// Each test's flags go to a replica of its own (serving_replica.h); the suite's service writes the inboxes.
#include <signal.h>

#include <atomic>
#include <future>
#include <regex>
#include <set>
#include <sstream>

#include "notification_suite.h"
#include "serving_replica.h"

namespace cchc::testing {
namespace {

class WatchLimitsTest : public NotificationTest {
 protected:
  // A Watch stream held open, read on its own thread.
  struct Held {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<nv1::Notification>> reader;
    std::thread thread;
    std::atomic<int> got{0};
    std::atomic<bool> ended{false};
    grpc::Status status;  // once ended
    ~Held() {
      ctx.TryCancel();
      if (thread.joinable()) thread.join();
    }
  };
  static std::unique_ptr<Held> Hold(nv1::NotificationService::Stub& stub, const std::string& token,
                                    const std::string& id) {
    auto h = std::make_unique<Held>();
    h->ctx.AddMetadata("authorization", "Bearer " + token);
    h->ctx.set_deadline(std::chrono::system_clock::now() + seconds(60));
    nv1::WatchNotificationsRequest req;
    req.set_parent("subscribers/" + id);
    h->reader = stub.WatchNotifications(&h->ctx, req);
    h->thread = std::thread([raw = h.get()] {
      nv1::Notification n;
      while (raw->reader->Read(&n)) ++raw->got;
      raw->status = raw->reader->Finish();
      raw->ended = true;
    });
    return h;
  }
  // A stream that has read the subscriber's one notification (so it is owned and holds its slots), opened again
  // while refused: a slot given back is free only once the server is done with the stream that held it, a
  // moment after its client saw the end.
  static std::unique_ptr<Held> HoldOpen(nv1::NotificationService::Stub& stub, const std::string& token,
                                        const std::string& id) {
    std::unique_ptr<Held> h;
    bool open = WaitFor(
        [&] {
          if (h && h->ended) h.reset();
          if (!h) h = Hold(stub, token, id);
          return h->got == 1;
        },
        seconds(10));
    EXPECT_TRUE(open) << id << ": " << (h->ended ? h->status.error_message() : "no notification");
    return h;
  }
  // A Watch that is expected to end by itself (refused): its status.
  static grpc::Status Refused(nv1::NotificationService::Stub& stub, const std::string& token, const std::string& id) {
    grpc::ClientContext ctx;
    if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
    ctx.set_deadline(std::chrono::system_clock::now() + seconds(5));
    nv1::WatchNotificationsRequest req;
    req.set_parent("subscribers/" + id);
    auto reader = stub.WatchNotifications(&ctx, req);
    nv1::Notification n;
    while (reader->Read(&n)) {
    }
    return reader->Finish();
  }
  static std::string InboxCount(const std::string& id) {
    return Sql("SELECT count(*) FROM notification.notifications WHERE subscriber_id = '" + id + "'");
  }
  static std::string EventId(int n) {
    char id[40];
    std::snprintf(id, sizeof id, "99999999-0000-4000-8000-%012d", n);
    return id;
  }
};

TEST_F(WatchLimitsTest, CapsPerSubscriberAndInTotalRefuseWithResourceExhaustedAfterAuthentication) {
  ServingReplica r("caps", {"--watch-max-streams", "8"});  // the per-subscriber cap keeps its default, 5
  ASSERT_TRUE(r.ready);
  const std::string field = "Kiểm soát thủ tục hành chính";
  for (const char* id : {"CAP-A", "CAP-B"}) {
    CreateSubscriber(id, "SGDĐT-TCCB", "");
    SubscribeToCchcDocuments(id, {nv1::INBOX}, field);
  }
  ProduceDocumentPublished(EventId(301), "931/KH-SGDĐT", field);
  ASSERT_TRUE(WaitFor([&] { return InboxCount("CAP-A") == "1" && InboxCount("CAP-B") == "1"; }, seconds(15)));

  // Each stream reads the one notification once it is open (owned, its subscriber's slot taken).
  std::vector<std::unique_ptr<Held>> a, b;
  for (int i = 0; i < 5; ++i) a.push_back(HoldOpen(*r.stub, kTccb, "CAP-A"));
  auto status = Refused(*r.stub, kTccb, "CAP-A");
  EXPECT_EQ(status.error_code(), grpc::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(status.error_message(),
            "at most 5 Watch streams of subscribers/CAP-A may be open at once on a server "
            "(--watch-max-streams-per-subscriber)");

  for (int i = 0; i < 3; ++i) b.push_back(HoldOpen(*r.stub, kTccb, "CAP-B"));
  status = Refused(*r.stub, kTccb, "CAP-B");  // CAP-B has room, the server has none
  EXPECT_EQ(status.error_code(), grpc::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(status.error_message(), "at most 8 Watch streams may be open at once on a server (--watch-max-streams)");
  // Authentication comes before the cap: a caller without a token learns nothing of the server's load.
  EXPECT_EQ(Refused(*r.stub, "", "CAP-B").error_code(), grpc::UNAUTHENTICATED);

  // The refusals disturbed none of the open streams; one that ends gives its slots back.
  for (auto& h : a) EXPECT_FALSE(h->ended) << h->status.error_message();
  for (auto& h : b) EXPECT_FALSE(h->ended) << h->status.error_message();
  a[0].reset();  // cancelled
  auto again = HoldOpen(*r.stub, kTccb, "CAP-A");
  EXPECT_EQ(again->got, 1);
}

TEST_F(WatchLimitsTest, AStreamEndsAtItsMaximumAgeAndClientsResumeFromTheCursorNothingLostNothingTwice) {
  ServingReplica r("age", {"--watch-max-age-ms", "1500"});
  ASSERT_TRUE(r.ready);
  const std::string field = "Tuyển dụng viên chức";
  CreateSubscriber("AGE", "SGDĐT-TCCB", "");
  SubscribeToCchcDocuments("AGE", {nv1::INBOX}, field);
  constexpr int kEvents = 24;

  // Two clients: the fixture's Watch helper and cchcctl, both resuming on their own.
  Process cchcctl(
      {BinaryPath("cchcctl"), "--token", kTccb, "notify", "inbox", "watch", "AGE", "--notification-address", r.address},
      dir_->Path() + "/cchcctl-watch.log");
  int resumed = 0;
  auto watched = std::async(std::launch::async,
                            [&] { return Watch(kTccb, "AGE", 0, kEvents, seconds(30), &resumed, r.stub.get()); });
  std::set<std::string> produced;
  for (int i = 0; i < kEvents; ++i) {  // over ~5 s: three maximum ages or more
    produced.insert(EventId(400 + i));
    ProduceDocumentPublished(EventId(400 + i), std::to_string(940 + i) + "/KH-SGDĐT", field);
    std::this_thread::sleep_for(milliseconds(200));
  }
  auto got = watched.get();
  ASSERT_EQ(got.size(), static_cast<size_t>(kEvents));
  std::set<std::string> seen;
  for (size_t i = 0; i < got.size(); ++i) {
    seen.insert(got[i].event_id());
    if (i > 0) {
      EXPECT_GT(got[i].cursor(), got[i - 1].cursor()) << "a notification twice or out of order";
    }
  }
  EXPECT_EQ(seen, produced) << "a notification lost or twice";
  EXPECT_GE(resumed, 2) << "the streams did not end at their maximum age";
  EXPECT_EQ(InboxCount("AGE"), std::to_string(kEvents));

  // cchcctl printed each notification once, in cursor order, across the streams it resumed.
  std::vector<int64_t> printed;
  int resumptions = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        std::istringstream log(cchcctl.Log());
        printed.clear();
        resumptions = 0;
        std::string line;
        std::smatch m;
        static const std::regex row("^#([0-9]+) ");
        while (std::getline(log, line)) {
          if (std::regex_search(line, m, row)) printed.push_back(std::stoll(m[1]));
          if (line.find("(--watch-max-age-ms); resume from the last cursor), resuming after #") != std::string::npos)
            ++resumptions;
        }
        return printed.size() >= static_cast<size_t>(kEvents);
      },
      seconds(10)))
      << cchcctl.Log();
  EXPECT_EQ(printed.size(), static_cast<size_t>(kEvents)) << cchcctl.Log();
  for (size_t i = 1; i < printed.size(); ++i) EXPECT_GT(printed[i], printed[i - 1]) << cchcctl.Log();
  EXPECT_EQ(printed.front(), got.front().cursor());
  EXPECT_EQ(printed.back(), got.back().cursor());
  EXPECT_GE(resumptions, 2) << cchcctl.Log();
}

TEST_F(WatchLimitsTest, AnOpenStreamLosesAccessWhenItsSubscriberMovesToAnotherUnit) {
  // Short idle checks, so that a change this replica was not told of is found at the stream's next wake.
  ServingReplica r("moves", {"--watch-idle-check-ms", "200", "--watch-idle-check-max-ms", "400"});
  ASSERT_TRUE(r.ready);
  const std::string field = "Thanh tra";
  for (const char* id : {"MOVES-API", "MOVES-SQL"}) {
    CreateSubscriber(id, "SGDĐT-TCCB", "");
    SubscribeToCchcDocuments(id, {nv1::INBOX}, field);
  }
  ProduceDocumentPublished(EventId(501), "951/KH-SGDĐT", field);
  ASSERT_TRUE(WaitFor([&] { return InboxCount("MOVES-API") == "1" && InboxCount("MOVES-SQL") == "1"; }, seconds(15)));
  auto by_api = HoldOpen(*r.stub, kTccb, "MOVES-API"), by_sql = HoldOpen(*r.stub, kTccb, "MOVES-SQL");

  // Through the API of this replica: its streams look at once.
  nv1::UpdateSubscriberRequest update;
  update.mutable_subscriber()->set_name("subscribers/MOVES-API");
  update.mutable_subscriber()->set_unit("SNV");
  update.mutable_update_mask()->add_paths("unit");
  nv1::Subscriber updated;
  auto moved = Clock::now();
  ASSERT_TRUE(r.stub->UpdateSubscriber(Context(kAdmin).get(), update, &updated).ok());
  ASSERT_TRUE(WaitFor([&] { return by_api->ended.load(); }, seconds(5)));
  EXPECT_LT(Clock::now() - moved, seconds(2));
  by_api->thread.join();
  EXPECT_EQ(by_api->status.error_code(), grpc::PERMISSION_DENIED) << by_api->status.error_message();
  EXPECT_EQ(by_api->status.error_message(), "parent: subscribers/MOVES-API belongs to another unit than SGDĐT-TCCB");

  // As another replica would change it (this one not told): the stream finds out at its next idle wake.
  Sql("UPDATE notification.subscribers SET unit = 'SNV' WHERE id = 'MOVES-SQL'");
  ASSERT_TRUE(WaitFor([&] { return by_sql->ended.load(); }, seconds(5)));
  by_sql->thread.join();
  EXPECT_EQ(by_sql->status.error_code(), grpc::PERMISSION_DENIED) << by_sql->status.error_message();

  // A notification after the move reaches the new unit's reader, never the old one's streams.
  ProduceDocumentPublished(EventId(502), "952/KH-SGDĐT", field);
  ASSERT_TRUE(WaitFor([&] { return InboxCount("MOVES-API") == "2" && InboxCount("MOVES-SQL") == "2"; }, seconds(15)));
  EXPECT_EQ(by_api->got, 1);
  EXPECT_EQ(by_sql->got, 1);
  for (const char* id : {"MOVES-API", "MOVES-SQL"}) {
    EXPECT_EQ(Refused(*r.stub, kTccb, id).error_code(), grpc::PERMISSION_DENIED) << id;
    auto now_theirs = Watch(kOther, id, 0, 2, seconds(10), nullptr, r.stub.get());
    ASSERT_EQ(now_theirs.size(), 2u) << id;
    EXPECT_EQ(now_theirs[0].event_id(), EventId(501));
    EXPECT_EQ(now_theirs[1].event_id(), EventId(502));
  }
}

}  // namespace
}  // namespace cchc::testing
