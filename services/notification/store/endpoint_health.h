#pragma once
// Endpoint health in storage (migration 009, table endpoint_health): each subscriber's webhook state
// (rules/endpoint_health.h), a row once it has failed.
// The delivery workers record every webhook attempt's success or failure (RecordAttempt) and disable an endpoint
// that answered 410 or `webhook-delivery: disable` (Disable); EnableWebhook turns one back on (Enable); a gauge
// counts endpoints per state (CountByState).
// Locking: a failure and a disable lock the endpoint's health row (FOR UPDATE, inserted first if missing: a KEY SHARE
// of the subscriber, as the consumer's foreign keys take), then a disable inserts the owner's notice into the
// subscriber's inbox, taking the inbox lock (store/inbox.h), with an e-mail delivery of it when the subscriber has an
// address; one transaction.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/notification/v1/notification.pb.h"
#include "platform/db.h"
#include "rules/endpoint_health.h"

namespace cchc::notification {

std::vector<db::Statement> EndpointHealthStatements();

// What the owner's inbox notice of a disabled endpoint is written with.
struct DisableNotice {
  std::string replica;     // this process (inbox_notice.h)
  std::string source;      // this service, as a CloudEvents source
  int attempt_budget = 8;  // of the e-mail delivery
};

class EndpointHealthStore {
 public:
  EndpointHealthStore(db::Pool& pool, HealthOptions options, DisableNotice notice)
      : pool_(pool), options_(options), notice_(std::move(notice)) {}

  // Whether an endpoint is disabled is read with each claim (DueDelivery::webhook_disabled_reason), not here.
  // The endpoint's state name (HealthStateName) and, when disabled, why; nullopt when the subscriber is absent.
  std::optional<std::pair<std::string, std::string>> View(const std::string& subscriber_id);
  // Records an attempt's outcome (now, the database's clock); true when its failure disabled the endpoint (the
  // owner is then told).
  bool RecordAttempt(const std::string& subscriber_id, bool succeeded);
  // Disables the endpoint for `reason` and tells the owner; false when already disabled or absent.
  bool Disable(const std::string& subscriber_id, const std::string& reason);
  // Enables the endpoint again with a fresh health; false when absent.
  bool Enable(const std::string& subscriber_id);
  // Subscribers with a webhook, by health state name (every state present, zero when none).
  std::map<std::string, int64_t> CountByState();

 private:
  // In `tx`, the subscriber locked: the disable's writes and the owner's notice.
  void DisableIn(pqxx::work& tx, const std::string& subscriber_id, const std::string& reason);

  db::Pool& pool_;
  HealthOptions options_;
  DisableNotice notice_;
};

}  // namespace cchc::notification
