#pragma once
// Test support: child processes, free ports, and the real parts a test needs — a private PostgreSQL
// cluster, the embedded broker, a service process — all on 127.0.0.1 and cleaned up on destruction.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cchc::testing {

// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
int FreePort();

// Runs `command` through /bin/sh; throws std::runtime_error with its output when it fails.
std::string Shell(const std::string& command);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& Path() const { return path_; }

 private:
  std::string path_;
};

class Process {
 public:
  // Starts argv[0] with `argv` and extra environment; stdout and stderr go to `log_path`.
  Process(std::vector<std::string> argv, const std::string& log_path, std::map<std::string, std::string> env = {});
  ~Process();  // SIGKILL if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void Signal(int sig);
  // Waits for exit; returns the exit status (or -signal), or nullopt-like -1000 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  bool Running();
  pid_t Pid() const { return pid_; }
  const std::string& LogPath() const { return log_path_; }
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  int status_ = 0;
  bool exited_ = false;
};

// The resident set (VmRSS in /proc/<pid>/status) of a running process, in bytes; -1 when unreadable.
int64_t ResidentBytes(pid_t pid);

// Waits until `predicate` is true, polling every 50 ms; false after `timeout`.
template <typename Fn>
bool WaitFor(Fn&& predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    struct timespec ts {
      0, 50 * 1000 * 1000
    };
    nanosleep(&ts, nullptr);
  }
  return predicate();
}

// GET http://127.0.0.1:port/path; empty on failure.
std::string HttpGet(int port, const std::string& path);

// The value of an unlabelled (or exactly labelled) sample in a Prometheus text page; -1 if absent.
double MetricValue(const std::string& page, const std::string& series);

}  // namespace cchc::testing
