#include "process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>

#include "platform/net.h"

namespace cchc::testing {
namespace {

TEST(FreePort, HandsOutEachPortOnceBelowTheEphemeralRangeSkippingOnesInUse) {
  int ephemeral_low = 0, ephemeral_high = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low >> ephemeral_high;
  ASSERT_GT(ephemeral_low, 0);
  std::set<int> seen;
  for (int i = 0; i < 50; ++i) {
    int port = FreePort();
    EXPECT_GE(port, 10000);
    EXPECT_LT(port, ephemeral_low) << "a port the kernel may give an outgoing connection";
    EXPECT_TRUE(seen.insert(port).second) << port << " handed out twice";
  }
  // Ports go out one after another: take the next one before FreePort does, and it is passed over.
  int before = FreePort();
  int held_port = 0;
  int held = -1;
  for (int candidate = before + 1; candidate < before + 10 && held < 0; ++candidate) {
    try {
      held = net::ListenTcp("127.0.0.1:" + std::to_string(candidate), &held_port);
    } catch (const std::exception&) {
      // in use already: try the one after
    }
  }
  ASSERT_GE(held, 0);
  int after = FreePort();
  EXPECT_NE(after, held_port);
  EXPECT_GT(after, held_port);
  close(held);
}

}  // namespace
}  // namespace cchc::testing
