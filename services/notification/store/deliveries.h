#pragma once
// Webhook and e-mail deliveries (gửi thông báo ra ngoài) of notifications and digests, their attempts and dead
// letters. Rows are written by the consumer (store/inbox.h, store/digests.h) and worked by the delivery workers.
// Reads are single statements outside a transaction. Refusals are cchc::DomainError (platform/domain_error.h).
// Locking: deliveries are leased, never locked across the network. ClaimDue leases rows in one short transaction,
// the attempt runs with no transaction or pooled connection held, and RecordOutcome stores its outcome in another,
// locking the subscriber (FOR KEY SHARE) first, then the delivery (FOR UPDATE), then a digest's next days
// (store/README.md). A lease that passes (a crashed or stalled worker) makes the row claimable again: delivery is at
// least once, and a receiver dedupes a repeat by the delivery id.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"
#include "rules/send_windows.h"

namespace cchc::notification {

// The statements DeliveryStore runs, for the pool to prepare on every connection.
std::vector<db::Statement> DeliveryStatements();

// A delivery claimed for an attempt, with what it needs to send.
struct DueDelivery {
  std::string id, subscriber_id, display_name, email, webhook_url;
  std::vector<std::string> webhook_secrets;  // the current one, then the previous one while its grace lasts
  std::string claim_token;                   // this claim's; the outcome is recorded only while the row still holds it
  std::string traceparent;                   // the event's (migration 006); empty for a digest and older rows
  bool endpoint_health_row = false;     // the endpoint had failed (or was disabled) as claimed: a success must clear it
  std::string webhook_disabled_reason;  // why the endpoint is disabled (migration 009) as claimed; empty: enabled
  v1::Channel channel = v1::WEBHOOK;
  int attempt_count = 0, attempt_budget = 0;
  int lost_claims = 0;                  // earlier claims whose worker died or stalled before recording (migration 005)
  int64_t notification = 0;             // its cursor; 0 for a digest
  std::string digest_day;               // ISO, for a digest
  SendWindows windows;                  // the subscriber's (empty: always open)
  std::vector<v1::Notification> items;  // one, or a digest's as fixed at the claim (what the attempt sends)
};

// The outcome of one attempt, as RecordOutcome stores it.
struct AttemptOutcome {
  std::string outcome;  // delivered, retry, dead_letter
  int status_code = 0;
  std::string error;
  int64_t duration_ms = 0;
  std::optional<int64_t> next_micros;  // a retry's due time
  std::string response_body{};         // the first 4096 bytes of the answer's body (store/attempts.h)
  bool response_truncated = false;
};

struct RecordedOutcome {
  bool recorded = false;  // false: the claim was no longer this one's (lease passed and reclaimed, or deleted)
  int moved = 0;          // digest items moved to the next day's digest
};

class DeliveryStore {
 public:
  explicit DeliveryStore(db::Pool& pool) : pool_(pool) {}

  // Leases up to `limit` of the oldest deliveries due at `now` whose lease has passed and whose endpoint
  // (EndpointGate's name) is not in `passed_by`, for `lease` (longer than an attempt's time-out), and commits; oldest
  // due first, without their items (LoadItems). Subscribers being deleted are skipped.
  std::vector<DueDelivery> ClaimDue(std::chrono::milliseconds lease, const std::vector<std::string>& passed_by = {},
                                    int limit = 1, Clock::time_point now = Clock::now());
  // Hands claimed deliveries back unattempted, each while the claim is still its, due at its new time (µs since
  // the epoch): a delivery outside its subscriber's send windows waits for the next open instant.
  void Postpone(const std::vector<std::pair<DueDelivery, int64_t>>& waiting);
  // Reads each claimed delivery's items as committed now: its notification, or the digest's (what the attempt
  // sends; a digest's items attached later go to the next day's when it is recorded delivered).
  void LoadItems(std::vector<DueDelivery>& claimed);
  // Hands claimed deliveries back unattempted, each while the claim is still its: due as before, no attempt spent.
  void Unclaim(const std::vector<DueDelivery>& claimed);
  // The due deliveries of `endpoint` that no worker holds (and its retries due before then) wait, keeping their
  // order, `spacing_micros` apart from `until_micros` (µs since the epoch) on; no attempt spent. Returns how many.
  int64_t DeferEndpoint(const std::string& endpoint, int64_t until_micros, int64_t spacing_micros);
  // In one transaction, only while `d.claim_token` is still the row's: records the attempt and the delivery's new
  // state (delivered, retried at `next_micros`, or dead letter) and clears the lease; a delivered digest's later
  // items move to the next day's (created with `budget` attempts). Nothing is written otherwise.
  RecordedOutcome RecordOutcome(const DueDelivery& d, const AttemptOutcome& o, int budget);
  int64_t PendingCount();
  int64_t DeadLetterCount();

  // The delivery with its attempts; nullopt when absent.
  std::optional<v1::Delivery> Get(const std::string& id);
  // Dead letters newest first, after `after` (keyset on (finished_at µs, id)), at most `limit`; `keys` gets each
  // one's key.
  std::vector<v1::Delivery> ListDeadLetters(std::optional<std::pair<int64_t, std::string>> after, int limit,
                                            std::vector<std::pair<int64_t, std::string>>* keys);
  // Makes a dead letter pending again, due now, with `budget` more attempts and its lost claims forgotten.
  // kFailedPrecondition unless dead-lettered; kNotFound if absent.
  v1::Delivery RetryDeadLetter(const std::string& id, int budget);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::notification
