// The gRPC server limits every service gets from ServiceHost, tried on the notification service over real
// PostgreSQL: past --grpc-max-threads a synchronous call gets RESOURCE_EXHAUSTED at once (the others finish);
// a connection past --grpc-max-connection-age-ms is closed and its client reconnects without a failed call; a
// client pinging more often than --grpc-min-client-ping-ms is sent away, and only that client. Flags other than
// the defaults go to a replica of the test's own (serving_replica.h).
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <atomic>
#include <future>

#include "notification_suite.h"
#include "serving_replica.h"

namespace cchc::testing {
namespace {

class ServerLimitsTest : public NotificationTest {
 protected:
  static grpc::Status GetSubscriber(nv1::NotificationService::Stub& stub, const std::string& id) {
    nv1::GetSubscriberRequest req;
    req.set_name("subscribers/" + id);
    nv1::Subscriber out;
    return stub.GetSubscriber(Context(kTccb, 10).get(), req, &out);
  }
};

TEST_F(ServerLimitsTest, PastTheThreadLimitASynchronousCallGetsResourceExhaustedAtOnce) {
  ServingReplica r("threads", {"--grpc-threads", "1", "--grpc-max-threads", "2"});
  ASSERT_TRUE(r.ready);
  CreateSubscriber("THREADS", "SGDĐT-TCCB", "");
  // The subscribers table locked for 2 s: a GetSubscriber holds its thread until then.
  auto locker = std::async(std::launch::async, [] {
    return Sql("BEGIN; LOCK TABLE notification.subscribers IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2); COMMIT;");
  });
  ASSERT_TRUE(WaitFor(
      [&] {
        if (locker.wait_for(seconds(0)) == std::future_status::ready) return true;  // failed: get() says why
        return Sql("SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock' AND relation = "
                   "'notification.subscribers'::regclass") != "0";
      },
      seconds(10)));
  ASSERT_NE(locker.wait_for(seconds(0)), std::future_status::ready) << "the lock ended early: " << locker.get();
  constexpr int kCalls = 12;
  std::vector<std::future<std::pair<grpc::Status, Clock::duration>>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(std::async(std::launch::async, [&r] {
      auto started = Clock::now();
      auto status = GetSubscriber(*r.stub, "THREADS");
      return std::make_pair(status, Clock::now() - started);
    }));
    std::this_thread::sleep_for(milliseconds(20));
  }
  int ok = 0, exhausted = 0;
  std::string message;  // gRPC's own: the refusal comes before any handler or interceptor
  for (auto& c : calls) {
    auto [status, took] = c.get();
    if (status.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(status.error_code(), grpc::RESOURCE_EXHAUSTED) << status.error_message();
      EXPECT_LT(took, seconds(1)) << "refused only after waiting";
      exhausted += status.error_code() == grpc::RESOURCE_EXHAUSTED;
      message = status.error_message();
    }
  }
  locker.get();
  std::cout << kCalls << " calls on a table locked for 2 s, at most 2 threads: " << ok << " OK, " << exhausted
            << " RESOURCE_EXHAUSTED (\"" << message << "\")\n";
  EXPECT_GE(ok, 1);
  EXPECT_GE(exhausted, 1);
  EXPECT_EQ(ok + exhausted, kCalls);
  auto after = GetSubscriber(*r.stub, "THREADS");
  EXPECT_TRUE(after.ok()) << "threads are free again: " << after.error_message();
}

TEST_F(ServerLimitsTest, AConnectionPastItsMaximumAgeIsClosedAndTheClientReconnectsWithoutAFailedCall) {
  ServingReplica r("conn-age", {"--grpc-max-connection-age-ms", "500", "--grpc-max-connection-age-grace-ms", "1000"});
  ASSERT_TRUE(r.ready);
  CreateSubscriber("AGED-CONN", "SGDĐT-TCCB", "");
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection of its own
  auto channel = grpc::CreateCustomChannel(r.address, grpc::InsecureChannelCredentials(), args);
  auto stub = nv1::NotificationService::NewStub(channel);
  ASSERT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + seconds(5)));

  // Every change of the channel's state, as it happens.
  std::atomic<bool> stop{false};
  std::atomic<int> left_ready{0};
  std::thread watcher([&] {
    auto state = channel->GetState(false);
    while (!stop) {
      if (!channel->WaitForStateChange(state, std::chrono::system_clock::now() + milliseconds(100))) continue;
      auto now = channel->GetState(false);
      if (state == GRPC_CHANNEL_READY && now != GRPC_CHANNEL_READY) ++left_ready;
      state = now;
    }
  });
  int calls = 0, failed = 0;
  auto end = Clock::now() + seconds(3);
  while (Clock::now() < end) {
    auto status = GetSubscriber(*stub, "AGED-CONN");
    ++calls;
    if (!status.ok()) {
      ++failed;
      ADD_FAILURE() << status.error_code() << " " << status.error_message();
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  stop = true;
  watcher.join();
  std::cout << calls << " calls in 3 s, connection age 500 ms: " << left_ready << " reconnections, " << failed
            << " failed\n";
  EXPECT_EQ(failed, 0);
  EXPECT_GE(calls, 50);
  EXPECT_GE(left_ready.load(), 3) << "the server did not close the aged connection";
}

TEST_F(ServerLimitsTest, AClientPingingTooOftenIsSentAwayAndOnlyThatClient) {
  CreateSubscriber("PINGS", "SGDĐT-TCCB", "");
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 200);  // the server allows one each 10 s (--grpc-min-client-ping-ms)
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  auto pinger =
      nv1::NotificationService::NewStub(grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args));
  auto watch = [](nv1::NotificationService::Stub& stub, grpc::ClientContext& ctx) {
    ctx.AddMetadata("authorization", std::string("Bearer ") + kTccb);
    ctx.set_deadline(std::chrono::system_clock::now() + seconds(20));
    nv1::WatchNotificationsRequest req;
    req.set_parent("subscribers/PINGS");
    auto reader = stub.WatchNotifications(&ctx, req);
    nv1::Notification n;
    while (reader->Read(&n)) {
    }
    return reader->Finish();
  };
  grpc::ClientContext pinging_ctx, quiet_ctx;
  std::atomic<bool> quiet_ended{false};
  auto quiet = std::async(std::launch::async, [&] {
    auto status = watch(Stub(), quiet_ctx);
    quiet_ended = true;
    return status;
  });
  auto started = Clock::now();
  auto status = watch(*pinger, pinging_ctx);
  auto took = Clock::now() - started;
  std::cout << "a client pinging each 200 ms was sent away after "
            << std::chrono::duration_cast<milliseconds>(took).count() << " ms\n";
  EXPECT_EQ(status.error_code(), grpc::UNAVAILABLE) << status.error_message();
  EXPECT_LT(took, seconds(10)) << "the server let the pings go on";
  // The other client's stream, on its own connection, is still open.
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_FALSE(quiet_ended);
  quiet_ctx.TryCancel();
  EXPECT_EQ(quiet.get().error_code(), grpc::CANCELLED);
}

}  // namespace
}  // namespace cchc::testing
