#include "webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace cchc::loadgen {
namespace {

constexpr size_t kMaxHeader = 64 * 1024, kMaxBody = 8 * 1024 * 1024;

int Listen(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4096) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string error = std::strerror(errno);
    ::close(fd);
    throw std::runtime_error("listen on 127.0.0.1: " + error);
  }
  *port = ntohs(addr.sin_port);
  return fd;
}

// The value of header `name` (lower case, with its colon) in `head` (the request line and headers), "" if absent.
std::string Header(std::string_view head, std::string_view name) {
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    size_t start = pos + 2, end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? end : end - start);
    if (line.size() >= name.size()) {
      bool same = true;
      for (size_t i = 0; i < name.size() && same; ++i)
        same = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
      if (same) {
        std::string_view v = line.substr(name.size());
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
        std::string out(v);
        for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
      }
    }
    pos = end;
  }
  return "";
}

struct Connection {
  std::string in, out;
  bool continued = false;  // "100 Continue" sent for the request being read
  bool closing = false;    // close once `out` is written
};

}  // namespace

WebhookReceiver::WebhookReceiver(OnRequest on_request) : on_request_(std::move(on_request)) {
  listen_fd_ = Listen(&port_);
  black_hole_fd_ = Listen(&black_hole_port_);
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  stop_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || stop_fd_ < 0) throw std::runtime_error(std::string("epoll: ") + std::strerror(errno));
  for (int fd : {listen_fd_, black_hole_fd_, stop_fd_}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
  }
  thread_ = std::thread([this] { Run(); });
}

WebhookReceiver::~WebhookReceiver() {
  uint64_t one = 1;
  if (::write(stop_fd_, &one, sizeof one) < 0) {
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : {listen_fd_, black_hole_fd_, epoll_fd_, stop_fd_})
    if (fd >= 0) ::close(fd);
}

void WebhookReceiver::Run() {
  std::unordered_map<int, Connection> connections;
  std::vector<int> held;  // the black hole's connections, never read
  auto close_connection = [&](int fd) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections.erase(fd);
  };
  // Writes what `c` has to send; false once the connection is closed.
  auto flush = [&](int fd, Connection& c) {
    while (!c.out.empty()) {
      ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) {
        close_connection(fd);
        return false;
      }
      c.out.erase(0, static_cast<size_t>(n));
    }
    if (c.out.empty() && c.closing) {
      close_connection(fd);
      return false;
    }
    epoll_event ev{};
    ev.events = c.out.empty() ? uint32_t{EPOLLIN} : uint32_t{EPOLLIN | EPOLLOUT};
    ev.data.fd = fd;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev);
    return true;
  };
  // Answers every complete request in `c.in`; false once the connection is closed.
  auto serve = [&](int fd, Connection& c, Clock::time_point at) {
    for (;;) {
      size_t head_end = c.in.find("\r\n\r\n");
      if (head_end == std::string::npos) {
        if (c.in.size() > kMaxHeader) {
          ++malformed_;
          close_connection(fd);
          return false;
        }
        return true;
      }
      std::string_view head(c.in.data(), head_end);
      std::string length_text = Header(head, "content-length:");
      size_t length = 0;
      if (!length_text.empty()) {
        try {
          length = std::stoul(length_text);
        } catch (const std::exception&) {
          length = kMaxBody + 1;
        }
      }
      if (length > kMaxBody || !Header(head, "transfer-encoding:").empty()) {
        ++malformed_;  // the service sends a Content-Length body; nothing else is expected here
        close_connection(fd);
        return false;
      }
      if (c.in.size() < head_end + 4 + length) {
        if (!c.continued && Header(head, "expect:") == "100-continue") {
          c.out += "HTTP/1.1 100 Continue\r\n\r\n";
          c.continued = true;
        }
        return true;
      }
      std::string_view line = head.substr(0, head.find("\r\n"));  // "POST /hook/7 HTTP/1.1"
      size_t path_start = line.find(' '), path_end = line.find(' ', path_start + 1);
      bool parsed = path_start != std::string_view::npos && path_end != std::string_view::npos;
      std::string_view path = parsed ? line.substr(path_start + 1, path_end - path_start - 1) : std::string_view();
      bool close = Header(head, "connection:") == "close" || (parsed && line.substr(path_end + 1) == "HTTP/1.0");
      on_request_(path, std::string_view(c.in.data() + head_end + 4, length), at);
      ++requests_;
      c.out += close ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                     : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
      c.in.erase(0, head_end + 4 + length);
      c.continued = false;
      if (close) {
        c.closing = true;
        return true;
      }
    }
  };

  std::vector<epoll_event> events(256);
  std::vector<char> buffer(64 * 1024);
  for (bool running = true; running;) {
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == stop_fd_) {
        running = false;
      } else if (fd == listen_fd_ || fd == black_hole_fd_) {
        for (;;) {
          int conn = ::accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (conn < 0) break;
          if (fd == black_hole_fd_) {
            held.push_back(conn);
            ++black_hole_connections_;
            continue;
          }
          int one = 1;
          ::setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.fd = conn;
          ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, conn, &ev);
          connections[conn];
        }
      } else {
        auto it = connections.find(fd);
        if (it == connections.end()) continue;
        Connection& c = it->second;
        if (events[i].events & EPOLLOUT) {
          if (!flush(fd, c)) continue;
        }
        if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
        ssize_t got = ::recv(fd, buffer.data(), buffer.size(), 0);
        auto at = Clock::now();
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
        if (got <= 0) {
          close_connection(fd);
          continue;
        }
        c.in.append(buffer.data(), static_cast<size_t>(got));
        if (serve(fd, c, at)) flush(fd, c);
      }
    }
  }
  for (auto& [fd, c] : connections) ::close(fd);
  for (int fd : held) ::close(fd);
}

}  // namespace cchc::loadgen
