#include "thread_name.h"

#include <gtest/gtest.h>

#include <thread>

namespace cchc {
namespace {

TEST(ThreadName, NamesTheCallingThreadOnlyAndKeepsLinuxsFifteenBytes) {
  std::string inside, longer;
  std::thread([&] {
    NameThisThread("outbox-relay");
    inside = ThisThreadName();
    NameThisThread("a-name-longer-than-fifteen-bytes");
    longer = ThisThreadName();
  }).join();
  EXPECT_EQ(inside, "outbox-relay");
  EXPECT_EQ(longer, "a-name-longer-t");
  EXPECT_NE(ThisThreadName(), "outbox-relay");
}

}  // namespace
}  // namespace cchc
