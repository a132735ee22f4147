#pragma once
// Per-endpoint admission of delivery attempts (cổng theo điểm nhận): an endpoint is a subscriber's webhook URL or
// e-mail address (EndpointKey). Each has
// - at most `max_in_flight` attempts at once;
// - a rate, `rate_per_second` attempts a second (a token bucket holding up to one second's worth);
// - a circuit breaker: closed → open after `consecutive_failures` failures in a row, or when at least
//   `failure_ratio` of the last `window` attempts failed (once there are `window`); open → half-open after
//   `open_for`, when one trial attempt is let through; its success closes the breaker, its failure opens it again.
// A delivery the gate does not admit waits: it is not attempted and spends no attempt. The delivery workers ask
// which endpoints cannot take an attempt now (Blocked) so that their claim passes those by, and which should have
// their due deliveries put off (Deferrals) so that a dead, slow or rate-limited endpoint's backlog does not sit at
// the head of the queue.
// Limits hold per process (each notification replica has its own gate). Thread-safe; the clock is the caller's,
// so the rules are tested without waiting.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace cchc::notification {

struct GateOptions {
  int max_in_flight = 2;
  double rate_per_second = 10;
  int consecutive_failures = 5;
  int window = 20;
  double failure_ratio = 0.5;
  std::chrono::milliseconds open_for{30000};
  // An endpoint at its in-flight limit whose attempts last this long on average (a slow one) has its due
  // deliveries paced to its pace (Deferrals); a half-open one's wait `defer_step` while the trial runs.
  std::chrono::milliseconds slow_after{2000};
  std::chrono::milliseconds defer_step{1000};
};

// "webhook <url>" or "email <lower-case address>": one name space for both channels.
std::string WebhookEndpoint(const std::string& url);
std::string EmailEndpoint(const std::string& address);

enum class BreakerState { kClosed, kOpen, kHalfOpen };
const char* BreakerStateName(BreakerState s);

class EndpointGate {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Refusal { kNone, kBusy, kRateLimited, kOpen };

  explicit EndpointGate(GateOptions options) : options_(options) {}

  // Admits one attempt to `endpoint` now (kNone), taking an in-flight slot and a token, or says why not.
  Refusal TryAcquire(const std::string& endpoint, Clock::time_point now);
  // The attempt admitted by TryAcquire ended after `took`: `succeeded` (the endpoint took the message) or not.
  // Returns the breaker's state after it, and sets `*changed` when this outcome moved the breaker.
  BreakerState Release(const std::string& endpoint, bool succeeded, Clock::time_point now, Clock::duration took = {},
                       bool* changed = nullptr);
  // The admitted attempt was not made (its claim was lost, or nothing was to be sent): frees the slot, no outcome
  // recorded; a half-open trial not made lets another trial through.
  void Abandon(const std::string& endpoint);

  // The endpoint asked us to slow down (429, 502, 504, Retry-After; rules/webhook_reply.h): its rate halves (down to
  // 1/64 of the gate's; each success then doubles it back) and it takes no attempt before `not_before`.
  void SlowDown(const std::string& endpoint, Clock::time_point not_before, Clock::time_point now);
  double RateOf(const std::string& endpoint, Clock::time_point now);  // attempts a second, slowed down or not

  // Endpoints that cannot take an attempt at `now` (at the in-flight limit, out of tokens, open, or half-open
  // with its trial running).
  std::vector<std::string> Blocked(Clock::time_point now);
  struct Deferral {
    std::string endpoint;
    Clock::time_point until;  // the first waiting delivery is due then
    Clock::duration spacing;  // and each next one this much later
  };
  // Endpoints whose due deliveries should wait: open ones until they half-open, half-open ones with a trial
  // running for `defer_step`, each then one rate interval after the other; ones out of tokens until their next
  // token, a rate interval apart; slow ones at their in-flight limit (`slow_after`) at the pace they answer.
  std::vector<Deferral> Deferrals(Clock::time_point now);

  BreakerState State(const std::string& endpoint, Clock::time_point now);
  int OpenCount(Clock::time_point now);
  size_t Tracked();  // endpoints with state kept (idle closed ones are forgotten: bounded by recent use)

 private:
  struct Endpoint {
    int in_flight = 0;
    double tokens = 0;
    Clock::time_point refilled{};
    BreakerState state = BreakerState::kClosed;
    Clock::time_point opened{};
    bool trial_running = false;
    int failures_in_row = 0;
    std::deque<bool> recent;  // the last `window` outcomes, true = failed
    double mean_seconds = 0;  // of an attempt, a moving average
    Clock::time_point last_used{};
    double rate_factor = 1;          // of rate_per_second: below 1 after SlowDown
    Clock::time_point not_before{};  // SlowDown's wait: no attempt before
  };
  Endpoint& Find(const std::string& endpoint, Clock::time_point now);
  void Refill(Endpoint& e, Clock::time_point now) const;
  void Advance(Endpoint& e, Clock::time_point now) const;  // open → half-open when its time has come
  bool Admissible(Endpoint& e, Clock::time_point now, Refusal* why) const;
  void Forget(Clock::time_point now);

  GateOptions options_;
  std::mutex mutex_;
  std::map<std::string, Endpoint> endpoints_;
  Clock::time_point last_forget_{};
};

}  // namespace cchc::notification
