#include "db_settings.h"

#include <utility>
#include <vector>

namespace cchc::db {

std::string WithConnectionDefaults(const std::string& url) {
  static const std::vector<std::pair<std::string, std::string>> kDefaults = {
      {"connect_timeout", "5"},     {"keepalives", "1"},       {"keepalives_idle", "10"},
      {"keepalives_interval", "5"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "20000"},
  };
  const bool is_url = url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
  std::string out = url;
  for (const auto& [key, value] : kDefaults) {
    if (is_url) {
      auto query = out.find('?');
      bool set = query != std::string::npos && (out.find("?" + key + "=", query) != std::string::npos ||
                                                out.find("&" + key + "=", query) != std::string::npos);
      if (!set) out.append(query == std::string::npos ? "?" : "&").append(key).append("=").append(value);
    } else {
      bool set = out.rfind(key + "=", 0) == 0 || out.find(" " + key + "=") != std::string::npos;
      if (!set) out.append(out.empty() ? "" : " ").append(key).append("=").append(value);
    }
  }
  return out;
}

}  // namespace cchc::db
