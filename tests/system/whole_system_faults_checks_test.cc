// The fault suite's anomaly counting on hand-made data (no services): one lost write, one duplicate event, one
// out-of-order pair, each counted once.
#include "system/whole_system_faults_checks.h"

#include <gtest/gtest.h>

namespace cchc::testing {
namespace {

ConsumedMessage Event(const std::string& subject, const std::string& type, const std::string& id) {
  ConsumedMessage m;
  m.key = subject;
  m.headers = {{"ce_subject", subject}, {"ce_type", type}, {"ce_id", id}};
  return m;
}

constexpr const char* kPublished = "cchc.document.v1.DocumentPublished";
constexpr const char* kUpdated = "cchc.document.v1.DocumentUpdated";

TEST(WholeSystemFaultsChecksTest, LinesSkipsEmptyOnes) {
  EXPECT_EQ(Lines("documents/a\n\ndocuments/b\n"), (std::set<std::string>{"documents/a", "documents/b"}));
  EXPECT_TRUE(Lines("").empty());
}

TEST(WholeSystemFaultsChecksTest, OneLostWrite) {
  EXPECT_EQ(CountLost({"documents/a", "documents/b", "documents/c"}, {"documents/a", "documents/c", "documents/x"}),
            1u);
  EXPECT_EQ(CountLost({}, {"documents/a"}), 0u);
  EXPECT_EQ(CountLostEdits({{"documents/a", "sửa đổi"}, {"documents/b", "sửa đổi"}},
                           {{"documents/a", "sửa đổi\n"}, {"documents/b", "bản gốc\n"}}),
            1);
}

TEST(WholeSystemFaultsChecksTest, OneDuplicateEventAndOneResentCopy) {
  MessagesBySubject topic;
  topic["documents/a"] = {Event("documents/a", kPublished, "e1"), Event("documents/a", kPublished, "e1")};
  topic["documents/b"] = {Event("documents/b", kPublished, "e2"), Event("documents/b", kPublished, "e3"),
                          Event("documents/b", kUpdated, "e4")};
  size_t copies = 0;
  EventIdsBySubject events = EventIdsOfType(topic, kPublished, &copies);
  EXPECT_EQ(copies, 1u);  // e1 twice: the same event resent, not a duplicate
  EXPECT_EQ(events["documents/a"], (std::set<std::string>{"e1"}));
  EXPECT_EQ(events["documents/b"], (std::set<std::string>{"e2", "e3"}));
  EventAnomalies a = CountEventAnomalies({"documents/a", "documents/b", "documents/c"}, events);
  EXPECT_EQ(a.duplicates, 1u);  // documents/b published twice
  EXPECT_EQ(a.unseen, 1u);      // documents/c never announced
}

TEST(WholeSystemFaultsChecksTest, InboxDuplicateAndMissingNotification) {
  InboxAnomalies a = CountInboxAnomalies({{"e1", 1}, {"e2", 2}}, {"e1", "e2", "e3"});
  EXPECT_EQ(a.duplicates, 1);
  EXPECT_EQ(a.missing, 1u);
}

TEST(WholeSystemFaultsChecksTest, OneOutOfOrderPairOnTheTopic) {
  MessagesBySubject topic;
  topic["documents/a"] = {Event("documents/a", kPublished, "e1"), Event("documents/a", kUpdated, "e2")};
  topic["documents/b"] = {Event("documents/b", kUpdated, "e4"), Event("documents/b", kPublished, "e3")};
  EXPECT_EQ(CountUpdatedBeforePublished(topic), 1);
  EXPECT_EQ(CountUnannouncedEdits({{"documents/a", "x"}, {"documents/b", "y"}, {"documents/c", "z"}}, topic), 1);
}

TEST(WholeSystemFaultsChecksTest, WatchStreamDuplicateOutOfOrderAndUnseen) {
  // 3 arrives twice (a duplicate, and not above the 3 before it); 2 after 5 is out of order; 6 never arrives.
  WatchAnomalies a = CountWatchAnomalies({1, 3, 3, 5, 2}, {1, 2, 3, 5, 6});
  EXPECT_EQ(a.duplicates, 1);
  EXPECT_EQ(a.nonmonotonic, 2);
  EXPECT_EQ(a.unseen, 1);
  WatchAnomalies clean = CountWatchAnomalies({1, 2, 5}, {1, 2, 5});
  EXPECT_EQ(clean.duplicates + clean.nonmonotonic + clean.unseen, 0);
}

TEST(WholeSystemFaultsChecksTest, WebhookDeliveriesPerEvent) {
  auto deliveries = CountWebhookDeliveries("{\"id\":\"e1\"}\n{\"id\":\"e1\"}\n{\"id\":\"e2\"}\n", {"e1", "e2", "e3"});
  EXPECT_EQ(deliveries, (std::map<std::string, int>{{"e1", 2}, {"e2", 1}}));
}

TEST(WholeSystemFaultsChecksTest, AnomalyLine) {
  EXPECT_EQ(AnomalyLine({}), "anomalies: lost writes 0, duplicates 0, unseen events 0, nonmonotonic order 0");
  Anomalies a{1, 2, 3, 4};
  EXPECT_EQ(a.Total(), 10u);
  EXPECT_EQ(AnomalyLine(a), "anomalies: lost writes 1, duplicates 2, unseen events 3, nonmonotonic order 4");
}

}  // namespace
}  // namespace cchc::testing
