#pragma once
// PostgreSQL: a small, bounded connection pool over libpqxx 6.4. Every connection sets the service's
// search_path and prepares the service's named statements when it opens.
#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>
#include <vector>

#include "call_watchdog.h"
#include "metrics.h"

namespace cchc::db {

// A named SQL statement, prepared on every pooled connection, where PostgreSQL plans it once (a generic plan
// after five runs). For statements keyed by their parameters; one whose filters are optional ("$1 IS NULL
// OR …") plans well only with the values, so it runs unprepared (exec_params) instead.
struct Statement {
  std::string name;
  std::string sql;
};

// The callbacks AfterCommit registers during one Pool::Run on this thread (nested runs have their own).
class CommitHooks {
 public:
  CommitHooks();
  ~CommitHooks();  // drops what was not fired
  CommitHooks(const CommitHooks&) = delete;
  CommitHooks& operator=(const CommitHooks&) = delete;
  void Fire();  // runs and clears the callbacks; a throwing callback is logged, not propagated

 private:
  friend bool AfterCommit(std::function<void()> fn);
  std::vector<std::function<void()>> callbacks_;
  CommitHooks* outer_;
};

// Runs `fn` once the work of the Pool::Run enclosing this call returns normally — after the transaction it
// committed (work that returns without committing has rolled back: a callback must tolerate that, e.g. a
// wake-up that finds nothing new). Work that throws drops it. Returns false, running nothing, outside Pool::Run.
bool AfterCommit(std::function<void()> fn);

// Thrown when no connection became free within the acquire timeout, or none could be opened.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How PostgreSQL plans a pool's prepared statements. kChosen: its default (custom plans for five runs, then the
// generic plan unless the custom ones look cheaper). kGeneric: always the generic plan, for a pool that runs
// only keyed statements whose custom plans PostgreSQL would keep choosing (and paying to plan) on every call.
enum class Plans { kChosen, kGeneric };

class Pool {
 public:
  // Opens connections lazily, at most `size`. `schema` becomes the search_path (then public). `url` gets the
  // libpq settings of WithConnectionDefaults (db_settings.h). Thread-safe.
  Pool(std::string url, std::string schema, int size, std::vector<Statement> statements,
       metrics::Registry* registry = nullptr, Plans plans = Plans::kChosen);
  ~Pool();

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    pqxx::connection& operator*() { return *conn_; }
    pqxx::connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
  };

  // A connection, waiting up to `timeout` for one to become free. Throws Unavailable.
  Lease Acquire(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

  // From now on, work that runs longer than `timeout` in one Run has its connection cut (CallWatchdog) and
  // fails with Unavailable. Call before the pool is used.
  void SetCallTimeout(std::chrono::milliseconds timeout);

  // Runs fn(connection). A broken connection is dropped and, for `retry_broken` work (reads), the work runs
  // once more on a fresh one; otherwise pqxx::broken_connection becomes Unavailable. Work cut by the call
  // time-out is Unavailable at once. What fn registers with AfterCommit runs when fn returns normally, and is
  // dropped when it throws.
  template <typename Fn>
  auto Run(Fn&& fn, bool retry_broken = false) {
    for (int attempt = 0;; ++attempt) {
      auto lease = Acquire();
      CommitHooks hooks;
      auto guard = watchdog_ ? watchdog_->Watch(lease->sock()) : CallWatchdog::Guard();
      try {
        if constexpr (std::is_void_v<decltype(fn(*lease))>) {
          fn(*lease);
          hooks.Fire();
          return;
        } else {
          auto result = fn(*lease);
          hooks.Fire();
          return result;
        }
      } catch (const pqxx::broken_connection& e) {
        if (guard.Cut())
          throw Unavailable("the database did not answer within " + std::to_string(watchdog_->Timeout().count()) +
                            " ms (--database-call-timeout-ms)");
        if (!retry_broken || attempt > 0) throw Unavailable(std::string("database connection lost: ") + e.what());
      }
    }
  }

  // SELECT 1 on a pooled connection; false when the database cannot be reached.
  bool Ping();
  const std::string& Url() const { return url_; }
  const std::string& Schema() const { return schema_; }

  // Opens a connection outside the pool with the same settings (for LISTEN and long-lived leaders).
  std::unique_ptr<pqxx::connection> OpenDedicated() const;

 private:
  friend class Lease;
  void Release(std::unique_ptr<pqxx::connection> c);
  std::unique_ptr<pqxx::connection> Open() const;

  std::string url_, schema_;
  int size_;
  std::vector<Statement> statements_;
  Plans plans_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_ = 0;
  metrics::Gauge* in_use_ = nullptr;
  metrics::Gauge* open_gauge_ = nullptr;
  metrics::Counter* wait_timeouts_ = nullptr;
  std::unique_ptr<CallWatchdog> watchdog_;
};

// "{1,2,3}": a PostgreSQL array literal of integers for `= ANY($1)` parameters.
std::string IntArrayLiteral(const std::vector<int64_t>& values);
// '{"a","b"}': a PostgreSQL array literal of text values, quoted and escaped.
std::string TextArrayLiteral(const std::vector<std::string>& values);
// The same of any range of strings (a repeated protobuf field, say).
template <typename Strings>
std::string TextArrayLiteral(const Strings& values) {
  return TextArrayLiteral(std::vector<std::string>(values.begin(), values.end()));
}
// Parses a text[] value as returned by PostgreSQL.
std::vector<std::string> ParseTextArray(const pqxx::field& f);

// SQL reading a timestamptz `column` as microseconds since the epoch (bigint), exact.
std::string EpochMicros(const std::string& column);
// SQL turning `micros` (an expression: microseconds since the epoch, bigint) into a timestamptz, exact.
std::string FromEpochMicros(const std::string& micros);
// This process's clock, in microseconds since the epoch.
int64_t NowMicros();
// Sets a protobuf Timestamp from microseconds since the epoch.
void SetTimestamp(google::protobuf::Timestamp* t, int64_t micros);
// A protobuf Timestamp as microseconds since the epoch (nanoseconds below a microsecond dropped).
inline int64_t MicrosOf(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}
// NULL for an empty text parameter (a column or filter left unset), else the text.
inline const char* NullIfEmpty(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

}  // namespace cchc::db
