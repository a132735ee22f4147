#include "delivery_ledger.h"

#include <algorithm>
#include <charconv>

#include "driver.h"
#include "stats.h"

namespace cchc::loadgen {

nlohmann::json PhaseFigures::ToJson() const {
  return {{"phase", phase},
          {"pair", pair},
          {"with_dead", with_dead},
          {"events", events},
          {"publish_errors", publish_errors},
          {"healthy_expected", expected},
          {"healthy_received", received},
          {"healthy_missing", missing},
          {"p50_ms", p50_ms},
          {"p99_ms", p99_ms},
          {"max_ms", max_ms},
          {"lower_bounds", missing > 0},
          {"p99_received_only_ms", p99_received_ms},
          {"carried_over", carried_over},
          {"wait_seconds", wait_seconds},
          {"black_hole_connections", black_hole_connections}};
}

DeliveryLedger::DeliveryLedger(int healthy) : healthy_(healthy) {}

int64_t DeliveryLedger::Micros(Clock::time_point t) const {
  return std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::microseconds>(t - epoch_).count());
}

void DeliveryLedger::SetEvents(std::vector<std::string> names, const std::vector<int>& phase_of, int phases) {
  std::lock_guard lock(mu_);
  events_.resize(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    events_[i].name = std::move(names[i]);
    events_[i].phase = phase_of[i];
    events_[i].arrived_us.assign(healthy_, 0);
    by_name_[events_[i].name] = static_cast<int>(i);
  }
  count_.assign(phases, 0);
  answered_.assign(phases, 0);
  ok_.assign(phases, 0);
  arrived_.assign(phases, 0);
  cutoff_us_.assign(phases, 0);
  for (int p : phase_of) ++count_[p];
}

void DeliveryLedger::Published(int event) {
  int64_t now = Micros(Clock::now());
  std::lock_guard lock(mu_);
  events_[event].published_us = now;
}

void DeliveryLedger::Answered(int event, const grpc::Status& status) {
  std::lock_guard lock(mu_);
  Event& e = events_[event];
  e.answered = true;
  e.ok = status.ok();
  ++answered_[e.phase];
  if (e.ok)
    ++ok_[e.phase];
  else
    ++publish_errors_[ErrorName(status)];
  changed_.notify_all();
}

void DeliveryLedger::Received(std::string_view path, std::string_view body, Clock::time_point at) {
  const int64_t at_us = Micros(at);
  int hook = -1;
  constexpr std::string_view kPrefix = "/hook/";
  if (path.substr(0, kPrefix.size()) == kPrefix) {
    auto digits = path.substr(kPrefix.size());
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), hook);
    if (ec != std::errc() || end != digits.data() + digits.size() || hook < 0 || hook >= healthy_) hook = -1;
  }
  std::vector<std::string> subjects;
  auto j = nlohmann::json::parse(body, nullptr, false);
  try {
    // Standard Webhooks' {"type", "timestamp", "data"}: one notification's subject in data, a digest's in its items.
    const auto& data = j.at("data");
    if (data.contains("items")) {
      for (const auto& n : data.at("items")) subjects.push_back(n.at("subject").get<std::string>());
    } else {
      subjects.push_back(data.at("subject").get<std::string>());
    }
  } catch (const std::exception&) {
    subjects.clear();
  }
  std::lock_guard lock(mu_);
  if (hook < 0 || subjects.empty()) {
    ++malformed_;
    return;
  }
  for (const auto& subject : subjects) {
    auto it = by_name_.find(subject);
    if (it == by_name_.end()) {
      ++unknown_;
      continue;
    }
    Event& e = events_[it->second];
    if (e.arrived_us[hook] != 0) {
      ++duplicates_;
      continue;
    }
    e.arrived_us[hook] = at_us;
    ++arrived_[e.phase];
  }
  changed_.notify_all();
}

bool DeliveryLedger::Complete(int phase) const {
  return answered_[phase] == count_[phase] && arrived_[phase] >= ok_[phase] * healthy_;
}

bool DeliveryLedger::WaitPhase(int phase, Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return changed_.wait_until(lock, deadline, [&] { return Complete(phase); });
}

bool DeliveryLedger::WaitEarlier(int phase, Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return changed_.wait_until(lock, deadline, [&] {
    for (int p = 0; p < phase; ++p)
      if (!Complete(p)) return false;
    return true;
  });
}

void DeliveryLedger::WaitAnswers(Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  changed_.wait_until(lock, deadline, [&] {
    for (size_t p = 0; p < count_.size(); ++p)
      if (answered_[p] != count_[p]) {
        // Only calls made count: a phase not yet published has no published_us.
        bool started = false;
        for (const auto& e : events_) started = started || (static_cast<size_t>(e.phase) == p && e.published_us);
        if (started) return false;
      }
    return true;
  });
}

PhaseFigures DeliveryLedger::Figures(int phase, Clock::time_point begin, Clock::time_point published_end,
                                     Clock::time_point cutoff) {
  PhaseFigures f;
  f.phase = phase;
  f.wait_seconds = std::chrono::duration<double>(cutoff - published_end).count();
  const int64_t begin_us = Micros(begin), cutoff_us = Micros(cutoff);
  std::vector<uint32_t> all, received;
  std::lock_guard lock(mu_);
  cutoff_us_[phase] = cutoff_us;
  for (const auto& e : events_) {
    if (e.phase < phase) {
      for (int64_t a : e.arrived_us) f.carried_over += a >= begin_us && a <= cutoff_us;
      continue;
    }
    if (e.phase != phase) continue;
    if (!e.answered || !e.ok) {
      ++f.publish_errors;
      continue;
    }
    ++f.events;
    for (int64_t a : e.arrived_us) {
      ++f.expected;
      if (a != 0 && a <= cutoff_us) {
        ++f.received;
        auto latency = static_cast<uint32_t>(std::max<int64_t>(0, a - e.published_us));
        all.push_back(latency);
        received.push_back(latency);
      } else {
        ++f.missing;
        all.push_back(static_cast<uint32_t>(std::max<int64_t>(0, cutoff_us - e.published_us)));
      }
    }
  }
  Stats s = Summarize("healthy", all, {}, 0);
  f.p50_ms = s.p50_ms;
  f.p99_ms = s.p99_ms;
  f.max_ms = s.max_ms;
  f.p99_received_ms = Summarize("received", received, {}, 0).p99_ms;
  return f;
}

nlohmann::json DeliveryLedger::Totals() {
  std::lock_guard lock(mu_);
  int64_t late = 0;
  for (const auto& e : events_) {
    int64_t cutoff = cutoff_us_[e.phase];
    if (cutoff == 0) continue;  // the warm-up
    for (int64_t a : e.arrived_us) late += a > cutoff;
  }
  return {{"duplicates", duplicates_},
          {"unknown_events", unknown_},
          {"malformed_bodies", malformed_},
          {"arrived_after_their_phase_figures", late},
          {"publish_errors", publish_errors_}};
}

}  // namespace cchc::loadgen
