#pragma once
// JSON-lines logging to stderr: one object per line with time, level, service, request_id, trace_id (the thread's
// trace::Current(), while it serves a call or processes an event), msg and fields.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace cchc::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Sets the service name every line carries and the lowest level written. Call once at start-up.
void Init(std::string service, Level min_level = Level::kInfo);
// Parses "debug", "info", "warn", "error"; throws std::invalid_argument otherwise.
Level ParseLevel(std::string_view name);

using Fields = std::initializer_list<std::pair<std::string_view, std::string>>;
void Write(Level level, std::string_view msg, Fields fields = {});

inline void Debug(std::string_view msg, Fields f = {}) {
  Write(Level::kDebug, msg, f);
}
inline void Info(std::string_view msg, Fields f = {}) {
  Write(Level::kInfo, msg, f);
}
inline void Warn(std::string_view msg, Fields f = {}) {
  Write(Level::kWarn, msg, f);
}
inline void Error(std::string_view msg, Fields f = {}) {
  Write(Level::kError, msg, f);
}

// The request id of the RPC this thread is serving; empty outside one.
class RequestScope {
 public:
  explicit RequestScope(std::string request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};
const std::string& CurrentRequestId();

}  // namespace cchc::log
