#include "metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "net.h"
#include "thread_name.h"

namespace cchc::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Entry& Registry::Add(const std::string& name, const std::string& help, Type type,
                               const std::function<void(Entry&)>& make_family) {
  std::lock_guard lock(mu_);
  for (auto& e : entries_) {
    if (e->name == name) {
      if (e->type != type) throw std::logic_error("metric " + name + " registered twice with different types");
      return *e;
    }
  }
  // Complete under the lock: a scrape (Render, on the metrics thread) that saw an entry without its family
  // dereferenced null, which crashed a service starting while a probe polled /metrics.
  auto entry = std::make_unique<Entry>(Entry{name, help, type, nullptr, nullptr, nullptr});
  make_family(*entry);
  entries_.push_back(std::move(entry));
  return *entries_.back();
}

Family<Counter>& Registry::AddCounter(const std::string& name, const std::string& help,
                                      std::vector<std::string> labels) {
  return *Add(name, help, Type::kCounter, [&](Entry& e) {
            e.counter = std::make_unique<Family<Counter>>(std::move(labels));
          }).counter;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return *Add(name, help, Type::kGauge, [&](Entry& e) {
            e.gauge = std::make_unique<Family<Gauge>>(std::move(labels));
          }).gauge;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, const std::string& help,
                                          std::vector<std::string> labels, std::vector<double> bounds) {
  return *Add(name, help, Type::kHistogram, [&](Entry& e) {
            e.histogram = std::make_unique<Family<Histogram>>(std::move(labels), std::move(bounds));
          }).histogram;
}

std::string EscapeLabelValue(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

namespace {
std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      const std::string& extra_name = "", const std::string& extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += out.empty() ? "" : ",";
    out += names[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
  }
  if (!extra_name.empty()) {
    out += out.empty() ? "" : ",";
    out += extra_name + "=\"" + extra_value + "\"";
  }
  return out.empty() ? "" : "{" + out + "}";
}
}  // namespace

std::string Registry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& e : entries_) {
    out += "# HELP " + e->name + " " + e->help + "\n";
    switch (e->type) {
      case Type::kCounter:
        out += "# TYPE " + e->name + " counter\n";
        e->counter->ForEach([&](const auto& values, const Counter& c) {
          out += e->name + LabelText(e->counter->LabelNames(), values) + " " + FormatNumber(c.Value()) + "\n";
        });
        break;
      case Type::kGauge:
        out += "# TYPE " + e->name + " gauge\n";
        e->gauge->ForEach([&](const auto& values, const Gauge& g) {
          out += e->name + LabelText(e->gauge->LabelNames(), values) + " " + FormatNumber(g.Value()) + "\n";
        });
        break;
      case Type::kHistogram:
        out += "# TYPE " + e->name + " histogram\n";
        e->histogram->ForEach([&](const auto& values, const Histogram& h) {
          const auto& names = e->histogram->LabelNames();
          auto counts = h.CumulativeCounts();
          for (size_t i = 0; i < h.Bounds().size(); ++i) {
            out += e->name + "_bucket" + LabelText(names, values, "le", FormatNumber(h.Bounds()[i])) + " " +
                   std::to_string(counts[i]) + "\n";
          }
          out +=
              e->name + "_bucket" + LabelText(names, values, "le", "+Inf") + " " + std::to_string(counts.back()) + "\n";
          out += e->name + "_sum" + LabelText(names, values) + " " + FormatNumber(h.Sum()) + "\n";
          out += e->name + "_count" + LabelText(names, values) + " " + std::to_string(counts.back()) + "\n";
        });
        break;
    }
  }
  return out;
}

MetricsServer::MetricsServer(const std::string& address, const Registry& registry) : registry_(registry) {
  listen_fd_ = net::ListenTcp(address, &port_);
  thread_ = std::thread([this] {
    NameThisThread("metrics-http");
    Loop();
  });
}

MetricsServer::~MetricsServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void MetricsServer::Loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    timeval tv{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    std::string request;
    char buf[2048];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 8192) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    std::string status = "200 OK", type = "text/plain; version=0.0.4; charset=utf-8", body;
    if (request.rfind("GET /metrics", 0) == 0) {
      body = registry_.Render();
    } else {
      status = "404 Not Found";
      type = "text/plain";
      body = "not found: try /metrics\n";
    }
    std::string response = "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                           body;
    net::SendAll(fd, response);
    close(fd);
  }
}

}  // namespace cchc::metrics
