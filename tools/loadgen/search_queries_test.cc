// The benchmark's search queries (search_queries.h): as many distinct queries as asked, every form, 1–5 words,
// the same for a seed, and each one's words found in the corpus document it came from.
#include "search_queries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "corpus.h"
#include "platform/search_text.h"
#include "platform/text.h"

namespace cchc::loadgen {
namespace {

size_t WordCount(const std::string& words) {  // one space apart
  return words.empty() ? 0 : 1 + static_cast<size_t>(std::count(words.begin(), words.end(), ' '));
}

bool HasCombiningMark(const std::string& s) {  // U+0300..U+036F and U+0323 are 0xCC 0x80..0xCD 0xAF in UTF-8
  for (size_t i = 0; i + 1 < s.size(); ++i)
    if ((s[i] == '\xCC' && static_cast<unsigned char>(s[i + 1]) >= 0x80) || s[i] == '\xCD') return true;
  return false;
}

TEST(SearchQueries, AThousandDistinctQueriesOfEveryForm) {
  auto queries = SearchQueries(100000, 1200);
  ASSERT_EQ(queries.size(), 1200u);
  std::set<std::string> distinct;
  std::map<QueryForm, int> forms;
  for (const auto& q : queries) {
    distinct.insert(q.text);
    ++forms[q.form];
    std::string words = search::SearchWords(q.text);
    EXPECT_FALSE(words.empty()) << q.text;
    if (q.form != QueryForm::kCode) {  // words as typed, one space apart ("2021-2022" is one)
      EXPECT_GE(WordCount(q.text), 1u) << q.text;
      EXPECT_LE(WordCount(q.text), 5u) << q.text;
    }
    switch (q.form) {
      case QueryForm::kUnaccented:
        EXPECT_EQ(q.text, text::Fold(q.text)) << "no accent, lower case";
        break;
      case QueryForm::kNfd:
        EXPECT_EQ(text::ToNfc(q.text) == q.text, !HasCombiningMark(q.text)) << q.text;
        break;
      case QueryForm::kUpperCase:
        EXPECT_EQ(q.text.find_first_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos) << q.text;
        break;
      case QueryForm::kCode:
        EXPECT_NE(q.text.find_first_of("0123456789"), std::string::npos) << q.text;
        break;
      default:
        EXPECT_EQ(text::ToNfc(q.text), q.text) << "stored form";
    }
  }
  EXPECT_EQ(distinct.size(), queries.size());
  for (auto form : {QueryForm::kAccented, QueryForm::kUnaccented, QueryForm::kUpperCase, QueryForm::kNfd,
                    QueryForm::kPrefix, QueryForm::kCode})
    EXPECT_GE(forms[form], 150) << static_cast<int>(form);
  int nfd_decomposed = 0;
  for (const auto& q : queries) nfd_decomposed += q.form == QueryForm::kNfd && HasCombiningMark(q.text);
  EXPECT_GE(nfd_decomposed, 100) << "most NFD queries have a decomposed accent";
}

TEST(SearchQueries, TheSameForASeedAndOtherForAnother) {
  EXPECT_EQ(SearchQueryTexts(100000, 300, 7), SearchQueryTexts(100000, 300, 7));
  EXPECT_NE(SearchQueryTexts(100000, 300, 7), SearchQueryTexts(100000, 300, 8));
}

TEST(SearchQueries, EveryWholeWordIsInTheCorpusVocabulary) {
  std::set<std::string> vocabulary;
  for (int64_t i = 0; i < 5000; ++i) {
    auto d = CorpusDocument(i, 5000);
    std::string words = search::SearchWords(d.code() + " " + d.subject() + " " + d.issue_date().substr(0, 4));
    for (size_t start = 0; start < words.size();) {
      size_t end = std::min(words.find(' ', start), words.size());
      vocabulary.insert(words.substr(start, end - start));
      start = end + 1;
    }
  }
  for (const auto& q : SearchQueries(5000, 1000)) {
    std::string words = search::SearchWords(q.text);
    if (q.form == QueryForm::kPrefix)
      words = words.substr(0, words.rfind(' ') == std::string::npos ? 0 : words.rfind(' '));
    for (size_t start = 0; start < words.size();) {
      size_t end = std::min(words.find(' ', start), words.size());
      EXPECT_TRUE(vocabulary.count(words.substr(start, end - start))) << q.text;
      start = end + 1;
    }
  }
}

}  // namespace
}  // namespace cchc::loadgen
