#pragma once
// The fault suite's fixture: the scenario's phases, in the order the test runs them, and the state they share
// (what the writers saw acknowledged, what the Watch stream received, what each check found).
#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "system/system_stack.h"
#include "system/whole_system_faults_checks.h"
#include "system/whole_system_faults_workload.h"

namespace cchc::testing {

class WholeSystemFaultsTest : public WholeSystemTest {
 protected:
  void TearDown() override;  // stops writers still running when an assertion ended the test early

  // Before the faults, and the faults under a steady stream of writes (whole_system_faults_test.cc).
  void SubscribeTccbToCchcDocuments();  // TCCB's inbox and webhook, new "Cải cách hành chính" documents
  void PublishArticleWhoseViewsAreCounted();
  void StartWriters();
  void WatchTccbInbox();
  void LetWritersRun();
  void KillEachServiceInTurn();
  void TakeBrokersDownLongerThanMessageTimeout();
  void RestartPostgres();
  void StopWriters();  // and requires a write of each kind acknowledged

  // The checks (whole_system_faults_verify.cc); each adds the anomalies it found to anomalies_.
  void CheckAcknowledgedWritesStored();
  void WaitForOutboxesToDrain();
  void ReadDocumentAndNewsTopics();
  void CheckOneEventPerStoredChange();
  void CheckOneNotificationPerEvent();
  void CheckWebhookDeliveredEachEvent();
  void CheckViewsCounted();
  void CheckEditsStoredAndAnnouncedInOrder();
  void CheckWatchStreamSawEachOnce();
  void CheckNothingLostNothingTwice();  // prints the anomalies and what was checked; fails on any anomaly

  // The workload.
  std::string viewed_;  // the article whose views are counted
  Acknowledged acked_;
  std::atomic<bool> stop_writers_{false};
  std::vector<std::thread> writers_;
  InboxWatcher watcher_;

  // What the checks found.
  std::set<std::string> stored_docs_, stored_articles_, stored_units_;  // published documents and articles
  MessagesBySubject document_topic_, news_topic_;
  EventIdsBySubject doc_events_, article_events_;  // DocumentPublished, ArticlePublished
  size_t document_copies_ = 0, article_copies_ = 0;
  std::set<std::string> event_ids_;  // the DocumentPublished events the subscriber matches
  size_t notified_ = 0;
  int inbox_duplicates_ = 0;
  std::map<std::string, int> webhook_;  // deliveries by event id
  int webhook_copies_ = 0;
  int64_t view_count_ = 0;
  std::set<int64_t> inbox_cursors_;
  Anomalies anomalies_;
};

}  // namespace cchc::testing
