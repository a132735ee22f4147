#include "watch_stream.h"

#include <memory>
#include <mutex>

#include "platform/handler.h"
#include "rules/validation.h"
#include "watch_idle.h"

namespace cchc::notification {
namespace {

using grpc::Status;
using grpc::StatusCode;

Status ShuttingDown() {
  return Status(StatusCode::UNAVAILABLE, "the server is shutting down; resume from the last cursor");
}

// A call refused before anything else was allocated or queued for it: finished at once, deleted when done.
class RefusedWatch final : public grpc::ServerWriteReactor<v1::Notification> {
 public:
  explicit RefusedWatch(const Status& status) { Finish(error_details::EnsureDetails(status)); }
  void OnDone() override { delete this; }
};

// One open stream. Its state is guarded by mu_; at most one of {a pass on the runner, a write, a wait} is in
// flight. It keeps itself alive (self_) until OnDone; tasks, timers and hub waiters hold weak pointers, and
// a wake-up carries the epoch it was armed in, so a late or duplicate one does nothing. Finish is called
// exactly once and never while a write is outstanding; nothing touches the call after it. It holds a slot of
// the total cap from its creation and, once owned, one of its subscriber's cap; OnDone gives them back.
class WatchStream final : public grpc::ServerWriteReactor<v1::Notification>,
                          public std::enable_shared_from_this<WatchStream> {
 public:
  WatchStream(WatchStreams& deps, grpc::CallbackServerContext* context, const v1::WatchNotificationsRequest& request,
              auth::Principal principal, std::string subscriber)
      : deps_(deps),
        context_(context),
        request_(request),
        request_id_(RequestIdOf(*context)),
        trace_(TraceOf(*context)),
        principal_(std::move(principal)),
        subscriber_(std::move(subscriber)),
        cursor_(request.after_cursor()) {}

  void Begin() {
    std::lock_guard lock(mu_);
    self_ = shared_from_this();
    age_timer_ = deps_.runner.PostAfter(deps_.options.max_age, [weak = weak_from_this()] {
      if (auto s = weak.lock()) s->Aged();
    });
    PostPassLocked(nullptr, 0);
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    if (state_ != State::kWriting) return;
    if (!ok) return FinishLocked(Status(StatusCode::CANCELLED, "the client went away"));
    cursor_ = rows_[next_++].cursor();
    wrote_since_wait_ = true;
    ContinueLocked();
  }

  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    // A write in flight fails and a pass in flight checks the flag; only a waiting stream ends here.
    if (state_ == State::kWaiting) FinishLocked(Status(StatusCode::CANCELLED, "the call was cancelled"));
  }

  void OnDone() override {
    std::shared_ptr<WatchStream> last;
    {
      std::lock_guard lock(mu_);
      if (holds_subscriber_slot_) deps_.slots.ReleaseSubscriber(subscriber_);
      holds_subscriber_slot_ = false;
      deps_.slots.ReleaseTotal();
      last = std::move(self_);
    }
  }  // `last` may be the final reference: this is deleted here, after gRPC's last use of it.

 private:
  enum class State { kPassing, kWriting, kWaiting, kFinished };

  // On the runner, after every wake-up: does the principal still own the subscriber (the first time: is there
  // room under its cap)? Then the rows a local bump brought if they follow the cursor, else a query.
  void Pass(const std::shared_ptr<const NewRows>& fresh, uint64_t generation) {
    log::RequestScope scope(request_id_);
    trace::Scope trace_scope(trace_);
    {
      std::lock_guard lock(mu_);
      if (!CanGoOnLocked()) return;
    }
    Status status = StatusOf([&] {
      deps_.owned(principal_, request_.parent(), "parent");
      return Status::OK;
    });
    {
      std::lock_guard lock(mu_);
      if (status.ok() && !owned_once_) {
        if (!deps_.slots.TakeSubscriber(subscriber_))
          status = Status(StatusCode::RESOURCE_EXHAUSTED,
                          "at most " + std::to_string(deps_.slots.per_subscriber_limit()) +
                              " Watch streams of subscribers/" + subscriber_ +
                              " may be open at once on a server (--watch-max-streams-per-subscriber)");
        holds_subscriber_slot_ = status.ok();
        owned_once_ = true;
      }
      if (!status.ok()) return FinishLocked(status);
      if (!CanGoOnLocked()) return;
      if (fresh && fresh->head_before <= cursor_) return WriteFreshLocked(*fresh, generation);
    }
    Query();
  }

  // On the runner: the rows after the cursor.
  void Query() {
    int64_t after = 0;
    {
      std::lock_guard lock(mu_);
      if (!CanGoOnLocked()) return;
      after = cursor_;
    }
    uint64_t generation = deps_.hub.Generation(subscriber_);  // before the query: a later bump is seen
    std::vector<v1::Notification> rows;
    Status status = StatusOf([&] {
      rows = deps_.inbox.After(subscriber_, after, deps_.options.batch);
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

  // A bump by this process's consumer brought rows starting right after what this stream wrote: it writes
  // them as they are (the hub's generation is then the bump's, so a later bump still makes it look again).
  void WriteFreshLocked(const NewRows& fresh, uint64_t generation) {
    generation_ = generation;
    rows_.clear();
    for (const auto& n : fresh.rows)
      if (n.cursor() > cursor_) rows_.push_back(n);
    if (!rows_.empty() && deps_.pushed) deps_.pushed->Increment();
    next_ = 0;
    full_batch_ = false;
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
    if (aged_) {
      FinishLocked(Status(StatusCode::UNAVAILABLE, "the stream reached its maximum age of " +
                                                       std::to_string(deps_.options.max_age.count()) +
                                                       " ms (--watch-max-age-ms); resume from the last cursor"));
      return false;
    }
    return true;
  }

  // After a pass or a write: the next row, the next batch, or wait.
  void ContinueLocked() {
    if (!CanGoOnLocked()) return;
    if (next_ < rows_.size()) {
      state_ = State::kWriting;
      StartWrite(&rows_[next_]);
      return;
    }
    rows_.clear();
    if (full_batch_) return PostPassLocked(nullptr, 0);
    uint64_t epoch = ++epoch_;
    auto wake = [weak = weak_from_this(), epoch](uint64_t generation, const std::shared_ptr<const NewRows>& rows) {
      if (auto s = weak.lock()) s->WakeUp(epoch, generation, rows);
    };
    waiter_ = deps_.hub.AddWaiter(subscriber_, generation_, wake);
    if (waiter_ == 0) return PostPassLocked(nullptr, 0);  // bumped since the query (or stopped): look again
    state_ = State::kWaiting;
    idle_wait_ = NextIdleCheck(idle_wait_, wrote_since_wait_, deps_.options.idle_check, deps_.options.idle_check_max);
    wrote_since_wait_ = false;
    idle_timer_ = deps_.runner.PostAfter(idle_wait_, [wake] { wake(0, nullptr); });
  }

  // From the hub (a bump, or Stop) or the idle timer.
  void WakeUp(uint64_t epoch, uint64_t generation, const std::shared_ptr<const NewRows>& fresh) {
    std::lock_guard lock(mu_);
    if (state_ != State::kWaiting || epoch != epoch_) return;
    StopWaitingLocked();
    PostPassLocked(fresh, generation);
  }

  // From the age timer: a waiting stream ends now, a busy one at its next step (CanGoOnLocked).
  void Aged() {
    std::lock_guard lock(mu_);
    age_timer_ = 0;
    aged_ = true;
    if (state_ == State::kWaiting) CanGoOnLocked();
  }

  void PostPassLocked(std::shared_ptr<const NewRows> fresh, uint64_t generation) {
    ++epoch_;
    state_ = State::kPassing;
    deps_.runner.Post([weak = weak_from_this(), fresh = std::move(fresh), generation] {
      if (auto s = weak.lock()) s->Pass(fresh, generation);
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
    deps_.runner.Cancel(age_timer_);
    age_timer_ = 0;
    ++epoch_;
    state_ = State::kFinished;
    Finish(status);
  }

  WatchStreams& deps_;
  grpc::CallbackServerContext* const context_;
  const v1::WatchNotificationsRequest request_;
  const std::string request_id_;
  const trace::TraceParent trace_;
  const auth::Principal principal_;
  const std::string subscriber_;
  std::mutex mu_;
  State state_ = State::kPassing;
  bool cancelled_ = false, aged_ = false;
  bool owned_once_ = false, holds_subscriber_slot_ = false;
  int64_t cursor_ = 0;       // of the last row written
  uint64_t generation_ = 0;  // the hub's, read before the last query
  std::vector<v1::Notification> rows_;
  size_t next_ = 0;
  bool full_batch_ = false;
  uint64_t waiter_ = 0, epoch_ = 0;
  TaskRunner::TimerId idle_timer_ = 0, age_timer_ = 0;
  std::chrono::milliseconds idle_wait_{0};  // of the last wait (watch_idle.h)
  bool wrote_since_wait_ = false;
  std::shared_ptr<WatchStream> self_;
};

}  // namespace

WatchStreams::WatchStreams(InboxStore& inbox, WatchHub& hub, const auth::TokenStore& tokens, OwnedCheck owned,
                           WatchOptions options)
    : inbox(inbox),
      hub(hub),
      tokens(tokens),
      owned(std::move(owned)),
      options(options),
      slots(options.max_streams, options.max_per_subscriber),
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
  // Everything here is in memory (the token's hash, the request): a refused call costs no query and no task.
  auth::Principal principal;
  Status status = auth::Authorize(*context, tokens, auth::Role::kReader, &principal);
  if (!status.ok()) return new RefusedWatch(status);
  auto subscriber = SubscriberIdOf(request->parent());
  if (!subscriber)
    return new RefusedWatch(error_details::ErrorStatus(StatusCode::INVALID_ARGUMENT, "parent: must be subscribers/{id}",
                                                       platform::v1::INVALID_NAME));
  if (request->after_cursor() < 0)
    return new RefusedWatch(Status(StatusCode::INVALID_ARGUMENT, "after_cursor: must not be negative"));
  if (!slots.TakeTotal())
    return new RefusedWatch(Status(StatusCode::RESOURCE_EXHAUSTED,
                                   "at most " + std::to_string(slots.total_limit()) +
                                       " Watch streams may be open at once on a server (--watch-max-streams)"));
  auto stream = std::make_shared<WatchStream>(*this, context, *request, std::move(principal), std::move(*subscriber));
  stream->Begin();
  return stream.get();  // alive through its own reference until OnDone
}

}  // namespace cchc::notification
