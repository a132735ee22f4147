#include "text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace cchc::text {
namespace {

const icu::Normalizer2& Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFC normalizer unavailable");
  return *n;
}

const icu::Normalizer2& Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normalizer unavailable");
  return *n;
}

void AppendUtf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, error);
  if (!error) out.append(buf, static_cast<size_t>(len));
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  if (s.size() > static_cast<size_t>(INT32_MAX)) return false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

std::optional<std::string> ToNfc(std::string_view s) {
  if (!IsValidUtf8(s)) return std::nullopt;
  bool ascii = true;
  for (unsigned char c : s) ascii = ascii && c < 0x80;
  if (ascii) return std::string(s);
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString normalized = Nfc().normalize(u, status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

size_t CodePointCount(std::string_view s) {
  size_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

bool HasControlCharacters(std::string_view s) {
  int32_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return true;
  }
  return false;
}

std::string Fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  auto emit = [&](UChar32 c) {
    if (u_isUWhiteSpace(c)) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    AppendUtf8(out, c);
  };
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  // Fast path for ASCII runs; decompose everything else.
  while (i < n) {
    if (p[i] < 0x80) {
      char c = static_cast<char>(p[i++]);
      emit(static_cast<UChar32>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c));
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (c == 0x0110 || c == 0x0111) {  // Đ đ have no decomposition
      emit('d');
      continue;
    }
    icu::UnicodeString decomposed;
    UErrorCode status = U_ZERO_ERROR;
    Nfd().normalize(icu::UnicodeString(c), decomposed, status);
    if (U_FAILURE(status)) continue;
    for (int32_t k = 0; k < decomposed.length();) {
      UChar32 d = decomposed.char32At(k);
      k += U16_LENGTH(d);
      if (u_charType(d) == U_NON_SPACING_MARK) continue;
      if (d == 0x0110 || d == 0x0111) d = 'd';
      emit(u_tolower(d));
    }
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string TruncateAtWord(std::string_view s, size_t max_chars) {
  if (CodePointCount(s) <= max_chars) return std::string(s);
  // Byte offset of the code point at index max_chars.
  size_t bytes = 0;
  for (size_t seen = 0; bytes < s.size(); ++bytes) {
    if ((static_cast<unsigned char>(s[bytes]) & 0xC0) != 0x80) {
      if (seen == max_chars) break;
      ++seen;
    }
  }
  std::string_view head = s.substr(0, bytes);
  // If we cut inside a word, go back to the last space.
  if (bytes < s.size() && s[bytes] != ' ') {
    size_t space = head.rfind(' ');
    if (space != std::string_view::npos) head = head.substr(0, space);
  }
  head = Trim(head);
  while (!head.empty() && (head.back() == ',' || head.back() == ';' || head.back() == ':')) head.remove_suffix(1);
  return std::string(head) + " ...";
}

}  // namespace cchc::text
