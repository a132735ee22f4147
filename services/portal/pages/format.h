#pragma once
// Small formatting rules the pages share: XML escaping for the SVG drawn in C++, percent-encoding for the
// links they build, points the Vietnamese way (86,15), HTTP dates and file sizes.
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::portal::pages {

// `s` safe as XML text and as a quoted attribute value: & < > " ' escaped.
std::string EscapeXml(std::string_view s);
// `s` percent-encoded for a URL's query value or path segment (RFC 3986 unreserved characters kept).
std::string PercentEncode(std::string_view s);
// "86.15" → "86,15", "+4.43" → "+4,43": points as people read them in Vietnamese.
std::string DisplayPoints(std::string_view points);
// "86.15" → 8615, "-4.4" → -440, "7" → 700; nullopt unless digits with at most two decimals.
std::optional<int64_t> ParseHundredths(std::string_view points);
// "▲6", "▼3", "=" for a rank change (previous rank − rank); empty without a previous rank.
std::string RankChangeMark(bool has_previous, int change);
// The time as an HTTP date, "Tue, 19 Jun 2018 03:00:00 GMT"; empty for an unset timestamp.
std::string HttpDate(const google::protobuf::Timestamp& t);
// 1536 → "1,5 KB", 2'500'000 → "2,4 MB", 900 → "900 B".
std::string DisplaySize(int64_t bytes);

}  // namespace cchc::portal::pages
