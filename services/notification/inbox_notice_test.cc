#include "inbox_notice.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

TEST(InboxNotice, NamesTheReplicaAndTheSubscribers) {
  auto notice = DecodeInboxNotice(EncodeInboxNotice("r1", {"PHÒNG-TCCB", "VP"}));
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->replica, "r1");
  EXPECT_FALSE(notice->all);
  EXPECT_EQ(notice->subscribers, (std::vector<std::string>{"PHÒNG-TCCB", "VP"}));
}

TEST(InboxNotice, TooManySubscribersToNameSayAll) {
  std::set<std::string> many;
  for (int i = 0; i < 1000; ++i) many.insert("subscriber-" + std::to_string(i));
  std::string payload = EncodeInboxNotice("r1", many);
  EXPECT_LE(payload.size(), kMaxNoticeBytes);
  auto notice = DecodeInboxNotice(payload);
  ASSERT_TRUE(notice);
  EXPECT_TRUE(notice->all);
  EXPECT_TRUE(notice->subscribers.empty());
}

TEST(InboxNotice, AnythingElseIsNotANotice) {
  for (const char* payload : {"", "x", "[]", "{}", R"({"replica":1})", R"({"replica":"r"})",
                              R"({"replica":"r","subscribers":"VP"})", R"({"replica":"r","subscribers":[1]})"})
    EXPECT_FALSE(DecodeInboxNotice(payload)) << payload;
}

}  // namespace
}  // namespace cchc::notification
