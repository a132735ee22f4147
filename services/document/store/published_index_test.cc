#include "store/published_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace cchc::document {
namespace {

IndexedDocument Doc(const std::string& id, int32_t day, int64_t seq, std::vector<std::string> lexemes) {
  IndexedDocument d;
  d.id = id;
  d.issue_day = day;
  d.seq = seq;
  d.lexemes = std::move(lexemes);
  return d;
}

IndexQuery Words(std::vector<std::string> words) {
  IndexQuery q;
  q.words = std::move(words);
  return q;
}

using Ids = std::vector<std::string>;

TEST(PublishedIndexTest, EveryWordMatchesExactlyAndTheLastAsAPrefixNewestFirst) {
  PublishedIndex index;
  index.Put(Doc("a", 100, 1, {"cai", "cach", "hanh", "chinh"}));
  index.Put(Doc("b", 200, 2, {"cai", "cach", "giao", "duc"}));
  index.Put(Doc("c", 200, 3, {"cai", "tien", "hanh"}));
  EXPECT_EQ(index.Newest(Words({"cai", "cach"}), 10), (Ids{"b", "a"}));
  EXPECT_EQ(index.Newest(Words({"cai", "ca"}), 10), (Ids{"c", "b", "a"})) << "ca:* may be cai itself, as in SQL";
  EXPECT_EQ(index.Newest(Words({"tien", "ca"}), 10), (Ids{"c"}));
  EXPECT_EQ(index.Newest(Words({"c"}), 10), (Ids{"c", "b", "a"})) << "equal dates: the higher seq first";
  EXPECT_EQ(index.Newest(Words({"hanh"}), 1), (Ids{"c"}));
  EXPECT_EQ(index.Newest(Words({"tien", "cach"}), 10), Ids{});
  EXPECT_EQ(index.Newest(Words({"caic"}), 10), Ids{}) << "no lexeme begins so";
  EXPECT_EQ(index.Newest(Words({"ca", "cai"}), 10), Ids{}) << "only the last word is a prefix";
  EXPECT_EQ(index.Newest(Words({}), 10), Ids{});
}

TEST(PublishedIndexTest, ARareWordWithAPrefixOfManyLexemes) {
  // "rare" (3 documents) drives; the last word "p" has 2 lexemes of 150 documents each: 3 × 2 × 16 < 300 postings,
  // so each candidate is probed in the two lists. "pa" alone is one list (exact); "common p" (150 × 2 × 16 ≥ 300)
  // takes the bitmap.
  PublishedIndex index;
  for (int i = 0; i < 300; ++i)
    index.Put(Doc("d" + std::to_string(i), i, i, {i % 2 ? "pb" : "pa", i % 100 == 7 ? "rare" : "common"}));
  EXPECT_EQ(index.Newest(Words({"rare", "p"}), 10), (Ids{"d207", "d107", "d7"}));
  EXPECT_EQ(index.Newest(Words({"rare", "pb"}), 10), (Ids{"d207", "d107", "d7"}));
  EXPECT_EQ(index.Newest(Words({"rare", "pa"}), 10), Ids{});
  EXPECT_EQ(index.Newest(Words({"common", "p"}), 2), (Ids{"d299", "d298"}));
}

TEST(PublishedIndexTest, FiltersAndDateBounds) {
  PublishedIndex index;
  auto d1 = Doc("a", 100, 1, {"ke", "hoach"});
  d1.type_key = "kh";
  d1.field_keys = {"cchc", "giao duc"};
  auto d2 = Doc("b", 150, 2, {"ke", "hoach"});
  d2.type_key = "kh";
  d2.issuer_key = "sgddt";
  d2.code_form = 2;
  auto d3 = Doc("c", 300, 3, {"ke", "hoach"});
  d3.signer_key = "nguyen van a";
  for (const auto& d : {d1, d2, d3}) index.Put(d);
  auto q = Words({"ke", "hoach"});
  q.type_key = "kh";
  EXPECT_EQ(index.Newest(q, 10), (Ids{"b", "a"}));
  q = Words({"hoach"});
  q.field_key = "cchc";
  EXPECT_EQ(index.Newest(q, 10), (Ids{"a"}));
  q = Words({"hoach"});
  q.issuer_key = "sgddt";
  q.code_form = 2;
  EXPECT_EQ(index.Newest(q, 10), (Ids{"b"}));
  q = Words({"hoach"});
  q.signer_key = "nguyen van a";
  EXPECT_EQ(index.Newest(q, 10), (Ids{"c"}));
  q = Words({"hoach"});
  q.from_day = 150;
  q.to_day = 299;
  EXPECT_EQ(index.Newest(q, 10), (Ids{"b"})) << "bounds inclusive";
}

TEST(PublishedIndexTest, AChangeReplacesTheDocumentAndARemovalDropsIt) {
  PublishedIndex index;
  index.Put(Doc("a", 100, 1, {"bao", "cao"}));
  index.Put(Doc("b", 200, 2, {"bao", "cao"}));
  index.Put(Doc("a", 50, 1, {"thong", "bao"}));  // rewritten: other words, an older date
  EXPECT_EQ(index.Newest(Words({"cao"}), 10), (Ids{"b"}));
  EXPECT_EQ(index.Newest(Words({"bao"}), 10), (Ids{"b", "a"}));
  index.Remove("b");
  index.Remove("nobody");
  EXPECT_EQ(index.Newest(Words({"bao"}), 10), (Ids{"a"}));
  EXPECT_EQ(index.Documents(), 1u);
  EXPECT_TRUE(index.Compact(true));
  EXPECT_EQ(index.Slots(), 1u);
  EXPECT_EQ(index.Newest(Words({"bao"}), 10), (Ids{"a"}));
  EXPECT_EQ(index.Newest(Words({"cao"}), 10), Ids{});
  index.Clear();
  EXPECT_EQ(index.Newest(Words({"bao"}), 10), Ids{});
}

TEST(PublishedIndexTest, DaysOfIsoDates) {
  EXPECT_EQ(DayOfIsoDate("1970-01-01"), 0);
  EXPECT_EQ(DayOfIsoDate("2017-03-09"), 17234);
  EXPECT_EQ(DayOfIsoDate("1969-12-31"), -1);
  EXPECT_FALSE(DayOfIsoDate("2017-02-30"));
  EXPECT_FALSE(DayOfIsoDate("2017-3-09"));
  EXPECT_FALSE(DayOfIsoDate("abcd-ef-gh"));
}

// The index against the obvious: every live document tested, sorted newest first. Random documents over a small
// vocabulary put in and out of date order, changed, removed and compacted at random, and random queries.
TEST(PublishedIndexTest, AgreesWithTestingEveryDocument) {
  const std::vector<std::string> vocabulary = {"a",  "ab", "abc", "b",    "ba",   "bao", "cao", "cach",
                                               "ca", "c",  "d",   "dang", "2017", "201", "20",  "x"};
  std::mt19937 rng(27);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  PublishedIndex index;
  std::map<std::string, IndexedDocument> truth;
  for (int step = 0; step < 3000; ++step) {
    const int action = static_cast<int>(pick(20));
    const std::string id = "d" + std::to_string(pick(400));
    if (action == 0) {
      index.Remove(id);
      truth.erase(id);
    } else if (action == 1) {
      index.Compact(pick(2) == 0);
    } else {
      IndexedDocument d;
      d.id = id;
      // mostly in date order, as documents are published; some back-dated
      d.issue_day = pick(5) ? step / 3 + static_cast<int32_t>(pick(3)) : static_cast<int32_t>(pick(1000));
      d.seq = step;
      d.type_key = pick(3) ? "kh" : "bc";
      d.field_keys = {pick(2) ? "cchc" : "khac"};
      d.code_form = static_cast<int>(pick(3));
      for (size_t n = pick(6) + 1; n-- > 0;) d.lexemes.push_back(vocabulary[pick(vocabulary.size())]);
      index.Put(d);
      truth[id] = d;
    }
    if (step % 10) continue;
    IndexQuery q;
    for (size_t n = pick(3) + 1; n-- > 0;) q.words.push_back(vocabulary[pick(vocabulary.size())]);
    if (pick(4) == 0) q.type_key = "kh";
    if (pick(4) == 0) q.field_key = "cchc";
    if (pick(4) == 0) q.code_form = 1;
    if (pick(4) == 0) q.from_day = static_cast<int32_t>(pick(1000));
    if (pick(4) == 0) q.to_day = static_cast<int32_t>(pick(1000));
    const size_t max = pick(2) ? 5 : 50;
    std::vector<const IndexedDocument*> expected;
    for (const auto& [key, d] : truth) {
      auto has = [&](const std::string& w, bool prefix) {
        return std::any_of(d.lexemes.begin(), d.lexemes.end(),
                           [&](const std::string& l) { return prefix ? l.rfind(w, 0) == 0 : l == w; });
      };
      bool match = true;
      for (size_t i = 0; i < q.words.size(); ++i) match = match && has(q.words[i], i + 1 == q.words.size());
      match = match && (q.type_key.empty() || d.type_key == q.type_key) &&
              (q.field_key.empty() || d.field_keys.front() == q.field_key) &&
              (q.code_form == 0 || d.code_form == q.code_form) && (!q.from_day || d.issue_day >= *q.from_day) &&
              (!q.to_day || d.issue_day <= *q.to_day);
      if (match) expected.push_back(&d);
    }
    std::sort(expected.begin(), expected.end(), [](auto* a, auto* b) {
      return a->issue_day != b->issue_day ? a->issue_day > b->issue_day : a->seq > b->seq;
    });
    Ids want;
    for (size_t i = 0; i < expected.size() && i < max; ++i) want.push_back(expected[i]->id);
    ASSERT_EQ(index.Newest(q, max), want) << "step " << step << ", words " << testing::PrintToString(q.words);
  }
  EXPECT_EQ(index.Documents(), truth.size());
}

}  // namespace
}  // namespace cchc::document
