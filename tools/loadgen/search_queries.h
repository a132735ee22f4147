#pragma once
// Search queries (từ khóa tra cứu) for the SearchDocuments benchmark, drawn from the corpus' own documents
// (CorpusDocument) the way portal users type them: 1–5 consecutive words of a subject (a phrase), with their
// accents, without them, in upper case or in NFD (decomposed, as some keyboards send it), the last word often
// half typed; and số/ký hiệu fragments ("125/KH", "kh-sgddt", "QĐ-SGDĐT 2019"). Deterministic for a seed.
#include <cstdint>
#include <string>
#include <vector>

namespace cchc::loadgen {

// How a query is written.
enum class QueryForm { kAccented, kUnaccented, kUpperCase, kNfd, kPrefix, kCode };

struct SearchQueryText {
  std::string text;
  QueryForm form;
};

// `count` distinct queries from the first `corpus_size` corpus documents (fewer only when the corpus cannot give
// that many), each form in turn.
std::vector<SearchQueryText> SearchQueries(int64_t corpus_size, size_t count, uint64_t seed = 1);
// Their texts.
std::vector<std::string> SearchQueryTexts(int64_t corpus_size, size_t count, uint64_t seed = 1);

}  // namespace cchc::loadgen
