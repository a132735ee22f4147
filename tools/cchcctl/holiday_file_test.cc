#include "holiday_file.h"

#include <gtest/gtest.h>

#include "platform/errors.h"

namespace cchc::cchcctl {
namespace {

TEST(HolidayFile, ReadsPeoplesDatesIsoDatesAndQuotedNames) {
  auto h = ParseHolidayLine("06/02/2027,Tết Nguyên đán");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->date, "2027-02-06");
  EXPECT_EQ(h->name, "Tết Nguyên đán");
  h = ParseHolidayLine(" 2027-09-02 , \"Quốc khánh, ngày 2/9\"\r");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->date, "2027-09-02");
  EXPECT_EQ(h->name, "Quốc khánh, ngày 2/9");
}

TEST(HolidayFile, SkipsBlankLinesCommentsAndTheHeader) {
  EXPECT_FALSE(ParseHolidayLine(""));
  EXPECT_FALSE(ParseHolidayLine("# Nghỉ lễ năm 2027"));
  EXPECT_FALSE(ParseHolidayLine("date,name"));
  EXPECT_FALSE(
      ParseHolidayLine("\xEF\xBB\xBF"
                       "date,name"));
}

TEST(HolidayFile, SaysWhatIsWrong) {
  EXPECT_THROW(ParseHolidayLine("Tết Nguyên đán"), StatusError);
  EXPECT_THROW(ParseHolidayLine("31/02/2027,Không có ngày này"), StatusError);
  EXPECT_THROW(ParseHolidayLine("2027-02-06,"), StatusError);
}

}  // namespace
}  // namespace cchc::cchcctl
