// The outbox's write path: an event's size checked, its row inserted in the caller's transaction, and this
// process's relays woken once that commits.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "cloudevents.h"
#include "domain_error.h"
#include "outbox.h"
#include "outbox_wakeups.h"
#include "trace_context.h"

namespace cchc::outbox {
namespace {

// The relays running in this process, by their wake-up eventfd. A commit that enqueued an event wakes them
// all (in practice one; a relay of another schema wakes for nothing and goes back to sleep).
class LocalRelays {
 public:
  void Add(int fd) {
    std::lock_guard lock(mu_);
    fds_.push_back(fd);
  }
  void Remove(int fd) {
    std::lock_guard lock(mu_);
    fds_.erase(std::remove(fds_.begin(), fds_.end(), fd), fds_.end());
  }
  void WakeAll() {
    std::lock_guard lock(mu_);
    for (int fd : fds_) WakeRelay(fd);
  }

 private:
  std::mutex mu_;
  std::vector<int> fds_;
};

LocalRelays& Relays() {
  static auto* relays = new LocalRelays;  // never destroyed: commits may end while the process exits
  return *relays;
}

}  // namespace

void AddLocalRelay(int wake_fd) {
  Relays().Add(wake_fd);
}

void RemoveLocalRelay(int wake_fd) {
  Relays().Remove(wake_fd);
}

void WakeRelay(int wake_fd) {
  uint64_t one = 1;
  // EAGAIN means the counter is full: the relay has a wake-up pending anyway.
  [[maybe_unused]] auto n = write(wake_fd, &one, sizeof one);
}

void WakeLocalRelays() {
  Relays().WakeAll();
}

namespace {

std::atomic<size_t> max_event_bytes{kDefaultMaxEventBytes};

// What each CloudEvents header adds beyond its value (name, record header framing), and the record's own
// framing, generously: the estimate must not fall below what the producer counts.
constexpr size_t kHeaderOverhead = 24;
constexpr size_t kRecordOverhead = 128;
constexpr size_t kUuidLength = 36;
constexpr size_t kTimeLength = 24;  // 2026-12-07T01:02:03.456Z

}  // namespace

void SetMaxEventBytes(size_t bytes) {
  max_event_bytes = bytes;
}

size_t EventBytes(const PendingEvent& e) {
  // The headers events::ToHeaders writes: ce_id, ce_source (at most a few dozen bytes), ce_specversion, ce_type,
  // ce_time, ce_subject, content-type, ce_traceparent.
  size_t headers = kUuidLength + 64 + 3 + e.type.size() + kTimeLength + e.subject.size() + 22 + trace::kHeaderLength +
                   8 * kHeaderOverhead;
  return e.payload.size() + e.aggregate_id.size() + headers + kRecordOverhead;
}

void CheckEventSize(const PendingEvent& e) {
  size_t bytes = EventBytes(e);
  size_t limit = max_event_bytes.load();
  if (bytes > limit)
    throw DomainError(DomainErrorKind::kFailedPrecondition,
                      "event: the " + e.type + " event of " + e.aggregate_id + " would be " + std::to_string(bytes) +
                          " bytes, over the " + std::to_string(limit) +
                          "-byte limit of an event (--max-event-bytes); nothing was written",
                      platform::v1::EVENT_TOO_LARGE);
}

const char* const kInsertColumns =
    "(event_id, topic, aggregate_type, aggregate_id, event_type, subject, payload, traceparent)";

std::vector<db::Statement> Statements() {
  return {{"outbox_insert",
           std::string("INSERT INTO outbox ") + kInsertColumns + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"}};
}

std::string TraceParentOfRow() {
  return trace::CurrentOrNew().ToHeader();
}

void WakeRelayAfterCommit() {
  // No NOTIFY: PostgreSQL serialises the commits of notifying transactions, WAL flush included, which
  // capped a service at a few hundred writes a second. The relay of this process is woken after the commit;
  // a relay that is not the publisher passes the wake-up on to the one that is.
  db::AfterCommit([] { WakeLocalRelays(); });
}

std::string Enqueue(pqxx::work& tx, const PendingEvent& e) {
  CheckEventSize(e);
  std::string id = events::NewUuid();
  pqxx::binarystring payload(e.payload.data(), e.payload.size());
  tx.exec_prepared("outbox_insert", id, e.topic, e.aggregate_type, e.aggregate_id, e.type, e.subject, payload,
                   TraceParentOfRow());
  WakeRelayAfterCommit();
  return id;
}

}  // namespace cchc::outbox
