#include "pages/format.h"

#include <gtest/gtest.h>

namespace cchc::portal::pages {
namespace {

TEST(PortalFormat, EscapesEveryXmlSpecialCharacter) {
  EXPECT_EQ(EscapeXml(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(EscapeXml("Sóc Trăng"), "Sóc Trăng");
}

TEST(PortalFormat, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(PercentEncode("cai cach hành&x=1"), "cai%20cach%20h%C3%A0nh%26x%3D1");
  EXPECT_EQ(PercentEncode("SOC_TRANG-1.~"), "SOC_TRANG-1.~");
}

TEST(PortalFormat, PointsTheVietnameseWay) {
  EXPECT_EQ(DisplayPoints("86.15"), "86,15");
  EXPECT_EQ(DisplayPoints("+4.43"), "+4,43");
  EXPECT_EQ(ParseHundredths("86.15"), 8615);
  EXPECT_EQ(ParseHundredths("-4.4"), -440);
  EXPECT_EQ(ParseHundredths("+7"), 700);
  EXPECT_EQ(ParseHundredths(""), std::nullopt);
  EXPECT_EQ(ParseHundredths("8.1.2"), std::nullopt);
  EXPECT_EQ(ParseHundredths("8."), std::nullopt);
  EXPECT_EQ(ParseHundredths("1.234"), std::nullopt);
}

TEST(PortalFormat, RankChangeMarks) {
  EXPECT_EQ(RankChangeMark(true, 6), "▲6");
  EXPECT_EQ(RankChangeMark(true, -3), "▼3");
  EXPECT_EQ(RankChangeMark(true, 0), "=");
  EXPECT_EQ(RankChangeMark(false, 5), "");
}

TEST(PortalFormat, HttpDatesAndSizes) {
  google::protobuf::Timestamp t;
  t.set_seconds(1529377200);  // 2018-06-19T03:00:00Z
  EXPECT_EQ(HttpDate(t), "Tue, 19 Jun 2018 03:00:00 GMT");
  EXPECT_EQ(HttpDate(google::protobuf::Timestamp()), "");
  EXPECT_EQ(DisplaySize(900), "900 B");
  EXPECT_EQ(DisplaySize(1536), "1,5 KB");
  EXPECT_EQ(DisplaySize(2 * 1024 * 1024), "2 MB");
}

}  // namespace
}  // namespace cchc::portal::pages
