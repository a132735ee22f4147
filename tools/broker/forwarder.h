#pragma once
// A TCP forwarder: connections to the fixed bootstrap port are piped to the first mock broker that
// accepts. Clients learn the brokers' own loopback ports from metadata and use them afterwards.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace cchc::broker {

class Forwarder {
 public:
  // Listens on `listen_address` (host:port). `targets` are "host:port" tried in order. Throws
  // std::runtime_error naming the address when it cannot listen (e.g. the port is taken).
  Forwarder(const std::string& listen_address, std::vector<std::string> targets);
  ~Forwarder();
  int Port() const { return port_; }

 private:
  void AcceptLoop();
  void Pipe(int client);
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<std::string> targets_;
  std::atomic<bool> stop_{false};
  std::thread accept_thread_;
};

}  // namespace cchc::broker
