#pragma once
// Conditional GETs (RFC 9110 §13): the validators a cacheable page is served with and whether a request's
// If-None-Match / If-Modified-Since let it answer 304 Not Modified. Pure functions.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cchc::portal {

struct Validators {
  std::string etag;           // a strong entity tag, quoted: "\"3f2a…\""
  std::string last_modified;  // an IMF-fixdate, "Tue, 19 Jun 2018 03:00:00 GMT"; may be empty
};

// The entity tag of a representation whose content is determined by `source`: 32 hex digits of its SHA-256.
std::string EntityTag(std::string_view source);

// "Tue, 19 Jun 2018 03:00:00 GMT"; and back (nullopt unless it is an IMF-fixdate).
std::string HttpDate(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text);

// The later of two IMF-fixdates (an unparsable or empty one loses).
std::string LaterHttpDate(const std::string& a, const std::string& b);

// True when the request's conditions say the client's copy is current: If-None-Match, when present, decides
// alone ("*" or any listed tag equal to ours under weak comparison); else If-Modified-Since at or after our
// Last-Modified (both dates valid).
bool NotModified(const Validators& ours, std::string_view if_none_match, std::string_view if_modified_since);

}  // namespace cchc::portal
