#include "metrics.h"

#include <arpa/inet.h>
#include <prometheus/exposer.h>
#include <prometheus/text_serializer.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "net.h"
#include "thread_name.h"

namespace cchc::metrics {

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Registry() : registry_(std::make_shared<prometheus::Registry>()) {}
Registry::~Registry() = default;

Registry::Entry* Registry::Find(const std::string& name, Type type) {
  auto it = entries_.find(name);
  if (it == entries_.end()) return nullptr;
  if (it->second.type != type) throw std::logic_error("metric " + name + " registered twice with different types");
  return &it->second;
}

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  if (auto* e = Find(name, Type::kCounter)) return *e->counter;
  auto& family = prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
  auto& entry = entries_[name];
  entry.type = Type::kCounter;
  entry.counter = std::make_unique<Family<Counter>>(family, std::move(labels));
  return *entry.counter;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  std::lock_guard lock(mu_);
  if (auto* e = Find(name, Type::kGauge)) return *e->gauge;
  auto& family = prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
  auto& entry = entries_[name];
  entry.type = Type::kGauge;
  entry.gauge = std::make_unique<Family<Gauge>>(family, std::move(labels));
  return *entry.gauge;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<std::string> labels, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  if (auto* e = Find(name, Type::kHistogram)) return *e->histogram;
  auto& family = prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
  auto& entry = entries_[name];
  entry.type = Type::kHistogram;
  entry.histogram = std::make_unique<Family<Histogram>>(family, std::move(labels), std::move(bounds));
  return *entry.histogram;
}

std::string Registry::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

MetricsServer::MetricsServer(const std::string& address, const Registry& registry) {
  auto [host, port] = net::SplitHostPort(address);
  if (host == "localhost") host = "127.0.0.1";
  in_addr ignored{};
  if (inet_pton(AF_INET, host.c_str(), &ignored) != 1)
    throw std::runtime_error("cannot listen on " + address + ": host must be an IPv4 address");
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(host + ":" + std::to_string(port));
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + address + ": " + e.what());
  }
  exposer_->RegisterCollectable(registry.Prometheus());
  host_ = host;
  auto ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? port : ports.front();
}

// civetweb's listener polls in 2 s quanta and sees a stop only between them, so a bare ~Exposer takes up to 2 s
// (every service's exit, and a restarted service's consumer group waited on it). A connection ends the poll at
// once: one is made every 10 ms until the Exposer is gone.
MetricsServer::~MetricsServer() {
  std::atomic<bool> stopped{false};
  std::string host = host_ == "0.0.0.0" ? "127.0.0.1" : host_;
  std::thread waker([&] {
    NameThisThread("metrics-stop");
    while (!stopped) {
      int fd = net::ConnectTcp(host, port_);
      if (fd >= 0) close(fd);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  exposer_.reset();
  stopped = true;
  waker.join();
}

}  // namespace cchc::metrics
