#pragma once
// Loopback webhook endpoints for the delivery benchmark, served by one thread (epoll):
//  - a healthy HTTP/1.1 receiver on 127.0.0.1 that answers every request 200 at once (keep-alive honoured,
//    "Expect: 100-continue" answered) and hands each request's path, body and arrival time to a callback;
//  - a black hole on another 127.0.0.1 port that accepts connections and never reads or answers, keeping them
//    open until the receiver is destroyed.
#include <atomic>
#include <chrono>
#include <functional>
#include <string_view>
#include <thread>

namespace cchc::loadgen {

class WebhookReceiver {
 public:
  using Clock = std::chrono::steady_clock;
  // Called on the receiver's thread once a request's body is complete, before the answer is written.
  using OnRequest = std::function<void(std::string_view path, std::string_view body, Clock::time_point at)>;

  // Binds both listeners on 127.0.0.1 (ports chosen by the kernel) and starts the thread; throws on failure.
  explicit WebhookReceiver(OnRequest on_request);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  int black_hole_port() const { return black_hole_port_; }
  // Connections the black hole holds; requests answered; requests refused as malformed (closed).
  int64_t black_hole_connections() const { return black_hole_connections_; }
  int64_t requests() const { return requests_; }
  int64_t malformed() const { return malformed_; }

 private:
  void Run();

  OnRequest on_request_;
  int listen_fd_ = -1, black_hole_fd_ = -1, epoll_fd_ = -1, stop_fd_ = -1;
  int port_ = 0, black_hole_port_ = 0;
  std::atomic<int64_t> black_hole_connections_{0}, requests_{0}, malformed_{0};
  std::thread thread_;
};

}  // namespace cchc::loadgen
