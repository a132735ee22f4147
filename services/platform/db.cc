#include "db.h"

#include "db_settings.h"
#include "log.h"

namespace cchc::db {
namespace {
thread_local CommitHooks* current_hooks = nullptr;
}  // namespace

CommitHooks::CommitHooks() : outer_(current_hooks) {
  current_hooks = this;
}

CommitHooks::~CommitHooks() {
  current_hooks = outer_;
}

void CommitHooks::Fire() {
  auto callbacks = std::move(callbacks_);
  callbacks_.clear();
  for (auto& fn : callbacks) {
    try {
      fn();
    } catch (const std::exception& e) {
      log::Error("after-commit callback failed", {{"error", e.what()}});
    }
  }
}

bool AfterCommit(std::function<void()> fn) {
  if (!current_hooks) return false;
  current_hooks->callbacks_.push_back(std::move(fn));
  return true;
}

Pool::Pool(std::string url, std::string schema, int size, std::vector<Statement> statements,
           metrics::Registry* registry, Plans plans)
    : url_(WithConnectionDefaults(url)),
      schema_(std::move(schema)),
      size_(size),
      statements_(std::move(statements)),
      plans_(plans) {
  if (registry) {
    in_use_ = &registry->AddGauge("cchc_db_pool_connections_in_use", "Pooled connections lent out").WithLabels({});
    open_gauge_ = &registry->AddGauge("cchc_db_pool_connections_open", "Pooled connections open").WithLabels({});
    registry->AddGauge("cchc_db_pool_size", "Most connections the pool opens").WithLabels({}).Set(size_);
    wait_timeouts_ =
        &registry->AddCounter("cchc_db_pool_wait_timeouts_total", "Acquires that found no free connection in time")
             .WithLabels({});
  }
}

Pool::~Pool() = default;

void Pool::SetCallTimeout(std::chrono::milliseconds timeout) {
  watchdog_ = std::make_unique<CallWatchdog>(timeout);
}

std::unique_ptr<pqxx::connection> Pool::Open() const {
  auto c = std::make_unique<pqxx::connection>(url_);
  pqxx::nontransaction tx(*c);
  tx.exec("SET search_path TO " + tx.quote_name(schema_) + ", public");
  tx.exec("SET TIME ZONE 'Asia/Ho_Chi_Minh'");
  // No JIT compilation: every statement here is short, and compiling one took 15-20 ms. PostgreSQL compiles
  // when a plan's estimated cost passes jit_above_cost, which a generic plan's estimate for "… LIMIT $n" (10 %
  // of the table) did once the table held some 300,000 rows: the Watch stream's query went from 0.3 to 24 ms.
  tx.exec("SET jit = off");
  if (plans_ == Plans::kGeneric) tx.exec("SET plan_cache_mode = force_generic_plan");
  // Prepared statements keep PostgreSQL's default plan cache: a statement keyed by its parameters gets a generic
  // plan after five executions instead of being planned on every call (planning was a quarter of the server's
  // CPU on the event path). Statements whose filters are optional plan well only with the actual values: the
  // repositories run those unprepared (exec_params).
  tx.commit();
  for (const auto& s : statements_) c->prepare(s.name, s.sql);
  return c;
}

std::unique_ptr<pqxx::connection> Pool::OpenDedicated() const {
  return Open();
}

Pool::Lease Pool::Acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (idle_.empty() && open_ >= size_) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= size_) {
      if (wait_timeouts_) wait_timeouts_->Increment();
      throw Unavailable("no database connection free within " + std::to_string(timeout.count()) + " ms");
    }
  }
  if (in_use_) in_use_->Increment();
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  if (open_gauge_) open_gauge_->Set(open_);
  lock.unlock();
  try {
    return Lease(this, Open());
  } catch (const std::exception& e) {
    std::lock_guard relock(mu_);
    --open_;
    if (open_gauge_) open_gauge_->Set(open_);
    if (in_use_) in_use_->Decrement();
    cv_.notify_one();
    throw Unavailable(std::string("cannot connect to the database: ") + e.what());
  }
}

void Pool::Release(std::unique_ptr<pqxx::connection> c) {
  std::lock_guard lock(mu_);
  if (in_use_) in_use_->Decrement();
  if (c && c->is_open()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;
    if (open_gauge_) open_gauge_->Set(open_);
  }
  cv_.notify_one();
}

Pool::Lease::~Lease() {
  if (pool_) pool_->Release(std::move(conn_));
}

bool Pool::Ping() {
  try {
    return Run(
        [](pqxx::connection& c) {
          pqxx::nontransaction tx(c);
          tx.exec("SELECT 1");
          return true;
        },
        true);
  } catch (const std::exception&) {
    return false;
  }
}

std::string IntArrayLiteral(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::vector<std::string> ParseTextArray(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  auto parser = f.as_array();
  for (auto [kind, value] = parser.get_next(); kind != pqxx::array_parser::done;
       std::tie(kind, value) = parser.get_next()) {
    if (kind == pqxx::array_parser::string_value) out.push_back(value);
  }
  return out;
}

std::string EpochMicros(const std::string& column) {
  return "(EXTRACT(EPOCH FROM " + column + ") * 1000000)::bigint";
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FromEpochMicros(const std::string& micros) {
  return "('epoch'::timestamptz + (" + micros + ")::bigint * interval '1 microsecond')";
}

void SetTimestamp(google::protobuf::Timestamp* t, int64_t micros) {
  t->set_seconds(micros / 1000000);
  t->set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
}

}  // namespace cchc::db
