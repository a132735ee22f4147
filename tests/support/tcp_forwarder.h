#pragma once
// A TCP forwarder on loopback for fault tests: it passes bytes both ways between its clients and a target
// port, until told to black-hole — then it stops reading and writing on every connection, old and new, without
// closing any: the peer sees a connection that is open and silent, as behind a dead route or a hung server.
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cchc::testing {

class TcpForwarder {
 public:
  explicit TcpForwarder(int target_port);  // listens on a free 127.0.0.1 port at once
  ~TcpForwarder();
  int Port() const { return port_; }
  // True: from now on nothing passes, and connections stay open. False: bytes flow again.
  void BlackHole(bool on) { black_hole_ = on; }

 private:
  void AcceptLoop();
  void Pump(int client, int upstream);

  int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> black_hole_{false};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::thread> threads_;
  std::vector<int> fds_;
  std::thread acceptor_;
};

}  // namespace cchc::testing
