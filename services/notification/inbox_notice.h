#pragma once
// Replicas tell each other whose inbox grew. The consumer's insert of notifications queues a NOTIFY on
// kInboxChannel (delivered when its transaction commits) naming the replica and the subscribers; every
// replica listens (InboxListener) and wakes its Watch streams of those subscribers, so a stream on one
// replica learns of rows another replica wrote without waiting for its idle re-check.
//
// Notifying transactions commit one at a time cluster-wide (PostgreSQL holds a lock from the NOTIFY to the
// end of the commit). These ones already do: they hold the inbox lock until they end.
#include <atomic>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "platform/db.h"
#include "watch_hub.h"

namespace cchc::notification {

inline constexpr const char* kInboxChannel = "cchc_notification_inbox";

struct InboxNotice {
  std::string replica;                   // who wrote the rows (its own notices change nothing for it)
  bool all = false;                      // too many subscribers to name: every stream looks again
  std::vector<std::string> subscribers;  // when not `all`
};

// The NOTIFY payload for `subscribers` (JSON), at most kMaxNoticeBytes: past that it says `all`.
std::string EncodeInboxNotice(const std::string& replica, const std::set<std::string>& subscribers);
std::optional<InboxNotice> DecodeInboxNotice(const std::string& payload);  // nullopt: not a notice
inline constexpr size_t kMaxNoticeBytes = 7000;                            // PostgreSQL allows 8000

// Listens on kInboxChannel from a dedicated connection and bumps `hub` for what other replicas wrote. After
// a lost connection it reconnects and wakes every stream (notices may have been missed meanwhile).
class InboxListener {
 public:
  InboxListener(db::Pool& pool, WatchHub& hub, std::string replica);
  ~InboxListener() { Stop(); }
  void Start();
  void Stop();

 private:
  void Loop();
  db::Pool& pool_;
  WatchHub& hub_;
  const std::string replica_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cchc::notification
