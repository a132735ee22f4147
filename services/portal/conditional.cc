#include "conditional.h"

#include <ctime>

#include "platform/crypto.h"
#include "platform/text.h"

namespace cchc::portal {
namespace {

// The opaque part of an entity tag, W/ dropped (weak comparison).
std::string_view Opaque(std::string_view tag) {
  tag = text::Trim(tag);
  if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string EntityTag(std::string_view source) {
  return "\"" + crypto::Sha256Hex(source).substr(0, 32) + "\"";
}

std::string HttpDate(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text) {
  std::string s(text::Trim(text));
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string LaterHttpDate(const std::string& a, const std::string& b) {
  auto ta = ParseHttpDate(a), tb = ParseHttpDate(b);
  if (!ta) return tb ? b : "";
  if (!tb) return a;
  return *tb > *ta ? b : a;
}

bool NotModified(const Validators& ours, std::string_view if_none_match, std::string_view if_modified_since) {
  if (!text::Trim(if_none_match).empty()) {
    if (ours.etag.empty()) return false;
    std::string_view rest = if_none_match;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view tag = text::Trim(rest.substr(0, comma));
      if (tag == "*" || (!tag.empty() && Opaque(tag) == Opaque(ours.etag))) return true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return false;
  }
  auto since = ParseHttpDate(if_modified_since);
  auto modified = ParseHttpDate(ours.last_modified);
  return since && modified && *modified <= *since;
}

}  // namespace cchc::portal
