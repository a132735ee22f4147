#include "forwarder.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/net.h"

namespace cchc::broker {

Forwarder::Forwarder(const std::string& listen_address, std::vector<std::string> targets)
    : targets_(std::move(targets)) {
  listen_fd_ = net::ListenTcp(listen_address, &port_);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

Forwarder::~Forwarder() {
  stop_ = true;
  if (accept_thread_.joinable()) accept_thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void Forwarder::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    std::thread([this, client] { Pipe(client); }).detach();
  }
}

void Forwarder::Pipe(int client) {
  int upstream = -1;
  for (const auto& t : targets_) {
    auto [host, port] = net::SplitHostPort(t);
    upstream = net::ConnectTcp(host, port);
    if (upstream >= 0) break;
  }
  if (upstream < 0) {
    close(client);
    return;
  }
  char buf[65536];
  pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  while (!stop_) {
    int n = poll(fds, 2, 500);
    if (n < 0) break;
    if (n == 0) continue;
    bool closed = false;
    for (int i = 0; i < 2 && !closed; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = recv(fds[i].fd, buf, sizeof buf, 0);
      if (got <= 0 || !net::SendAll(fds[1 - i].fd, std::string_view(buf, static_cast<size_t>(got)))) closed = true;
    }
    if (closed) break;
  }
  close(client);
  close(upstream);
}

}  // namespace cchc::broker
