#include "endpoint_gate.h"

#include <algorithm>
#include <cctype>

namespace cchc::notification {

std::string WebhookEndpoint(const std::string& url) {
  return "webhook " + url;
}

std::string EmailEndpoint(const std::string& address) {
  std::string lower = address;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return c < 0x80 ? static_cast<char>(std::tolower(c)) : static_cast<char>(c); });
  return "email " + lower;
}

const char* BreakerStateName(BreakerState s) {
  switch (s) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

EndpointGate::Endpoint& EndpointGate::Find(const std::string& endpoint, Clock::time_point now) {
  auto [it, added] = endpoints_.try_emplace(endpoint);
  if (added) {
    it->second.tokens = std::max(1.0, options_.rate_per_second);
    it->second.refilled = now;
    it->second.last_used = now;
  }
  return it->second;
}

void EndpointGate::Refill(Endpoint& e, Clock::time_point now) const {
  double rate = options_.rate_per_second * e.rate_factor;
  double capacity = std::max(1.0, rate);
  double elapsed = std::chrono::duration<double>(now - e.refilled).count();
  if (elapsed > 0) e.tokens = std::min(capacity, e.tokens + elapsed * rate);
  e.refilled = std::max(e.refilled, now);
}

void EndpointGate::Advance(Endpoint& e, Clock::time_point now) const {
  if (e.state == BreakerState::kOpen && now - e.opened >= options_.open_for) {
    e.state = BreakerState::kHalfOpen;
    e.trial_running = false;
  }
}

bool EndpointGate::Admissible(Endpoint& e, Clock::time_point now, Refusal* why) const {
  Advance(e, now);
  Refill(e, now);
  *why = Refusal::kNone;
  if (e.state == BreakerState::kOpen || (e.state == BreakerState::kHalfOpen && e.trial_running))
    *why = Refusal::kOpen;
  else if (e.in_flight >= options_.max_in_flight)
    *why = Refusal::kBusy;
  else if (e.tokens < 1.0 || now < e.not_before)
    *why = Refusal::kRateLimited;
  return *why == Refusal::kNone;
}

EndpointGate::Refusal EndpointGate::TryAcquire(const std::string& endpoint, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Endpoint& e = Find(endpoint, now);
  Refusal why;
  if (!Admissible(e, now, &why)) return why;
  ++e.in_flight;
  e.tokens -= 1.0;
  e.last_used = now;
  if (e.state == BreakerState::kHalfOpen) e.trial_running = true;
  return Refusal::kNone;
}

BreakerState EndpointGate::Release(const std::string& endpoint, bool succeeded, Clock::time_point now,
                                   Clock::duration took, bool* changed) {
  std::lock_guard lock(mutex_);
  Endpoint& e = Find(endpoint, now);
  if (e.in_flight > 0) --e.in_flight;
  e.mean_seconds = 0.8 * e.mean_seconds + 0.2 * std::chrono::duration<double>(took).count();
  e.last_used = now;
  if (succeeded) e.rate_factor = std::min(1.0, e.rate_factor * 2);
  BreakerState before = e.state;
  if (e.state == BreakerState::kHalfOpen && e.trial_running) {
    e.trial_running = false;
    if (succeeded) {
      e.state = BreakerState::kClosed;
      e.failures_in_row = 0;
      e.recent.clear();
    } else {
      e.state = BreakerState::kOpen;
      e.opened = now;
    }
  } else if (e.state == BreakerState::kClosed) {
    e.failures_in_row = succeeded ? 0 : e.failures_in_row + 1;
    e.recent.push_back(!succeeded);
    while (static_cast<int>(e.recent.size()) > options_.window) e.recent.pop_front();
    auto failed = std::count(e.recent.begin(), e.recent.end(), true);
    bool too_many = static_cast<int>(e.recent.size()) >= options_.window &&
                    static_cast<double>(failed) >= options_.failure_ratio * options_.window;
    if (e.failures_in_row >= options_.consecutive_failures || too_many) {
      e.state = BreakerState::kOpen;
      e.opened = now;
      e.failures_in_row = 0;
      e.recent.clear();
    }
  }
  // An attempt admitted while closed that ends after the breaker opened changes nothing more.
  if (changed) *changed = e.state != before;
  return e.state;
}

void EndpointGate::Abandon(const std::string& endpoint) {
  std::lock_guard lock(mutex_);
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return;
  if (it->second.in_flight > 0) --it->second.in_flight;
  if (it->second.state == BreakerState::kHalfOpen) it->second.trial_running = false;
}

void EndpointGate::SlowDown(const std::string& endpoint, Clock::time_point not_before, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Endpoint& e = Find(endpoint, now);
  Refill(e, now);
  e.rate_factor = std::max(1.0 / 64, e.rate_factor / 2);
  e.tokens = std::min(e.tokens, std::max(1.0, options_.rate_per_second * e.rate_factor));
  e.not_before = std::max(e.not_before, not_before);
  e.last_used = now;
}

double EndpointGate::RateOf(const std::string& endpoint, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  return options_.rate_per_second * Find(endpoint, now).rate_factor;
}

std::vector<std::string> EndpointGate::Blocked(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Forget(now);
  std::vector<std::string> out;
  Refusal why;
  for (auto& [name, e] : endpoints_)
    if (!Admissible(e, now, &why)) out.push_back(name);
  return out;
}

std::vector<EndpointGate::Deferral> EndpointGate::Deferrals(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::vector<Deferral> out;
  auto seconds = [](double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); };
  const Clock::duration rate_interval = seconds(1.0 / options_.rate_per_second);
  const double slow = std::chrono::duration<double>(options_.slow_after).count();
  for (auto& [name, e] : endpoints_) {
    Advance(e, now);
    Refill(e, now);
    Clock::duration pace = seconds(e.mean_seconds / options_.max_in_flight);
    const Clock::duration interval = seconds(1.0 / (options_.rate_per_second * e.rate_factor));
    if (e.state == BreakerState::kOpen)
      out.push_back({name, e.opened + options_.open_for, rate_interval});
    else if (e.state == BreakerState::kHalfOpen && e.trial_running)
      out.push_back({name, now + options_.defer_step, rate_interval});
    else if (now < e.not_before)
      out.push_back({name, e.not_before, interval});
    else if (e.tokens < 1.0)
      out.push_back({name, now + seconds((1.0 - e.tokens) / (options_.rate_per_second * e.rate_factor)), interval});
    else if (e.in_flight >= options_.max_in_flight && e.mean_seconds >= slow)
      out.push_back({name, now + pace, std::max(pace, rate_interval)});
  }
  return out;
}

BreakerState EndpointGate::State(const std::string& endpoint, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return BreakerState::kClosed;
  Advance(it->second, now);
  return it->second.state;
}

int EndpointGate::OpenCount(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  int open = 0;
  for (auto& [name, e] : endpoints_) {
    Advance(e, now);
    open += e.state != BreakerState::kClosed;
  }
  return open;
}

size_t EndpointGate::Tracked() {
  std::lock_guard lock(mutex_);
  return endpoints_.size();
}

// An endpoint unused for ten minutes with nothing in flight and a breaker not open is forgotten (a subscriber
// gone, or one quiet for long): the map stays as large as the endpoints in recent use.
void EndpointGate::Forget(Clock::time_point now) {
  if (now - last_forget_ < std::chrono::seconds(10)) return;
  last_forget_ = now;
  for (auto it = endpoints_.begin(); it != endpoints_.end();) {
    Endpoint& e = it->second;
    Advance(e, now);
    bool idle = e.state != BreakerState::kOpen && e.in_flight == 0 && now - e.last_used > std::chrono::minutes(10) &&
                now >= e.not_before;
    it = idle ? endpoints_.erase(it) : std::next(it);
  }
}

}  // namespace cchc::notification
