#pragma once
// What cchc-loadgen-deliveries published and what its webhook receiver got: per event (a published document),
// its phase, the start of its PublishDocument call, the call's outcome, and the arrival of its delivery at each
// healthy endpoint. Thread-safe: the publisher, gRPC's callbacks and the receiver's thread all write to it.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cchc::loadgen {

// One phase's healthy deliveries. Deliveries still missing when the figures were taken enter the percentiles
// at the time waited for them (cut-off minus publish): with any missing, p50/p99/max are lower bounds.
struct PhaseFigures {
  int phase = 0, pair = 0;
  bool with_dead = false;
  int64_t events = 0, publish_errors = 0;  // documents published (call OK), calls failed or unanswered
  int64_t expected = 0, received = 0, missing = 0;
  int64_t carried_over = 0;  // earlier phases' deliveries that arrived during this one (publishing + wait)
  double wait_seconds = 0;   // from the end of publishing to the figures
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double p99_received_ms = 0;          // over the received ones only
  int64_t black_hole_connections = 0;  // opened to the black hole during this phase (publishing + wait)

  nlohmann::json ToJson() const;
};

class DeliveryLedger {
 public:
  using Clock = std::chrono::steady_clock;
  explicit DeliveryLedger(int healthy);

  // Once, before anything is published: the documents' names and phases (0 … phases-1).
  void SetEvents(std::vector<std::string> names, const std::vector<int>& phase_of, int phases);
  const std::string& Name(int event) const { return events_[event].name; }
  void Published(int event);  // the call starts now
  void Answered(int event, const grpc::Status& status);
  // A request to the healthy receiver: path "/hook/N", body WebhookBody's JSON.
  void Received(std::string_view path, std::string_view body, Clock::time_point at);

  // Until every call of `phase` is answered and every healthy delivery of its published events has arrived,
  // or `deadline`; true if all arrived.
  bool WaitPhase(int phase, Clock::time_point deadline);
  // The same for every phase before `phase`.
  bool WaitEarlier(int phase, Clock::time_point deadline);
  // Until every call made is answered, or `deadline`.
  void WaitAnswers(Clock::time_point deadline);
  // `phase`'s figures as of `cutoff`; `begin` is the start of its publishing, `published_end` its end.
  PhaseFigures Figures(int phase, Clock::time_point begin, Clock::time_point published_end, Clock::time_point cutoff);
  // Over the whole run: duplicates, deliveries of unknown events, malformed bodies, late arrivals (after
  // their phase's figures), publish errors by code.
  nlohmann::json Totals();

 private:
  struct Event {
    std::string name;
    int phase = 0;
    int64_t published_us = 0;  // 0: not yet
    bool answered = false, ok = false;
    std::vector<int64_t> arrived_us;  // per healthy endpoint; 0: not yet
  };
  int64_t Micros(Clock::time_point t) const;
  bool Complete(int phase) const;  // mu_ held

  const int healthy_;
  const Clock::time_point epoch_ = Clock::now();
  std::vector<Event> events_;
  std::unordered_map<std::string, int> by_name_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<int64_t> count_, answered_, ok_, arrived_;  // per phase
  std::vector<int64_t> cutoff_us_;                        // per phase, once its figures are taken
  int64_t duplicates_ = 0, unknown_ = 0, malformed_ = 0;
  std::map<std::string, int64_t> publish_errors_;
};

}  // namespace cchc::loadgen
