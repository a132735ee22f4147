#pragma once
// The platform's metrics: a thin layer over prometheus-cpp (core + pull, Debian's prometheus-cpp-dev). Counters,
// gauges and histograms are prometheus-cpp's own; a Family adds the family's ordered label names, so a caller
// passes values only. Looking a child up builds a label map and takes the family's lock: on hot paths, look
// it up once and keep the reference (children live as long as the registry).
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace prometheus {
class Exposer;
}

namespace cchc::metrics {

using Counter = prometheus::Counter;
using Gauge = prometheus::Gauge;
using Histogram = prometheus::Histogram;

// Buckets for request latencies in seconds, 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

enum class Type { kCounter, kGauge, kHistogram };

// One metric name with a fixed list of label names. References returned by WithLabels stay valid. A child is
// found in prometheus-cpp (a label map built, the family's lock, for a histogram its buckets allocated) only the
// first time its values are seen, then in this family's own index under a shared lock; hot paths with fixed
// values still look their children up once and keep the references.
template <typename T>
class Family {
 public:
  Family(prometheus::Family<T>& family, std::vector<std::string> label_names, std::vector<double> bounds = {})
      : family_(family), label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}

  // `values` has one entry per label name, in their order.
  T& WithLabels(const std::vector<std::string>& values) {
    {
      std::shared_lock lock(mu_);
      auto it = children_.find(values);
      if (it != children_.end()) return *it->second;
    }
    prometheus::Labels labels;
    for (size_t i = 0; i < label_names_.size() && i < values.size(); ++i) labels.emplace(label_names_[i], values[i]);
    T* child;
    if constexpr (std::is_same_v<T, Histogram>) {
      child = &family_.Add(labels, bounds_);
    } else {
      child = &family_.Add(labels);
    }
    std::unique_lock lock(mu_);
    children_.emplace(values, child);
    return *child;
  }
  const std::vector<std::string>& LabelNames() const { return label_names_; }

 private:
  prometheus::Family<T>& family_;
  std::vector<std::string> label_names_;
  Histogram::BucketBoundaries bounds_;
  std::shared_mutex mu_;
  std::map<std::vector<std::string>, T*> children_;
};

class Registry {
 public:
  Registry();
  ~Registry();
  // The same name again returns the same family; the same name with another type throws std::logic_error.
  Family<Counter>& AddCounter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Gauge>& AddGauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
  Family<Histogram>& AddHistogram(const std::string& name, const std::string& help, std::vector<std::string> labels,
                                  std::vector<double> bounds);
  // Every family in the text exposition format (prometheus::TextSerializer), as /metrics serves it.
  std::string Render() const;
  const std::shared_ptr<prometheus::Registry>& Prometheus() const { return registry_; }

 private:
  struct Entry {
    Type type;
    std::unique_ptr<Family<Counter>> counter;
    std::unique_ptr<Family<Gauge>> gauge;
    std::unique_ptr<Family<Histogram>> histogram;
  };
  Entry* Find(const std::string& name, Type type);
  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

// Serves GET /metrics (prometheus::Exposer, concurrent scrapes) until destroyed.
class MetricsServer {
 public:
  // `address` is host:port with an IPv4 host or localhost; port 0 picks a free port. Throws
  // std::runtime_error naming the address if it cannot listen.
  MetricsServer(const std::string& address, const Registry& registry);
  ~MetricsServer();
  int Port() const { return port_; }

 private:
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string host_;
  int port_ = 0;
};

}  // namespace cchc::metrics
