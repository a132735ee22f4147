#include "pages/format.h"

#include <cstdio>
#include <ctime>

namespace cchc::portal::pages {

std::string EscapeXml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string DisplayPoints(std::string_view points) {
  std::string out(points);
  for (char& c : out)
    if (c == '.') c = ',';
  return out;
}

std::optional<int64_t> ParseHundredths(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  int64_t whole = 0, fraction = 0;
  size_t i = 0, digits = 0, decimals = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < 15; ++i, ++digits) whole = whole * 10 + (s[i] - '0');
  if (digits == 0) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9' && decimals < 2; ++i, ++decimals)
      fraction = fraction * 10 + (s[i] - '0');
    if (decimals == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  if (decimals == 1) fraction *= 10;
  int64_t value = whole * 100 + fraction;
  return negative ? -value : value;
}

std::string RankChangeMark(bool has_previous, int change) {
  if (!has_previous) return "";
  if (change > 0) return "▲" + std::to_string(change);
  if (change < 0) return "▼" + std::to_string(-change);
  return "=";
}

std::string HttpDate(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = static_cast<std::time_t>(t.seconds());
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string DisplaySize(int64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* unit = "KB";
  int64_t scaled10 = bytes * 10 / 1024;  // tenths
  if (bytes >= int64_t{1024} * 1024) {
    unit = "MB";
    scaled10 = bytes * 10 / (int64_t{1024} * 1024);
  }
  std::string out = std::to_string(scaled10 / 10);
  if (scaled10 % 10 != 0) out += "," + std::to_string(scaled10 % 10);
  return out + " " + unit;
}

}  // namespace cchc::portal::pages
