#include "encoding.h"

#include <gtest/gtest.h>

namespace cchc::portal {
namespace {

TEST(WithoutBrotli, TakesOutBrOnlyAndKeepsTheRestInOrder) {
  EXPECT_EQ(WithoutBrotli("gzip, deflate, br"), "gzip, deflate");  // what Chromium sends
  EXPECT_EQ(WithoutBrotli("br"), "");
  EXPECT_EQ(WithoutBrotli("br;q=1.0, gzip;q=0.8, *;q=0.1"), "gzip;q=0.8, *;q=0.1");
  EXPECT_EQ(WithoutBrotli(" BR , identity"), "identity");
  EXPECT_EQ(WithoutBrotli("gzip"), "gzip");
  EXPECT_EQ(WithoutBrotli(""), "");
  // A coding whose name only begins with "br" is another coding.
  EXPECT_EQ(WithoutBrotli("brotli-x, gzip"), "brotli-x, gzip");
}

}  // namespace
}  // namespace cchc::portal
