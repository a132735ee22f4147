#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "platform/net.h"

namespace cchc::testing {
namespace {

// A service stopping with SIGTERM sends its clients GOAWAY and waits, up to its drain deadline, until their
// connections close. A gRPC client reads an idle channel's connection only at its backup poll, every 5 s by
// default, so each stop in a test waited for this process's idle channels: 1.5-2 s of the notification
// service's 2 s deadline, and once 9.3 s for a drain whose streams had ended in 0.2 s. The tests' clients poll
// every 100 ms, as a client with calls in flight would see the GOAWAY at once. gRPC reads this when it
// initialises, after static initialisation; a value set by the caller stays. Children inherit it.
[[maybe_unused]] const bool kQuickBackupPoll = setenv("GRPC_CLIENT_CHANNEL_BACKUP_POLL_INTERVAL_MS", "100", 0) == 0;

}  // namespace

int FreePort() {
  // Below the kernel's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default). A port the
  // kernel picks for us comes from that range, and any outgoing connection (a client's, PostgreSQL's, the
  // broker's) may take it before the server meant to listen on it starts: a news replica started 30 s after
  // its suite chose its port found it in use. Ports below the range are never given to outgoing connections.
  // Each test process starts in a block of 100 of its own (by its pid), so two test binaries that ctest runs
  // side by side rarely pick the same port even before either listens on it; within the process, ports go
  // out one after another, each checked free, none twice.
  constexpr int kLow = 10000, kHigh = 32767, kBlock = 100;
  static std::mutex mu;
  static int next = kLow + static_cast<int>(getpid() % ((kHigh - kLow + 1) / kBlock)) * kBlock;
  std::lock_guard lock(mu);
  for (int tried = 0; tried <= kHigh - kLow; ++tried) {
    int port = next;
    next = next == kHigh ? kLow : next + 1;
    try {
      int bound = 0;
      close(net::ListenTcp("127.0.0.1:" + std::to_string(port), &bound));
    } catch (const std::exception&) {
      continue;  // in use
    }
    return port;
  }
  throw std::runtime_error("no free port in 10000-32767");
}

std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  if (rc != 0) throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + command + "\n" + out);
  return out;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/cchc-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
  chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
  if (std::getenv("CCHC_TEST_KEEP")) return;  // keep logs and data for a post-mortem
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Process::Process(std::vector<std::string> argv, const std::string& log_path, std::map<std::string, std::string> env)
    : log_path_(log_path) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
}

Process::~Process() {
  if (Running()) {
    kill(pid_, SIGKILL);
    Wait(std::chrono::seconds(5));
  }
}

void Process::Signal(int sig) {
  if (!exited_) kill(pid_, sig);
}

bool Process::Running() {
  if (exited_) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    return false;
  }
  return true;
}

int Process::Wait(std::chrono::milliseconds timeout) {
  if (!WaitFor([&] { return !Running(); }, timeout)) return -1000;
  return status_;
}

std::string Process::Log() const {
  std::ifstream in(log_path_);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string HttpGet(int port, const std::string& path) {
  int fd = net::ConnectTcp("127.0.0.1", port);
  if (fd < 0) return "";
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  net::SendAll(fd, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  auto body = out.find("\r\n\r\n");
  return body == std::string::npos ? "" : out.substr(body + 4);
}

double MetricValue(const std::string& page, const std::string& series) {
  std::istringstream in(page);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

int64_t ResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmRSS:   12345 kB"
  }
  return -1;
}

}  // namespace cchc::testing
