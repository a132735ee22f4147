#pragma once
// A client-side deadline on database work. The server's statement_timeout ends a slow statement, but not a
// round trip to a database that stopped answering: libpq then waits for an answer that never comes (a peer that
// keeps the connection open without reading, a route gone dead while the kernel still has data to send). The
// watchdog cuts such a connection (shutdown(2) of its socket) once the work has run past the time-out, so the
// call fails with "connection lost" and its thread is free again.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace cchc::db {

class CallWatchdog {
 public:
  explicit CallWatchdog(std::chrono::milliseconds timeout);
  ~CallWatchdog();

  // Watches the socket `fd` from construction to destruction. Cut() is true when the watchdog cut it.
  class Guard {
   public:
    Guard() = default;
    Guard(CallWatchdog* watchdog, int fd);
    Guard(Guard&& other) noexcept;
    Guard& operator=(Guard&&) = delete;
    ~Guard();
    bool Cut() const;

   private:
    CallWatchdog* watchdog_ = nullptr;
    uint64_t id_ = 0;
  };
  Guard Watch(int fd) { return Guard(this, fd); }
  std::chrono::milliseconds Timeout() const { return timeout_; }

 private:
  struct Entry {
    int fd;
    std::chrono::steady_clock::time_point deadline;
    bool cut = false;
  };
  void Loop();

  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, Entry> watched_;
  uint64_t next_id_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cchc::db
