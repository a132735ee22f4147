// The relay's upkeep beside its publishing loop (outbox.cc): its producer (made, shared with the readiness
// check, replaced after a fatal error), events the broker refuses for good parked, the backlog gauges, old
// rows deleted.
#include <chrono>
#include <vector>

#include "log.h"
#include "outbox.h"

namespace cchc::outbox {

kafka::Handle Relay::NewProducer() {
  // No linger: a committed event goes out at once (rows that wait together still share a request).
  kafka::Properties properties{{"linger.ms", "0"}};
  for (const auto& [k, v] : options_.kafka_properties) properties[k] = v;
  return kafka::MakeProducer(options_.brokers, properties, &Relay::OnDelivery, this, &Relay::OnError);
}

rd_kafka_t* Relay::Producer() {
  std::lock_guard lock(producer_mu_);
  return producer_.get();
}

bool Relay::BrokerReachable(int timeout_ms) {
  std::shared_ptr<rd_kafka_t> producer;
  {
    std::lock_guard lock(producer_mu_);
    producer = producer_;
  }
  return producer && kafka::ClusterReachable(producer.get(), timeout_ms);
}

void Relay::OnError(rd_kafka_t* rk, int err, const char* reason, void*) {
  // Runs in rd_kafka_poll, on the relay's thread. A fatal error is acted on by the loop (rd_kafka_fatal_error);
  // the others are the broker's connection coming and going, which librdkafka retries by itself.
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char fatal[512];
    rd_kafka_fatal_error(rk, fatal, sizeof fatal);
    log::Error("outbox producer: fatal error", {{"error", fatal}});
  } else {
    log::Warn("outbox producer: broker error", {{"error", rd_kafka_err2str(code)}, {"reason", reason}});
  }
}

void Relay::Park(pqxx::connection& session, int64_t seq, const Delivery& d, rd_kafka_resp_err_t err) {
  std::string error = std::string(rd_kafka_err2name(err)) + ": " + rd_kafka_err2str(err);
  pqxx::nontransaction tx(session);
  tx.exec_prepared("outbox_park", seq, error);
  errors_.Increment();
  failed_.Increment();
  log::Error(
      "outbox event parked: the broker will not take it; later events of its aggregate wait behind it "
      "(cchcctl outbox list|retry|discard)",
      {{"event_id", d.event_id},
       {"event_type", d.type},
       {"topic", d.topic},
       {"aggregate_id", d.key},
       {"payload_bytes", std::to_string(d.bytes)},
       {"error", error}});
  last_backlog_update_ = {};  // the gauges show it at the next update
}

void Relay::RecreateProducer(pqxx::connection& session) {
  rd_kafka_t* old = producer_.get();
  char reason[512] = "";
  rd_kafka_fatal_error(old, reason, sizeof reason);
  // What the old producer had acknowledged is marked; the rest stays pending and goes out again, first, from
  // the new one (a copy the broker had already taken is a duplicate with the same ce_id: consumers dedupe).
  rd_kafka_poll(old, 0);
  std::vector<int64_t> acked;
  for (const auto& [seq, d] : in_flight_)
    if (d.done && d.err == RD_KAFKA_RESP_ERR_NO_ERROR) acked.push_back(seq);
  if (!acked.empty()) {
    pqxx::nontransaction tx(session);
    tx.exec_prepared("outbox_mark_published", db::IntArrayLiteral(acked));
    published_.Increment(static_cast<double>(acked.size()));
  }
  in_flight_.clear();
  failure_.clear();
  rd_kafka_purge(old, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(old, 0);  // the purged messages' reports, which find nothing in flight
  auto fresh = NewProducer();
  {
    std::lock_guard lock(producer_mu_);
    producer_ = std::move(fresh);
  }
  producer_restarts_.Increment();
  more_pending_ = true;
  log::Warn("outbox relay: replaced the producer after a fatal error; unacknowledged events go out again",
            {{"error", reason}, {"acknowledged_before", std::to_string(acked.size())}});
}

void Relay::UpdateBacklogMetrics(pqxx::connection& conn) {
  // A count over the pending rows, at most once a second (scrapes come every few seconds).
  auto now = std::chrono::steady_clock::now();
  if (now - last_backlog_update_ < std::chrono::seconds(1)) return;
  last_backlog_update_ = now;
  pqxx::nontransaction tx(conn);
  // Pending: what the relay may send; held: what waits behind a parked event of its aggregate.
  auto r = tx.exec(
      "SELECT count(*) FILTER (WHERE NOT held) AS pending, COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - "
      "min(created_at) FILTER (WHERE NOT held)), 0) AS oldest_age, count(*) FILTER (WHERE held) AS held, "
      "(SELECT count(*) FROM outbox WHERE parked_at IS NOT NULL AND published_at IS NULL AND discarded_at IS NULL) "
      "AS parked FROM (SELECT o.created_at, EXISTS (SELECT 1 FROM outbox p WHERE p.parked_at IS NOT NULL AND "
      "p.published_at IS NULL AND p.discarded_at IS NULL AND p.topic = o.topic AND p.aggregate_id = o.aggregate_id "
      "AND p.seq < o.seq) AS held FROM outbox o WHERE o.published_at IS NULL AND o.parked_at IS NULL AND "
      "o.discarded_at IS NULL) unsent");
  pending_.Set(r[0]["pending"].as<double>());
  oldest_age_.Set(r[0]["oldest_age"].as<double>());
  parked_.Set(r[0]["parked"].as<double>());
  held_.Set(r[0]["held"].as<double>());
}

void Relay::CleanupLoop() {
  using namespace std::chrono;
  // Its own thread, in chunks: a long DELETE between two batches held every event behind it.
  while (!stop_) {
    try {
      int deleted = 0;
      do {
        deleted = pool_.Run([&](pqxx::connection& c) {
          pqxx::work tx(c);
          auto r = tx.exec_params(
              // now(), not clock_timestamp(): a stable bound is an index condition on outbox_published; a
              // volatile one was a filter over every published row (0.6 s at 300,000 rows, each minute).
              "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE published_at < now() - "
              "make_interval(hours => $1) ORDER BY published_at LIMIT 1000)",
              static_cast<int>(options_.retention.count()));
          tx.commit();
          return static_cast<int>(r.affected_rows());
        });
      } while (deleted == 1000 && !stop_);
      // Discarded events (an operator's choice, rare) are kept as long as published ones, for the record.
      pool_.Run([&](pqxx::connection& c) {
        pqxx::work tx(c);
        tx.exec_params("DELETE FROM outbox WHERE discarded_at < now() - make_interval(hours => $1)",
                       static_cast<int>(options_.retention.count()));
        tx.commit();
      });
    } catch (const std::exception& e) {
      log::Warn("outbox cleanup: will retry", {{"error", e.what()}});
    }
    std::unique_lock lock(cleanup_mu_);
    cleanup_cv_.wait_for(lock, minutes(1), [&] { return stop_.load(); });
  }
}

}  // namespace cchc::outbox
