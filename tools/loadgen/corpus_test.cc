#include "corpus.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cchc::loadgen {
namespace {

TEST(LoadOrder, LoadsEveryDocumentOnceOldestFirst) {
  for (int64_t total : {1, 15, 16, 17, 100, 1000, 1003}) {
    std::vector<int> seen(static_cast<size_t>(total));
    std::string last_date;
    for (int64_t k = 0; k < total; ++k) {
      const int64_t i = LoadOrder(k, total);
      ASSERT_GE(i, 0) << total << " " << k;
      ASSERT_LT(i, total) << total << " " << k;
      ++seen[static_cast<size_t>(i)];
      const std::string date = CorpusDocument(i, total).issue_date();
      EXPECT_LE(last_date, date) << "total " << total << ", k " << k;
      last_date = date;
    }
    for (int64_t i = 0; i < total; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], 1) << total << " " << i;
  }
}

}  // namespace
}  // namespace cchc::loadgen
