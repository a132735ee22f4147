#pragma once
// Recovery of deliveries (gửi lại): one delivery queued again whatever its state, or a subscriber's failures since
// a time. Each is one statement that makes rows pending and due now with a fresh attempt budget, keeping their id
// (so a webhook's id). Rows a worker holds (leased, mid-attempt) or another transaction locks are passed by:
// their attempt is under way. Refusals are cchc::DomainError (platform/domain_error.h).
#include <cstdint>
#include <string>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"

namespace cchc::notification {

// The statements RecoveryStore runs, for the pool to prepare.
std::vector<db::Statement> RecoveryStatements();

struct Recovered {
  int64_t count = 0;  // rows queued again
  bool more = false;  // the call reached its limit: others may remain
};

class RecoveryStore {
 public:
  explicit RecoveryStore(db::Pool& pool) : pool_(pool) {}

  // Delivery `id` pending and due now (a pending one: due now unless later than that already, its budget topped
  // up), with at least `budget` attempts left; a delivered or dead-lettered one loses its finish time. Returns
  // the delivery; kNotFound if absent.
  v1::Delivery Resend(const std::string& id, int budget);
  // Of subscriber `subscriber_id`, up to `limit` of the dead letters finished at or after `since_micros` (µs since
  // the epoch) and of the retries waiting (not leased, not yet due) after an attempt at or after it: pending and
  // due now, with at least `budget` attempts left.
  Recovered RecoverFailed(const std::string& subscriber_id, int64_t since_micros, int limit, int budget);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::notification
