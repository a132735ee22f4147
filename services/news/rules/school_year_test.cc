#include "rules/school_year.h"

#include <gtest/gtest.h>

namespace cchc::news {
namespace {

v1::SchoolYear ValidSchoolYear() {
  v1::SchoolYear y;
  y.set_name("schoolYears/2017-2018");
  y.set_start_date("2017-09-05");
  y.set_end_date("2018-08-31");
  y.set_theme("  Phát huy tinh thần trách nhiệm của hiệu trưởng trong quản lý nhà trường ");
  return y;
}

TEST(SchoolYear, NamesAreTwoFollowingYears) {
  EXPECT_EQ(ParseSchoolYearName("schoolYears/2017-2018"), "2017-2018");
  EXPECT_FALSE(ParseSchoolYearName("schoolYears/2017-2019"));
  EXPECT_FALSE(ParseSchoolYearName("schoolYears/2017"));
  EXPECT_FALSE(ParseSchoolYearName("schoolyears/2017-2018"));
  EXPECT_FALSE(ParseSchoolYearName("schoolYears/20x7-2018"));
  EXPECT_FALSE(ParseSchoolYearName("schoolYears/2017-2018/"));
}

TEST(SchoolYear, AValidYearIsNormalised) {
  v1::SchoolYear y = ValidSchoolYear();
  EXPECT_FALSE(ValidateSchoolYear(&y));
  EXPECT_EQ(y.theme(), "Phát huy tinh thần trách nhiệm của hiệu trưởng trong quản lý nhà trường");
}

TEST(SchoolYear, EachFaultNamesItsField) {
  struct Case {
    void (*spoil)(v1::SchoolYear&);
    const char* field;
  };
  const Case cases[] = {
      {[](v1::SchoolYear& y) { y.set_name("2017-2018"); }, "school_year.name"},
      {[](v1::SchoolYear& y) { y.set_start_date(""); }, "school_year.start_date"},
      {[](v1::SchoolYear& y) { y.set_start_date("05/09/2017"); }, "school_year.start_date"},
      {[](v1::SchoolYear& y) { y.set_start_date("2016-09-05"); }, "school_year.start_date"},
      {[](v1::SchoolYear& y) { y.set_end_date("2019-05-31"); }, "school_year.end_date"},
      {[](v1::SchoolYear& y) { y.set_start_date("2018-09-01"); }, "school_year.end_date"},
      {[](v1::SchoolYear& y) { y.set_end_date("2018-02-30"); }, "school_year.end_date"},
      {[](v1::SchoolYear& y) { y.set_theme(" "); }, "school_year.theme"},
      {[](v1::SchoolYear& y) { y.set_theme(std::string(1001, 'x')); }, "school_year.theme"},
  };
  for (const auto& c : cases) {
    v1::SchoolYear y = ValidSchoolYear();
    c.spoil(y);
    auto e = ValidateSchoolYear(&y);
    ASSERT_TRUE(e) << c.field;
    EXPECT_EQ(e->field, c.field);
  }
}

}  // namespace
}  // namespace cchc::news
