#pragma once
// Latency and throughput of one measured phase, and how they are printed.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cchc::loadgen {

struct Stats {
  std::string name;
  int64_t ok = 0;                         // successful calls started inside the measured window
  std::map<std::string, int64_t> errors;  // failed calls by gRPC code name (or "sql_error")
  double seconds = 0;                     // measured window, warm-up excluded
  double qps = 0;                         // ok / seconds
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;

  int64_t ErrorCount() const;
  nlohmann::json ToJson() const;
};

// Summarises per-call latencies (microseconds; reordered in place).
Stats Summarize(std::string name, std::vector<uint32_t>& latencies_us, std::map<std::string, int64_t> errors,
                double seconds);

// Table helpers: `v` with `decimals` places; `s` padded to `width` bytes (labels here are ASCII); the errors
// of `s` as "CODE:n,…" ("0" when none).
std::string Fixed(double v, int decimals);
std::string Pad(std::string s, size_t width, bool left = false);
std::string Errors(const Stats& s);

}  // namespace cchc::loadgen
