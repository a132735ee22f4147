#pragma once
// What the page tests share: reading a rendered page back and counting in it.
#include <cstddef>
#include <string>

namespace cchc::portal::pages::test_support {

// The page's body with mstch's escaped slashes ("&#x2F;", the same character to a browser) read back as "/",
// so the tests' expectations read as the page does.
inline std::string Readable(std::string html) {
  for (size_t at = html.find("&#x2F;"); at != std::string::npos; at = html.find("&#x2F;", at)) html.replace(at, 6, "/");
  return html;
}

// How many times `needle` occurs in `haystack`, overlaps included.
inline size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace cchc::portal::pages::test_support
