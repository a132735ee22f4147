#include "stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cchc::loadgen {
namespace {

// The q-quantile (nearest rank) of `v`, in milliseconds; partially sorts `v`.
double Quantile(std::vector<uint32_t>& v, double q) {
  if (v.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  size_t index = rank == 0 ? 0 : std::min(rank - 1, v.size() - 1);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(index), v.end());
  return v[index] / 1000.0;
}

}  // namespace

int64_t Stats::ErrorCount() const {
  int64_t n = 0;
  for (const auto& [code, count] : errors) n += count;
  return n;
}

nlohmann::json Stats::ToJson() const {
  return {{"name", name},     {"ok", ok},         {"errors", errors}, {"seconds", seconds}, {"qps", qps},
          {"p50_ms", p50_ms}, {"p95_ms", p95_ms}, {"p99_ms", p99_ms}, {"max_ms", max_ms}};
}

Stats Summarize(std::string name, std::vector<uint32_t>& latencies_us, std::map<std::string, int64_t> errors,
                double seconds) {
  Stats s;
  s.name = std::move(name);
  s.ok = static_cast<int64_t>(latencies_us.size());
  s.errors = std::move(errors);
  s.seconds = seconds;
  s.qps = seconds > 0 ? static_cast<double>(s.ok) / seconds : 0;
  s.p50_ms = Quantile(latencies_us, 0.50);
  s.p95_ms = Quantile(latencies_us, 0.95);
  s.p99_ms = Quantile(latencies_us, 0.99);
  s.max_ms = latencies_us.empty() ? 0 : *std::max_element(latencies_us.begin(), latencies_us.end()) / 1000.0;
  return s;
}

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Pad(std::string s, size_t width, bool left) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

std::string Errors(const Stats& s) {
  if (s.errors.empty()) return "0";
  std::string out;
  for (const auto& [code, n] : s.errors) out += (out.empty() ? "" : ",") + code + ":" + std::to_string(n);
  return out;
}

}  // namespace cchc::loadgen
