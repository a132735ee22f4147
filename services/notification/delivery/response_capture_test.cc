#include "response_capture.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

TEST(ResponseCaptureTest, KeepsAShortBodyWhole) {
  ResponseCapture c;
  std::string body = R"({"nhận": "đã nhận"})";
  EXPECT_EQ(c.Take(body.data(), body.size()), body.size());
  EXPECT_EQ(c.body(), body);
  EXPECT_FALSE(c.truncated());
  EXPECT_FALSE(c.EndedByLimit(CURLE_WRITE_ERROR));
}

TEST(ResponseCaptureTest, ABodyOfExactlyTheLimitIsNotTruncated) {
  ResponseCapture c;
  std::string half(kResponseBodyLimit / 2, 'a');
  EXPECT_EQ(c.Take(half.data(), half.size()), half.size());
  EXPECT_EQ(c.Take(half.data(), half.size()), half.size());
  EXPECT_EQ(c.body().size(), kResponseBodyLimit);
  EXPECT_FALSE(c.truncated());
}

TEST(ResponseCaptureTest, CutsAtTheLimitAcrossChunksAndAsksToEnd) {
  ResponseCapture c;
  std::string first(3000, 'x'), second(2000, 'y');
  EXPECT_EQ(c.Take(first.data(), first.size()), first.size());
  EXPECT_EQ(c.Take(second.data(), second.size()), kResponseBodyLimit - 3000);  // fewer than given: curl stops
  EXPECT_EQ(c.body().size(), kResponseBodyLimit);
  EXPECT_EQ(c.body(), first + second.substr(0, kResponseBodyLimit - 3000));
  EXPECT_TRUE(c.truncated());
  EXPECT_TRUE(c.EndedByLimit(CURLE_WRITE_ERROR));
  EXPECT_FALSE(c.EndedByLimit(CURLE_OPERATION_TIMEDOUT));
  EXPECT_EQ(c.Take(first.data(), first.size()), 0u);  // nothing more is kept
  EXPECT_EQ(c.body().size(), kResponseBodyLimit);
}

TEST(ResponseCaptureTest, CutsBytesNotCharacters) {
  ResponseCapture c;
  std::string body(kResponseBodyLimit - 1, 'a');
  body += "đ";  // two bytes in UTF-8: the first is kept, the second is cut
  c.Take(body.data(), body.size());
  EXPECT_EQ(c.body().size(), kResponseBodyLimit);
  EXPECT_EQ(c.body().back(), body[kResponseBodyLimit - 1]);
  EXPECT_TRUE(c.truncated());
}

}  // namespace
}  // namespace cchc::notification
