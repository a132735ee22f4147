#pragma once
// Vietnamese text on the way in and for search: UTF-8 validation, NFC, accent folding.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cchc::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// The NFC form of `s`, or nullopt when `s` is not valid UTF-8. What we store is always NFC.
std::optional<std::string> ToNfc(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s` (the "characters" our length limits count).
size_t CodePointCount(std::string_view s);

// True when `s` has a C0/C1 control character other than tab, CR and LF (NUL included).
bool HasControlCharacters(std::string_view s);

// The search key of `s`: accents removed (NFC or NFD input alike), đ/Đ → d, lower case, runs of
// white space collapsed to one space, trimmed. "Cải cách HÀNH CHÍNH" → "cai cach hanh chinh".
// Invalid UTF-8 bytes are dropped.
std::string Fold(std::string_view s);
// Each of `values` folded, in order.
template <typename Strings>
std::vector<std::string> FoldEach(const Strings& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(Fold(v));
  return out;
}

// Trims ASCII white space at both ends.
std::string_view Trim(std::string_view s);

// The first `max_chars` code points of `s` cut back to a word boundary, with "..." appended when anything
// was cut — how the portal's sidebar shortens a trích yếu.
std::string TruncateAtWord(std::string_view s, size_t max_chars);

}  // namespace cchc::text
