#include "outbox.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <set>
#include <system_error>
#include <vector>

#include "cloudevents.h"
#include "errors.h"
#include "log.h"
#include "outbox_wakeups.h"
#include "thread_name.h"
#include "trace_context.h"

namespace cchc::outbox {

Relay::Relay(db::Pool& pool, RelayOptions options, metrics::Registry& registry)
    : pool_(pool),
      options_(std::move(options)),
      pending_(registry
                   .AddGauge("cchc_outbox_pending",
                             "Outbox events not yet acknowledged by the broker, parked and held ones apart")
                   .WithLabels({})),
      oldest_age_(registry
                      .AddGauge("cchc_outbox_oldest_pending_age_seconds",
                                "Age of the oldest outbox event not yet published (0 when none)")
                      .WithLabels({})),
      published_(
          registry.AddCounter("cchc_outbox_published_total", "Outbox events the broker acknowledged").WithLabels({})),
      errors_(
          registry
              .AddCounter("cchc_outbox_publish_errors_total",
                          "Outbox events the producer or the broker did not take (retried, or parked when permanent)")
              .WithLabels({})),
      failed_(registry
                  .AddCounter("cchc_outbox_failed_total",
                              "Outbox events parked after an error the broker will always give (too large, invalid)")
                  .WithLabels({})),
      producer_restarts_(
          registry.AddCounter("cchc_outbox_producer_restarts_total", "Producers replaced after a fatal error")
              .WithLabels({})),
      parked_(registry
                  .AddGauge("cchc_outbox_parked",
                            "Outbox events parked for an operator (cchcctl outbox list|retry|discard)")
                  .WithLabels({})),
      held_(registry.AddGauge("cchc_outbox_held", "Outbox events waiting behind a parked event of the same aggregate")
                .WithLabels({})),
      delay_(registry
                 .AddHistogram("cchc_outbox_publish_delay_seconds",
                               "From an event's outbox row to the broker's acknowledgement", {},
                               metrics::LatencyBuckets())
                 .WithLabels({})),
      leader_(registry.AddGauge("cchc_outbox_relay_leader", "1 when this replica's relay holds the publish lock")
                  .WithLabels({})) {
  producer_ = NewProducer();
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "outbox relay: eventfd");
}

Relay::~Relay() {
  Stop();
  producer_.reset();
  close(wake_fd_);
}

void Relay::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  // The message's opaque is its outbox seq: a report for a row no longer in flight (given up when the
  // session was lost, or at stop) finds nothing and changes nothing.
  auto* relay = static_cast<Relay*>(opaque);
  auto it = relay->in_flight_.find(static_cast<int64_t>(reinterpret_cast<intptr_t>(msg->_private)));
  if (it == relay->in_flight_.end()) return;
  it->second.done = true;
  it->second.err = msg->err;
  if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Up to the acknowledgement, not to this report's (later) turn: librdkafka times the message from its
    // produce call to the broker's answer.
    int64_t latency = rd_kafka_message_latency(msg);
    int64_t acked_micros = latency >= 0 ? it->second.produced_micros + latency : db::NowMicros();
    relay->delay_.Observe(static_cast<double>(std::max<int64_t>(0, acked_micros - it->second.created_micros)) / 1e6);
  }
}

pqxx::connection& Relay::Session() {
  if (!session_ || !session_->is_open()) {
    session_ = pool_.OpenDedicated();
    pqxx::nontransaction tx(*session_);
    // Its NOTIFYs and marks need no WAL flush of their own: a mark lost in a crash only publishes those
    // events again with the same ce_id, which consumers dedupe.
    tx.exec("SET synchronous_commit = off");
    // Behind a parked event of its aggregate, a row waits (outbox_parked is empty but for parked rows).
    session_->prepare("outbox_pending",
                      "SELECT o.seq, o.event_id::text AS event_id, o.topic, o.aggregate_id, o.event_type, o.subject, "
                      "o.payload, o.traceparent, to_char(o.created_at AT TIME ZONE 'UTC', "
                      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS time, " +
                          db::EpochMicros("o.created_at") +
                          " AS created_micros FROM outbox o WHERE o.published_at IS NULL AND o.parked_at IS NULL "
                          "AND o.discarded_at IS NULL AND NOT o.seq = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 "
                          "FROM outbox p WHERE p.parked_at IS NOT NULL AND p.published_at IS NULL AND "
                          "p.discarded_at IS NULL AND p.topic = o.topic AND p.aggregate_id = o.aggregate_id AND "
                          "p.seq < o.seq) ORDER BY o.seq LIMIT $2");
    session_->prepare("outbox_mark_published",
                      "UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 "
                      "WHERE seq = ANY($1::bigint[])");
    session_->prepare("outbox_mark_failed",
                      "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])");
    session_->prepare("outbox_park",
                      "UPDATE outbox SET parked_at = clock_timestamp(), attempts = attempts + 1, last_error = $2 "
                      "WHERE seq = $1 AND published_at IS NULL");
  }
  return *session_;
}

int Relay::SendPending(pqxx::connection& session) {
  // After a failure nothing new goes out until every report is in: a later row must not overtake it.
  if (!failure_.empty()) return 0;
  int room = options_.max_in_flight - static_cast<int>(in_flight_.size());
  more_pending_ = true;  // until a query shows otherwise
  if (room <= 0) return 0;
  last_query_ = std::chrono::steady_clock::now();
  std::vector<int64_t> sent;
  sent.reserve(in_flight_.size());
  for (const auto& [seq, d] : in_flight_) sent.push_back(seq);
  // Rows commit out of seq order: a lower seq can turn up after higher ones went out, so the query skips
  // what is in flight rather than reading on from the last seq sent.
  const int limit = std::min(room, options_.batch_size);
  pqxx::result rows;
  {
    pqxx::nontransaction tx(session);
    rows = tx.exec_prepared("outbox_pending", db::IntArrayLiteral(sent), limit);
  }
  more_pending_ = static_cast<int>(rows.size()) == limit;
  // Aggregates with a row parked by this pass: their later rows wait (the next query leaves them out).
  std::set<std::pair<std::string, std::string>> parked;
  // Aggregates with an event not yet acknowledged: their next one waits for it (one unacknowledged event per
  // aggregate keeps its order through failures and resends).
  std::set<std::pair<std::string, std::string>> busy;
  for (const auto& [seq, d] : in_flight_)
    if (!d.done || d.err != RD_KAFKA_RESP_ERR_NO_ERROR) busy.insert({d.topic, d.key});
  int count = 0;
  for (const auto& r : rows) {
    int64_t seq = r["seq"].as<int64_t>();
    Delivery d;
    d.event_id = r["event_id"].as<std::string>();
    d.topic = r["topic"].as<std::string>();
    d.key = r["aggregate_id"].as<std::string>();
    d.type = r["event_type"].as<std::string>();
    if (parked.count({d.topic, d.key})) continue;
    if (!busy.insert({d.topic, d.key}).second) {
      more_pending_ = true;  // read again once the one before is acknowledged
      continue;
    }
    d.created_micros = r["created_micros"].as<int64_t>();
    d.produced_micros = db::NowMicros();
    events::CloudEvent ce;
    ce.id = d.event_id;
    ce.source = options_.source;
    ce.type = d.type;
    ce.subject = r["subject"].as<std::string>();
    ce.time = r["time"].as<std::string>();
    // The relay's hop is a span of its own: the header is a child of the writer's trace (none on older rows).
    if (auto stored = trace::Parse(r["traceparent"].as<std::string>("")))
      ce.traceparent = trace::ChildOf(*stored).ToHeader();
    pqxx::binarystring payload(r["payload"]);
    d.bytes = payload.size();
    rd_kafka_headers_t* headers = events::ToHeaders(ce);
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(d.topic.c_str()), RD_KAFKA_V_KEY(d.key.data(), d.key.size()),
        RD_KAFKA_V_VALUE(const_cast<unsigned char*>(payload.data()), payload.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<intptr_t>(seq))), RD_KAFKA_V_END);
    if (err) {
      rd_kafka_headers_destroy(headers);
      ProduceFailure failure = ClassifyProduceError(err);
      if (failure == ProduceFailure::kPermanent) {
        Park(session, seq, d, err);
        parked.insert({d.topic, d.key});
        continue;
      }
      // Not taken (the local queue is full, or the producer failed for good and is replaced before the next
      // pass): it stays pending, and later rows must not overtake it.
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) errors_.Increment();
      more_pending_ = true;
      break;
    }
    in_flight_.emplace(seq, std::move(d));
    ++count;
  }
  return count;
}

int Relay::SettleReports(pqxx::connection& session, bool now) {
  rd_kafka_poll(producer_.get(), 0);  // runs OnDelivery for the reports that came back
  // Marks are off the events' path: they wait to be many (or kMarkDelay) to share one statement. A crash
  // before the mark only sends those events again.
  auto clock = std::chrono::steady_clock::now();
  if (!now && failure_.empty() && clock < mark_due_) return 0;
  mark_due_ = clock + kMarkDelay;
  std::vector<int64_t> acked, failed;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    const auto& [seq, d] = *it;
    if (!d.done) {
      ++it;
      continue;
    }
    if (d.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      acked.push_back(seq);
    } else if (ClassifyProduceError(d.err) == ProduceFailure::kPermanent) {
      Park(session, seq, d, d.err);
      it = in_flight_.erase(it);
      continue;
    } else if (ClassifyProduceError(d.err) == ProduceFailure::kFatal) {
      // The loop replaces the producer (rd_kafka_fatal_error); the row stays pending for the new one.
      it = in_flight_.erase(it);
      continue;
    } else {
      failed.push_back(seq);
      if (failure_.empty()) failure_ = rd_kafka_err2str(d.err);
    }
    ++it;
  }
  if (!acked.empty() || !failed.empty()) {
    // One round trip each, committed without waiting for the WAL flush (the session's setting).
    pqxx::nontransaction tx(session);
    if (!acked.empty()) tx.exec_prepared("outbox_mark_published", db::IntArrayLiteral(acked));
    if (!failed.empty()) tx.exec_prepared("outbox_mark_failed", db::IntArrayLiteral(failed), failure_);
    for (int64_t seq : acked) in_flight_.erase(seq);
    for (int64_t seq : failed) in_flight_.erase(seq);
  }
  published_.Increment(static_cast<double>(acked.size()));
  if (!failed.empty()) errors_.Increment(static_cast<double>(failed.size()));
  if (!acked.empty() && failure_.empty()) broker_healthy_ = true;
  if (!failure_.empty() && in_flight_.empty()) {
    // Every report is in: the failed rows are still pending and go out again, first, after the backoff.
    broker_healthy_ = false;
    std::string error = std::move(failure_);
    failure_.clear();
    throw std::runtime_error("broker did not acknowledge: " + error);
  }
  return static_cast<int>(acked.size());
}

int Relay::PublishBatch() {
  pqxx::connection& session = Session();
  int published = 0;
  for (bool more = true; more;) {
    int sent = SendPending(session);
    UpdateBacklogMetrics(session);
    // librdkafka gives up on a message after message.timeout.ms, so this ends.
    while (!in_flight_.empty()) {
      rd_kafka_flush(producer_.get(), 50);
      published += SettleReports(session, true);
    }
    // An aggregate's next event goes once the one before was acknowledged: another round for it.
    more = sent > 0 && more_pending_;
  }
  return published;
}

void Relay::Start() {
  stop_ = false;
  AddLocalRelay(wake_fd_);
  thread_ = std::thread([this] {
    NameThisThread("outbox-relay");
    Loop();
  });
  cleanup_thread_ = std::thread([this] {
    NameThisThread("outbox-cleanup");
    CleanupLoop();
  });
}

void Relay::Stop() {
  stop_ = true;
  WakeRelay(wake_fd_);
  {
    std::lock_guard lock(cleanup_mu_);
    cleanup_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (cleanup_thread_.joinable()) cleanup_thread_.join();
  RemoveLocalRelay(wake_fd_);
  if (producer_) rd_kafka_flush(producer_.get(), 2000);
}

Relay::Wake Relay::WaitForWake(std::chrono::milliseconds timeout) {
  pqxx::connection& session = Session();
  // NOTIFYs that arrived while the session ran the batch's statements are already read off the socket.
  if (session.get_notifs() > 0) return Wake::kNotification;
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {session.sock(), POLLIN, 0}};
  int n = poll(fds, 2, static_cast<int>(timeout.count()));
  if (n < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "outbox relay: poll");
  Wake woke = Wake::kTimeout;
  uint64_t count = 0;
  if (n > 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
    session.get_notifs();  // consumes them (throws when the connection is gone)
    woke = Wake::kNotification;
  }
  if (n > 0 && (fds[0].revents & POLLIN)) {
    [[maybe_unused]] auto r = read(wake_fd_, &count, sizeof count);
    woke = Wake::kLocalCommit;
  }
  return woke;
}

void Relay::Loop() {
  using namespace std::chrono;
  bool leader = false;
  auto backoff = milliseconds(100);
  const std::string lock_key = "cchc.outbox." + pool_.Schema();
  const std::string channel = pool_.Schema() + "_outbox";
  Wake woke = Wake::kTimeout;
  while (!stop_) {
    try {
      if (!session_ || !session_->is_open()) {
        leader = false;
        pqxx::nontransaction tx(Session());
        tx.exec("LISTEN " + tx.quote_name(channel));
      }
      if (!leader) {
        pqxx::nontransaction tx(*session_);
        leader = tx.exec_params("SELECT pg_try_advisory_lock(hashtext($1))", lock_key)[0][0].as<bool>();
        leader_.Set(leader ? 1 : 0);
        if (!leader) {
          // Another replica publishes: pass this process's commits on to it.
          if (WaitForWake(options_.idle_wait) == Wake::kLocalCommit && !stop_) {
            pqxx::nontransaction notify(*session_);
            notify.exec("NOTIFY " + notify.quote_name(channel));
          }
          continue;
        }
        log::Info("outbox relay is the publisher", {{"schema", pool_.Schema()}});
      }
      if (char reason[256]; rd_kafka_fatal_error(producer_.get(), reason, sizeof reason) != RD_KAFKA_RESP_ERR_NO_ERROR)
        RecreateProducer(*session_);
      SettleReports(*session_, false);
      // The outbox is read when rows may have committed: a wake-up by a commit or a NOTIFY, rows left over by
      // the last read, or idle_wait without a read (which catches rows whose wake-up was lost in a crash). The
      // timer of the marks alone is no reason.
      int sent = 0;
      if (woke == Wake::kLocalCommit || woke == Wake::kNotification || more_pending_ ||
          steady_clock::now() - last_query_ >= options_.idle_wait)
        sent = SendPending(*session_);
      UpdateBacklogMetrics(*session_);
      if (sent > 0 && failure_.empty()) backoff = milliseconds(100);
      // Returns at once when a commit in this process or another replica's NOTIFY came meanwhile; otherwise
      // waits for one or the timeout (no longer than the marks' delay while rows are in flight). A full batch
      // goes round at once.
      woke = Wake::kTimeout;
      if (sent < options_.batch_size && !stop_)
        woke = WaitForWake(in_flight_.empty() ? options_.idle_wait : std::min(options_.idle_wait, kMarkDelay));
    } catch (const std::exception& e) {
      log::Warn("outbox relay: retrying", {{"error", e.what()}, {"backoff_ms", std::to_string(backoff.count())}});
      if (session_ && !session_->is_open()) {
        // Without the session the publisher lock is gone: what is in flight goes out again from whoever
        // publishes next (consumers dedupe); reports still to come for it change nothing.
        session_.reset();
        in_flight_.clear();
        failure_.clear();
        leader = false;
        leader_.Set(0);
      }
      for (auto waited = milliseconds(0); waited < backoff && !stop_; waited += milliseconds(50))
        std::this_thread::sleep_for(milliseconds(50));
      backoff = std::min(backoff * 2, options_.max_backoff);
      woke = Wake::kTimeout;
      more_pending_ = true;  // read again after the error
    }
  }
  // What is in flight gets a last chance to be acknowledged and marked; the rest goes out again from the
  // next publisher.
  if (session_ && !in_flight_.empty()) {
    try {
      rd_kafka_flush(producer_.get(), 2000);
      SettleReports(*session_, true);
    } catch (const std::exception& e) {
      log::Warn("outbox relay: stopping with events unmarked", {{"error", e.what()}});
    }
  }
  in_flight_.clear();
  session_.reset();  // gives up the publisher lock: another replica takes over at once
  leader_.Set(0);
}

}  // namespace cchc::outbox
