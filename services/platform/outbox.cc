#include "outbox.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <system_error>
#include <vector>

#include "cloudevents.h"
#include "log.h"

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
    for (int fd : fds_) Wake(fd);
  }
  static void Wake(int fd) {
    uint64_t one = 1;
    // EAGAIN means the counter is full: the relay has a wake-up pending anyway.
    [[maybe_unused]] auto n = write(fd, &one, sizeof one);
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

std::string Enqueue(pqxx::work& tx, const PendingEvent& e) {
  std::string id = events::NewUuid();
  pqxx::binarystring payload(e.payload.data(), e.payload.size());
  tx.exec_params(
      "INSERT INTO outbox (event_id, topic, aggregate_type, aggregate_id, event_type, subject, payload) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      id, e.topic, e.aggregate_type, e.aggregate_id, e.type, e.subject, payload);
  // No NOTIFY here: PostgreSQL serialises the commits of notifying transactions, WAL flush included, which
  // capped a service at a few hundred writes a second. The relay of this process is woken after the commit;
  // a relay that is not the publisher passes the wake-up on to the one that is.
  db::AfterCommit([] { Relays().WakeAll(); });
  return id;
}

namespace {
struct Delivery {
  int64_t seq = 0;
  int64_t created_micros = 0;  // when the event was written
  bool done = false;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
};
}  // namespace

Relay::Relay(db::Pool& pool, RelayOptions options, metrics::Registry& registry)
    : pool_(pool),
      options_(std::move(options)),
      pending_(
          registry.AddGauge("cchc_outbox_pending", "Outbox events not yet acknowledged by the broker").WithLabels({})),
      oldest_age_(registry
                      .AddGauge("cchc_outbox_oldest_pending_age_seconds",
                                "Age of the oldest outbox event not yet published (0 when none)")
                      .WithLabels({})),
      published_(
          registry.AddCounter("cchc_outbox_published_total", "Outbox events the broker acknowledged").WithLabels({})),
      errors_(registry.AddCounter("cchc_outbox_publish_errors_total", "Outbox events the broker did not acknowledge")
                  .WithLabels({})),
      delay_(registry
                 .AddHistogram("cchc_outbox_publish_delay_seconds",
                               "From an event's outbox row to the broker's acknowledgement", {},
                               metrics::LatencyBuckets())
                 .WithLabels({})),
      leader_(registry.AddGauge("cchc_outbox_relay_leader", "1 when this replica's relay holds the publish lock")
                  .WithLabels({})) {
  producer_ = kafka::MakeProducer(options_.brokers, options_.kafka_properties, &Relay::OnDelivery, this);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "outbox relay: eventfd");
}

Relay::~Relay() {
  Stop();
  close(wake_fd_);
}

void Relay::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void*) {
  auto* d = static_cast<Delivery*>(msg->_private);
  d->err = msg->err;
  d->done = true;
}

int Relay::PublishBatch() {
  auto lease = pool_.Acquire();
  std::vector<Delivery> deliveries;
  bool empty = false;
  {
    pqxx::nontransaction tx(*lease);
    auto rows = tx.exec_params(
        "SELECT seq, event_id::text, topic, aggregate_id, event_type, subject, payload, "
        "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), " +
            db::EpochMicros("created_at") +
            " "
            "FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1",
        options_.batch_size);
    empty = rows.empty();
    deliveries.resize(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      deliveries[i].seq = r[0].as<int64_t>();
      deliveries[i].created_micros = r[8].as<int64_t>();
      events::CloudEvent ce;
      ce.id = r[1].as<std::string>();
      ce.source = options_.source;
      ce.type = r[4].as<std::string>();
      ce.subject = r[5].as<std::string>();
      ce.time = r[7].as<std::string>();
      pqxx::binarystring payload(r[6]);
      std::string topic = r[2].as<std::string>();
      std::string key = r[3].as<std::string>();
      rd_kafka_headers_t* headers = events::ToHeaders(ce);
      rd_kafka_resp_err_t err =
          rd_kafka_producev(producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                            RD_KAFKA_V_VALUE(const_cast<unsigned char*>(payload.data()), payload.size()),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                            RD_KAFKA_V_OPAQUE(&deliveries[i]), RD_KAFKA_V_END);
      if (err) {
        rd_kafka_headers_destroy(headers);
        deliveries[i].done = true;
        deliveries[i].err = err;
        // Later rows must not overtake this one.
        deliveries.resize(i + 1);
        break;
      }
    }
  }
  // While the broker acknowledges (or, when it is down, until message.timeout.ms): off the events' path, and
  // the backlog gauges stay current through an outage. An idle relay counts at most once a second.
  UpdateBacklogMetrics(*lease, !empty);
  if (empty) return 0;
  // Wait for every delivery report; librdkafka gives up on a message after message.timeout.ms.
  auto all_done = [&] {
    for (const auto& d : deliveries)
      if (!d.done) return false;
    return true;
  };
  // flush, not poll: it also sends what waits for linger.ms at once — nothing more joins this batch.
  while (!all_done()) rd_kafka_flush(producer_.get(), 50);

  std::vector<int64_t> acked;
  std::string first_error;
  int64_t now_micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  for (const auto& d : deliveries) {
    if (d.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      acked.push_back(d.seq);
      delay_.Observe(static_cast<double>(std::max<int64_t>(0, now_micros - d.created_micros)) / 1e6);
    } else if (first_error.empty()) {
      first_error = rd_kafka_err2str(d.err);
    }
  }
  {
    pqxx::work tx(*lease);
    // The mark needs no WAL flush of its own: if PostgreSQL loses it in a crash, those events are published
    // again with the same ce_id, which consumers dedupe. (It saves a flush per batch on the events' path.)
    tx.exec("SET LOCAL synchronous_commit = off");
    if (!acked.empty())
      tx.exec_params("UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE seq = ANY($1)",
                     db::IntArrayLiteral(acked));
    if (!first_error.empty()) {
      std::vector<int64_t> failed;
      for (const auto& d : deliveries)
        if (d.err) failed.push_back(d.seq);
      tx.exec_params("UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1)",
                     db::IntArrayLiteral(failed), first_error);
    }
    tx.commit();
  }
  published_.Increment(static_cast<double>(acked.size()));
  UpdateBacklogMetrics(*lease, false);
  if (!first_error.empty()) {
    errors_.Increment(static_cast<double>(deliveries.size() - acked.size()));
    broker_healthy_ = false;
    throw std::runtime_error("broker did not acknowledge: " + first_error);
  }
  broker_healthy_ = true;
  return static_cast<int>(acked.size());
}

void Relay::UpdateBacklogMetrics(pqxx::connection& conn, bool always) {
  // A count over the pending rows: unless `always`, at most once a second (scrapes come every few
  // seconds).
  auto now = std::chrono::steady_clock::now();
  if (!always && now - last_backlog_update_ < std::chrono::seconds(1)) return;
  last_backlog_update_ = now;
  pqxx::nontransaction tx(conn);
  auto r = tx.exec(
      "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)), 0) "
      "FROM outbox WHERE published_at IS NULL");
  pending_.Set(r[0][0].as<double>());
  oldest_age_.Set(r[0][1].as<double>());
}

void Relay::Start() {
  stop_ = false;
  Relays().Add(wake_fd_);
  thread_ = std::thread([this] { Loop(); });
  cleanup_thread_ = std::thread([this] { CleanupLoop(); });
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
              "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE published_at < clock_timestamp() - "
              "make_interval(hours => $1) ORDER BY published_at LIMIT 1000)",
              static_cast<int>(options_.retention.count()));
          tx.commit();
          return static_cast<int>(r.affected_rows());
        });
      } while (deleted == 1000 && !stop_);
    } catch (const std::exception& e) {
      log::Warn("outbox cleanup: will retry", {{"error", e.what()}});
    }
    std::unique_lock lock(cleanup_mu_);
    cleanup_cv_.wait_for(lock, minutes(1), [&] { return stop_.load(); });
  }
}

void Relay::Stop() {
  stop_ = true;
  LocalRelays::Wake(wake_fd_);
  {
    std::lock_guard lock(cleanup_mu_);
    cleanup_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (cleanup_thread_.joinable()) cleanup_thread_.join();
  Relays().Remove(wake_fd_);
  if (producer_) rd_kafka_flush(producer_.get(), 2000);
}

Relay::Wake Relay::WaitForWake(pqxx::connection& listener, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {listener.sock(), POLLIN, 0}};
  int n = poll(fds, 2, static_cast<int>(timeout.count()));
  if (n < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "outbox relay: poll");
  Wake woke = Wake::kTimeout;
  if (n > 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
    listener.get_notifs();  // consumes them (throws when the connection is gone)
    woke = Wake::kNotification;
  }
  if (n > 0 && (fds[0].revents & POLLIN)) {
    uint64_t count = 0;
    [[maybe_unused]] auto r = read(wake_fd_, &count, sizeof count);
    woke = Wake::kLocalCommit;
  }
  return woke;
}

void Relay::Loop() {
  using namespace std::chrono;
  std::unique_ptr<pqxx::connection> listener;
  bool leader = false;
  auto backoff = milliseconds(100);
  const std::string lock_key = "cchc.outbox." + pool_.Schema();
  const std::string channel = pool_.Schema() + "_outbox";
  while (!stop_) {
    try {
      if (!listener || !listener->is_open()) {
        leader = false;
        listener = pool_.OpenDedicated();
        pqxx::nontransaction tx(*listener);
        // This session only listens, holds the publisher lock and notifies: its NOTIFYs need no WAL flush.
        tx.exec("SET synchronous_commit = off");
        tx.exec("LISTEN " + tx.quote_name(channel));
      }
      if (!leader) {
        pqxx::nontransaction tx(*listener);
        leader = tx.exec_params("SELECT pg_try_advisory_lock(hashtext($1))", lock_key)[0][0].as<bool>();
        leader_.Set(leader ? 1 : 0);
        if (!leader) {
          // Another replica publishes: pass this process's commits on to it.
          if (WaitForWake(*listener, options_.idle_wait) == Wake::kLocalCommit && !stop_) {
            pqxx::nontransaction notify(*listener);
            notify.exec("NOTIFY " + notify.quote_name(channel));
          }
          continue;
        }
        log::Info("outbox relay is the publisher", {{"schema", pool_.Schema()}});
      }
      int n = PublishBatch();
      backoff = milliseconds(100);
      // Returns at once when a commit in this process or another replica's NOTIFY came during the batch;
      // otherwise waits for one or the timeout (which also catches rows whose wake-up was lost in a crash).
      if (n < options_.batch_size && !stop_) WaitForWake(*listener, options_.idle_wait);
    } catch (const std::exception& e) {
      log::Warn("outbox relay: retrying", {{"error", e.what()}, {"backoff_ms", std::to_string(backoff.count())}});
      if (listener && !listener->is_open()) {
        listener.reset();
        leader = false;
        leader_.Set(0);
      }
      for (auto waited = milliseconds(0); waited < backoff && !stop_; waited += milliseconds(50))
        std::this_thread::sleep_for(milliseconds(50));
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
  leader_.Set(0);
}

}  // namespace cchc::outbox
