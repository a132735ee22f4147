#include "search_queries.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <random>
#include <set>
#include <stdexcept>

#include "corpus.h"
#include "platform/text.h"

namespace cchc::loadgen {
namespace {

std::string Nfd(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFD normalizer unavailable");
  std::string out;
  n->normalize(icu::UnicodeString::fromUTF8(s), status).toUTF8String(out);
  if (U_FAILURE(status)) throw std::runtime_error("NFD failed");
  return out;
}

std::string Upper(const std::string& s) {
  std::string out;
  icu::UnicodeString::fromUTF8(s).toUpper(icu::Locale("vi")).toUTF8String(out);
  return out;
}

// The words of `s` split on spaces, without the punctuation that ends them ("đánh giá," → "đánh giá").
std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    std::string w = s.substr(start, end - start);
    while (!w.empty() && (w.back() == ',' || w.back() == ';' || w.back() == '.')) w.pop_back();
    if (!w.empty()) out.push_back(w);
    start = end + 1;
  }
  return out;
}

// The first code points of `word` (at least 2 bytes kept; a multi-byte character is never cut).
std::string HalfTyped(const std::string& word, size_t keep) {
  size_t i = 0, chars = 0;
  while (i < word.size() && chars < keep) {
    ++i;
    while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  return word.substr(0, i);
}

// One query of `form` from corpus document `doc`.
std::string QueryOf(const v1::Document& doc, QueryForm form, std::mt19937_64& rng) {
  if (form == QueryForm::kCode) {
    const std::string& code = doc.code();  // "125/KH-SGDĐT" or "125/SGDĐT-TCCB"
    size_t slash = code.find('/'), dash = code.find('-');
    std::string number = code.substr(0, slash), symbol = code.substr(slash + 1);
    switch (rng() % 5) {
      case 0:
        return code;  // the whole số/ký hiệu
      case 1:
        return text::Fold(code);  // "125/kh-sgddt"
      case 2:
        return code.substr(0, dash);  // "125/KH"
      case 3:
        return text::Fold(symbol) + " " + doc.issue_date().substr(0, 4);  // "kh-sgddt 2019"
      default:
        return number + " " + symbol;  // "125 KH-SGDĐT"
    }
  }
  std::vector<std::string> words = Words(doc.subject());
  size_t n = 1 + rng() % 5;
  if (n > words.size()) n = words.size();
  size_t start = words.size() == n ? 0 : rng() % (words.size() - n + 1);
  std::string q;
  for (size_t i = start; i < start + n; ++i) {
    std::string w = words[i];
    if (form == QueryForm::kPrefix && i + 1 == start + n && w.size() > 3) w = HalfTyped(w, 2 + rng() % 2);
    q += (q.empty() ? "" : " ") + w;
  }
  switch (form) {
    case QueryForm::kUnaccented:
      return text::Fold(q);
    case QueryForm::kUpperCase:
      return Upper(q);
    case QueryForm::kNfd:
      return Nfd(q);
    default:
      return q;  // accented (NFC), or a prefix being typed
  }
}

}  // namespace

std::vector<SearchQueryText> SearchQueries(int64_t corpus_size, size_t count, uint64_t seed) {
  static constexpr QueryForm kForms[] = {QueryForm::kAccented, QueryForm::kUnaccented, QueryForm::kUpperCase,
                                         QueryForm::kNfd,      QueryForm::kPrefix,     QueryForm::kCode};
  std::mt19937_64 rng(seed);
  std::set<std::string> seen;
  std::vector<SearchQueryText> out;
  for (size_t attempt = 0; out.size() < count && attempt < count * 50; ++attempt) {
    QueryForm form = kForms[attempt % std::size(kForms)];
    int64_t i = static_cast<int64_t>(rng() % static_cast<uint64_t>(std::max<int64_t>(corpus_size, 1)));
    std::string q = QueryOf(CorpusDocument(i, corpus_size), form, rng);
    if (q.empty() || !seen.insert(q).second) continue;
    out.push_back({std::move(q), form});
  }
  return out;
}

std::vector<std::string> SearchQueryTexts(int64_t corpus_size, size_t count, uint64_t seed) {
  std::vector<std::string> out;
  for (auto& q : SearchQueries(corpus_size, count, seed)) out.push_back(std::move(q.text));
  return out;
}

}  // namespace cchc::loadgen
