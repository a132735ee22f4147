#include "watch_stream.h"

#include <memory>
#include <mutex>

#include "platform/handler.h"

namespace cchc::notification {
namespace {

using grpc::Status;
using grpc::StatusCode;

Status ShuttingDown() {
  return Status(StatusCode::UNAVAILABLE, "the server is shutting down; resume from the last cursor");
}

// One open stream. Its state is guarded by mu_; at most one of {a query task, a write, a wait} is in
// flight. It keeps itself alive (self_) until OnDone; tasks, timers and hub waiters hold weak pointers, and
// a wake-up carries the epoch it was armed in, so a late or duplicate one does nothing. Finish is called
// exactly once and never while a write is outstanding; nothing touches the call after it.
class WatchStream final : public grpc::ServerWriteReactor<v1::Notification>,
                          public std::enable_shared_from_this<WatchStream> {
 public:
  WatchStream(WatchStreams& deps, grpc::CallbackServerContext* context, const v1::WatchNotificationsRequest& request)
      : deps_(deps), context_(context), request_(request), request_id_(RequestIdOf(*context)) {}

  void Begin() {
    std::lock_guard lock(mu_);
    self_ = shared_from_this();
    deps_.runner.Post([weak = weak_from_this()] {
      if (auto s = weak.lock()) s->Open();
    });
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    if (state_ != State::kWriting) return;
    if (!ok) return FinishLocked(Status(StatusCode::CANCELLED, "the client went away"));
    cursor_ = rows_[next_++].cursor();
    ContinueLocked();
  }

  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    // A write in flight fails and a query in flight checks the flag; only a waiting stream ends here.
    if (state_ == State::kWaiting) FinishLocked(Status(StatusCode::CANCELLED, "the call was cancelled"));
  }

  void OnDone() override {
    std::shared_ptr<WatchStream> last;
    {
      std::lock_guard lock(mu_);
      last = std::move(self_);
    }
  }  // `last` may be the final reference: this is deleted here, after gRPC's last use of it.

 private:
  enum class State { kQuerying, kWriting, kWaiting, kFinished };

  // On the runner: who may watch what.
  void Open() {
    log::RequestScope scope(request_id_);
    std::string subscriber;
    auth::Principal principal;
    Status status = auth::Authorize(*context_, deps_.tokens, auth::Role::kReader, &principal);
    if (status.ok())
      status = StatusOf([&] {
        subscriber = deps_.owned(principal, request_.parent(), "parent").id;
        if (request_.after_cursor() < 0)
          return Status(StatusCode::INVALID_ARGUMENT, "after_cursor: must not be negative");
        return Status::OK;
      });
    {
      std::lock_guard lock(mu_);
      if (!status.ok()) return FinishLocked(status);
      subscriber_ = subscriber;
      cursor_ = request_.after_cursor();
    }
    Query();
  }

  // On the runner: the rows after the cursor.
  void Query() {
    log::RequestScope scope(request_id_);
    int64_t after = 0;
    {
      std::lock_guard lock(mu_);
      if (!CanGoOnLocked()) return;
      after = cursor_;
    }
    uint64_t generation = deps_.hub.Generation(subscriber_);  // before the query: a later bump is seen
    std::vector<v1::Notification> rows;
    Status status = StatusOf([&] {
      rows = deps_.repository.NotificationsAfter(subscriber_, after, deps_.options.batch);
      return Status::OK;
    });
    std::lock_guard lock(mu_);
    if (!status.ok()) return FinishLocked(status);
    if (!CanGoOnLocked()) return;
    generation_ = generation;
    if (!rows.empty() && deps_.queried) deps_.queried->Increment();
    full_batch_ = static_cast<int>(rows.size()) == deps_.options.batch;
    rows_ = std::move(rows);
    next_ = 0;
    ContinueLocked();
  }

  // False (finished, if it was not already) when the stream must not go on.
  bool CanGoOnLocked() {
    if (state_ == State::kFinished) return false;
    if (cancelled_) {
      FinishLocked(Status(StatusCode::CANCELLED, "the call was cancelled"));
      return false;
    }
    if (deps_.hub.Stopped()) {
      FinishLocked(ShuttingDown());
      return false;
    }
    return true;
  }

  // After a query or a write: the next row, the next batch, or wait.
  void ContinueLocked() {
    if (!CanGoOnLocked()) return;
    if (next_ < rows_.size()) {
      state_ = State::kWriting;
      StartWrite(&rows_[next_]);
      return;
    }
    rows_.clear();
    if (full_batch_) return PostQueryLocked();
    uint64_t epoch = ++epoch_;
    auto wake = [weak = weak_from_this(), epoch](uint64_t generation, const std::shared_ptr<const NewRows>& rows) {
      if (auto s = weak.lock()) s->WakeUp(epoch, generation, rows);
    };
    waiter_ = deps_.hub.AddWaiter(subscriber_, generation_, wake);
    if (waiter_ == 0) return PostQueryLocked();  // bumped since the query (or stopped): look again
    state_ = State::kWaiting;
    idle_timer_ = deps_.runner.PostAfter(deps_.options.idle_check, [wake] { wake(0, nullptr); });
  }

  // From the hub (a bump, or Stop) or the idle timer. A bump by this process's consumer brings its rows: if
  // they start right after what this stream wrote, it writes them on the spot (the hub's generation is then
  // the bump's, so a later bump still makes it look again). Otherwise it queries.
  void WakeUp(uint64_t epoch, uint64_t generation, const std::shared_ptr<const NewRows>& fresh) {
    std::lock_guard lock(mu_);
    if (state_ != State::kWaiting || epoch != epoch_) return;
    StopWaitingLocked();
    if (!fresh || fresh->head_before > cursor_) return PostQueryLocked();
    ++epoch_;
    generation_ = generation;
    rows_.clear();
    for (const auto& n : fresh->rows)
      if (n.cursor() > cursor_) rows_.push_back(n);
    if (!rows_.empty() && deps_.pushed) deps_.pushed->Increment();
    next_ = 0;
    full_batch_ = false;
    ContinueLocked();
  }

  void PostQueryLocked() {
    ++epoch_;
    state_ = State::kQuerying;
    deps_.runner.Post([weak = weak_from_this()] {
      if (auto s = weak.lock()) s->Query();
    });
  }

  // Neither the hub's waiter nor the idle timer is needed once one of them (or the end) came.
  void StopWaitingLocked() {
    if (waiter_ != 0) deps_.hub.RemoveWaiter(subscriber_, waiter_);
    waiter_ = 0;
    deps_.runner.Cancel(idle_timer_);
    idle_timer_ = 0;
  }

  void FinishLocked(const Status& status) {
    if (state_ == State::kFinished) return;
    StopWaitingLocked();
    ++epoch_;
    state_ = State::kFinished;
    Finish(status);
  }

  WatchStreams& deps_;
  grpc::CallbackServerContext* const context_;
  const v1::WatchNotificationsRequest request_;
  const std::string request_id_;
  std::mutex mu_;
  State state_ = State::kQuerying;
  bool cancelled_ = false;
  std::string subscriber_;   // set by Open, then read only
  int64_t cursor_ = 0;       // of the last row written
  uint64_t generation_ = 0;  // the hub's, read before the last query
  std::vector<v1::Notification> rows_;
  size_t next_ = 0;
  bool full_batch_ = false;
  uint64_t waiter_ = 0, epoch_ = 0;
  TaskRunner::TimerId idle_timer_ = 0;
  std::shared_ptr<WatchStream> self_;
};

}  // namespace

WatchStreams::WatchStreams(Repository& repository, WatchHub& hub, const auth::TokenStore& tokens, OwnedCheck owned,
                           WatchOptions options)
    : repository(repository),
      hub(hub),
      tokens(tokens),
      owned(std::move(owned)),
      options(options),
      runner(options.workers) {
  if (options.registry) {
    auto& batches = options.registry->AddCounter(
        "cchc_watch_batches_total",
        "Batches of notifications Watch streams wrote, by source: pushed by this replica's consumer as it "
        "committed them, or queried",
        {"source"});
    pushed = &batches.WithLabels({"pushed"});
    queried = &batches.WithLabels({"queried"});
  }
}

grpc::ServerWriteReactor<v1::Notification>* WatchStreams::Open(grpc::CallbackServerContext* context,
                                                               const v1::WatchNotificationsRequest* request) {
  auto stream = std::make_shared<WatchStream>(*this, context, *request);
  stream->Begin();
  return stream.get();  // alive through its own reference until OnDone
}

}  // namespace cchc::notification
