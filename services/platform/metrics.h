#pragma once
// A small Prometheus client: counters, gauges and histograms with labels, rendered in the text exposition
// format (version 0.0.4). prometheus-cpp is not packaged for Debian 12, so this is ours; it is lock-free on
// the hot path (label lookup takes a shared lock, updates are atomic).
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace cchc::metrics {

class Counter {
 public:
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Increment(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  void Decrement(double by = 1) { value_.fetch_sub(by, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Cumulative counts per bound, then the +Inf count.
  std::vector<uint64_t> CumulativeCounts() const;
  const std::vector<double>& Bounds() const { return bounds_; }
  double Sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // one per bound plus +Inf, not cumulative
  std::atomic<double> sum_{0};
};

// Buckets for request latencies in seconds, 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

enum class Type { kCounter, kGauge, kHistogram };

// One metric name with a fixed list of label names; children are created on first use and live as long as
// the family. References returned by WithLabels stay valid.
template <typename T>
class Family {
 public:
  Family(std::vector<std::string> label_names, std::vector<double> bounds = {})
      : label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}

  // `values` must have one entry per label name.
  T& WithLabels(const std::vector<std::string>& values) {
    {
      std::shared_lock lock(mu_);
      auto it = children_.find(values);
      if (it != children_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& slot = children_[values];
    if (!slot) slot = Make();
    return *slot;
  }

  template <typename Fn>
  void ForEach(Fn&& fn) const {
    std::shared_lock lock(mu_);
    for (const auto& [values, child] : children_) fn(values, *child);
  }
  const std::vector<std::string>& LabelNames() const { return label_names_; }

 private:
  std::unique_ptr<T> Make() {
    if constexpr (std::is_same_v<T, Histogram>) {
      return std::make_unique<Histogram>(bounds_);
    } else {
      return std::make_unique<T>();
    }
  }
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<T>> children_;
};

class Registry {
 public:
  Family<Counter>& AddCounter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                                  std::vector<double> bounds);
  // Every family in the text exposition format.
  std::string Render() const;

 private:
  struct Entry {
    std::string name, help;
    Type type;
    std::unique_ptr<Family<Counter>> counter;
    std::unique_ptr<Family<Gauge>> gauge;
    std::unique_ptr<Family<Histogram>> histogram;
  };
  // The entry of `name`; a new one gets its family from `make_family` before Render can see it.
  Entry& Add(const std::string& name, const std::string& help, Type type,
             const std::function<void(Entry&)>& make_family);
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// Escapes a label value for the exposition format.
std::string EscapeLabelValue(const std::string& v);

// Serves GET /metrics on its own port from a background thread until destroyed.
class MetricsServer {
 public:
  // `address` is host:port; port 0 picks a free port. Throws std::runtime_error naming the address if it
  // cannot listen.
  MetricsServer(const std::string& address, const Registry& registry);
  ~MetricsServer();
  int Port() const { return port_; }

 private:
  void Loop();
  const Registry& registry_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cchc::metrics
