#include "search_text.h"

#include "text.h"

namespace cchc::search {

std::string SearchWords(std::string_view input) {
  std::string folded = text::Fold(input);
  std::string out;
  bool in_word = false;
  for (char c : folded) {
    bool word_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (static_cast<unsigned char>(c) >= 0x80);
    if (word_char) {
      if (!in_word && !out.empty()) out += ' ';
      out += c;
      in_word = true;
    } else {
      in_word = false;
    }
  }
  return out;
}

namespace {
// The words of `query` (at most 16), each quoted, joined by `op`; the last one a prefix.
std::string JoinQueryWords(std::string_view query, const char* op) {
  std::string words = SearchWords(query);
  std::string out;
  size_t start = 0;
  for (int count = 0; start < words.size() && count < 16; ++count) {
    size_t end = words.find(' ', start);
    if (!out.empty()) out += op;
    out += "'" + words.substr(start, end == std::string::npos ? std::string::npos : end - start) + "'";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (!out.empty()) out += ":*";  // the word being typed
  return out;
}
}  // namespace

std::string BuildTsQuery(std::string_view query) {
  return JoinQueryWords(query, " & ");
}
std::string BuildTsPhrase(std::string_view query) {
  return JoinQueryWords(query, " <-> ");
}

}  // namespace cchc::search
