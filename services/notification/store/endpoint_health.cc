#include "store/endpoint_health.h"

#include <nlohmann/json.hpp>

#include "platform/trace_context.h"
#include "store/inbox.h"
#include "store/subscriptions.h"

namespace cchc::notification {
namespace {

const std::string kStateSql =
    "CASE WHEN h.disabled_at IS NOT NULL THEN 'disabled' WHEN h.unhealthy_since IS NOT NULL THEN 'unhealthy' WHEN "
    "h.failing_since IS NOT NULL THEN 'failing' ELSE 'healthy' END";

// View.
const db::Statement kView{"endpoint_health_view",
                          "SELECT " + kStateSql +
                              " AS state, COALESCE(h.disabled_reason, '') AS reason FROM subscribers s LEFT JOIN "
                              "endpoint_health h ON h.subscriber_id = s.id WHERE s.id = $1"};
// RecordAttempt, a success: healthy again (a disabled endpoint's row stays).
const db::Statement kHealthy{"endpoint_healthy",
                             "DELETE FROM endpoint_health WHERE subscriber_id = $1 AND disabled_at IS NULL"};
// RecordAttempt (a failure), Disable: the row, made if missing while the subscriber exists, then locked.
const db::Statement kEnsure{"endpoint_health_ensure",
                            "INSERT INTO endpoint_health (subscriber_id) SELECT id FROM subscribers WHERE id = $1 "
                            "ON CONFLICT (subscriber_id) DO NOTHING"};
const db::Statement kLock{
    "endpoint_health_lock",
    "SELECT " + db::EpochMicros("failing_since") + " AS failing_us, " + db::EpochMicros("unhealthy_since") +
        " AS unhealthy_us, disabled_at IS NOT NULL AS disabled, " + db::EpochMicros("clock_timestamp()") +
        " AS now_us FROM endpoint_health WHERE subscriber_id = $1 FOR UPDATE"};
// RecordAttempt: $2, $3 the new times (µs, NULL: none).
const db::Statement kStore{"endpoint_health_store",
                           "UPDATE endpoint_health SET failing_since = " + db::FromEpochMicros("$2::bigint") +
                               ", unhealthy_since = " + db::FromEpochMicros("$3::bigint") +
                               " WHERE subscriber_id = $1"};
// DisableIn: the row is locked; returns the subscriber's addresses for the notice.
const db::Statement kDisable{
    "endpoint_disable",
    "WITH d AS (UPDATE endpoint_health SET disabled_at = clock_timestamp(), disabled_reason = $2 WHERE subscriber_id "
    "= $1 AND disabled_at IS NULL RETURNING subscriber_id, " +
        db::EpochMicros("disabled_at") +
        " AS at_us) SELECT s.display_name, s.email, s.webhook_url, d.at_us FROM d JOIN subscribers s ON s.id = "
        "d.subscriber_id"};
// Enable.
const db::Statement kEnable{"endpoint_enable",
                            "WITH e AS (DELETE FROM endpoint_health WHERE subscriber_id = $1) SELECT count(*) AS n "
                            "FROM subscribers WHERE id = $1"};
// CountByState.
const db::Statement kCounts{"endpoint_health_counts",
                            "SELECT " + kStateSql +
                                " AS state, count(*) AS n FROM subscribers s LEFT JOIN endpoint_health h ON "
                                "h.subscriber_id = s.id WHERE s.webhook_url <> '' GROUP BY 1"};

std::optional<int64_t> OptionalMicros(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int64_t>();
}

}  // namespace

std::vector<db::Statement> EndpointHealthStatements() {
  return {kView, kHealthy, kEnsure, kLock, kStore, kDisable, kEnable, kCounts};
}

std::optional<std::pair<std::string, std::string>> EndpointHealthStore::View(const std::string& subscriber_id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<std::pair<std::string, std::string>> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kView.name, subscriber_id);
        if (r.empty()) return std::nullopt;
        return std::make_pair(r[0]["state"].as<std::string>(), r[0]["reason"].as<std::string>());
      },
      true);
}

bool EndpointHealthStore::RecordAttempt(const std::string& subscriber_id, bool succeeded) {
  if (succeeded) {
    pool_.Run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec_prepared(kHealthy.name, subscriber_id);
    });
    return false;
  }
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(kEnsure.name, subscriber_id);
    auto r = tx.exec_prepared(kLock.name, subscriber_id);
    if (r.empty()) return false;  // the subscriber is gone
    EndpointHealth h{OptionalMicros(r[0]["failing_us"]), OptionalMicros(r[0]["unhealthy_us"]),
                     r[0]["disabled"].as<bool>()};
    HealthStep step = AfterAttempt(h, false, r[0]["now_us"].as<int64_t>(), options_);
    tx.exec_prepared(kStore.name, subscriber_id, step.next.failing_since, step.next.unhealthy_since);
    if (step.disable_now) {
      const int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(options_.disable_after).count();
      DisableIn(tx, subscriber_id,
                "every attempt failed for " +
                    (seconds >= 3600 ? std::to_string(seconds / 3600) + " h" : std::to_string(seconds) + " s") +
                    " after failures spread over " +
                    std::to_string(std::chrono::duration_cast<std::chrono::seconds>(options_.spread).count()) + " s");
    }
    tx.commit();
    return step.disable_now;
  });
}

bool EndpointHealthStore::Disable(const std::string& subscriber_id, const std::string& reason) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(kEnsure.name, subscriber_id);
    auto r = tx.exec_prepared(kLock.name, subscriber_id);
    if (r.empty() || r[0]["disabled"].as<bool>()) return false;
    DisableIn(tx, subscriber_id, reason);
    tx.commit();
    return true;
  });
}

void EndpointHealthStore::DisableIn(pqxx::work& tx, const std::string& subscriber_id, const std::string& reason) {
  auto r = tx.exec_prepared(kDisable.name, subscriber_id, reason);
  if (r.empty()) return;
  const std::string display_name = r[0]["display_name"].as<std::string>();
  const std::string email = r[0]["email"].as<std::string>();
  const std::string url = r[0]["webhook_url"].as<std::string>();
  const int64_t at = r[0]["at_us"].as<int64_t>();
  NewNotification n;
  n.subscriber_id = subscriber_id;
  n.event_source = notice_.source;
  n.event_id = "endpoint-disabled-" + subscriber_id + "-" + std::to_string(at);
  n.event_type = "cchc.notification.v1.EndpointDisabled";
  n.subject = "subscribers/" + subscriber_id;
  n.title = "Webhook của " + display_name + " đã bị tắt (" + reason + "); bật lại: EnableWebhook";
  n.link = "";
  n.data_json =
      nlohmann::json{{"subscriber", "subscribers/" + subscriber_id}, {"webhook_url", url}, {"reason", reason}}.dump();
  n.event_time_micros = at;
  std::vector<NewDelivery> deliveries;
  if (!email.empty())
    deliveries.push_back({subscriber_id, n.event_source, n.event_id, v1::EMAIL, at, trace::CurrentOrNew().ToHeader()});
  // The subscriptions' version as committed now: a change committed between this read and the insert makes the
  // insert write nothing (InboxStore::Insert), so read it again.
  for (int tries = 0; tries < 5; ++tries) {
    int64_t version = SubscriptionStore::Version(tx, false);
    if (InboxStore::Insert(tx, {n}, deliveries, notice_.attempt_budget, notice_.replica, version).subscriptions_current)
      return;
  }
  throw std::runtime_error("the subscriptions kept changing while the disabled endpoint's notice was written");
}

bool EndpointHealthStore::Enable(const std::string& subscriber_id) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kEnable.name, subscriber_id);
    tx.commit();
    return r[0]["n"].as<int64_t>() > 0;
  });
}

std::map<std::string, int64_t> EndpointHealthStore::CountByState() {
  std::map<std::string, int64_t> out;
  for (auto s : {HealthState::kHealthy, HealthState::kFailing, HealthState::kUnhealthy, HealthState::kDisabled})
    out[HealthStateName(s)] = 0;
  pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        for (const auto& row : tx.exec_prepared(kCounts.name))
          out[row["state"].as<std::string>()] = row["n"].as<int64_t>();
      },
      true);
  return out;
}

}  // namespace cchc::notification
