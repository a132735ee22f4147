#include "log.h"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "dates.h"
#include "trace_context.h"

namespace cchc::log {
namespace {
std::string g_service = "cchc";
Level g_min = Level::kInfo;
std::mutex g_mu;
thread_local std::string t_request_id;

const char* Name(Level l) {
  switch (l) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void Init(std::string service, Level min_level) {
  g_service = std::move(service);
  g_min = min_level;
}

Level ParseLevel(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  throw std::invalid_argument("log level must be debug, info, warn or error");
}

void Write(Level level, std::string_view msg, Fields fields) {
  if (level < g_min) return;
  nlohmann::json line;
  line["time"] = dates::Rfc3339Utc();
  line["level"] = Name(level);
  line["service"] = g_service;
  if (!t_request_id.empty()) line["request_id"] = t_request_id;
  if (const auto& trace = trace::Current()) line["trace_id"] = trace->trace_id;
  line["msg"] = std::string(msg);
  for (const auto& [k, v] : fields) line[std::string(k)] = v;
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lock(g_mu);
  std::fprintf(stderr, "%s\n", text.c_str());
}

RequestScope::RequestScope(std::string request_id) : previous_(std::move(t_request_id)) {
  t_request_id = std::move(request_id);
}
RequestScope::~RequestScope() {
  t_request_id = std::move(previous_);
}
const std::string& CurrentRequestId() {
  return t_request_id;
}

}  // namespace cchc::log
