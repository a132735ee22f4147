#include "rules/points.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

TEST(Points, ParsesAtMostTwoDecimals) {
  EXPECT_EQ(ParsePoints("86.15"), 8615);
  EXPECT_EQ(ParsePoints("10"), 1000);
  EXPECT_EQ(ParsePoints("2.5"), 250);
  EXPECT_EQ(ParsePoints("0"), 0);
  EXPECT_EQ(ParsePoints("99999.99"), kMaxCenti);
}

TEST(Points, RejectsWhatIsNotAnExactTwoPlaceDecimal) {
  for (const char* bad :
       {"1.234", "NaN", "1e3", "+1", " 1", "1 ", ".5", "1.", "", "-", "1,5", "100000", "0x10", "inf", "1.2.3"})
    EXPECT_FALSE(ParsePoints(bad)) << bad;
}

TEST(Points, NegativeOnlyWhenAllowed) {
  EXPECT_FALSE(ParsePoints("-0.30"));
  EXPECT_EQ(ParsePoints("-0.30", true), -30);
  EXPECT_FALSE(ParsePoints("--1", true));
}

TEST(Points, FormatsWithTwoPlacesAndSign) {
  EXPECT_EQ(FormatPoints(8615), "86.15");
  EXPECT_EQ(FormatPoints(1000), "10.00");
  EXPECT_EQ(FormatPoints(5), "0.05");
  EXPECT_EQ(FormatPoints(-30), "-0.30");
  EXPECT_EQ(FormatSignedPoints(443), "+4.43");
  EXPECT_EQ(FormatSignedPoints(-242), "-2.42");
  EXPECT_EQ(FormatSignedPoints(0), "+0.00");
}

TEST(Points, DecimalSumsAreExactWhereDoublesAreNot) {
  // 0.1 + 0.2 in binary floating point is 0.30000000000000004; in hundredths it is 30.
  EXPECT_EQ(*ParsePoints("0.10") + *ParsePoints("0.20"), *ParsePoints("0.30"));
  // The provincial framework's field maxima add up to exactly 100.
  Centi sum = 0;
  for (const char* m : {"10", "10", "14.5", "11", "16", "7", "16", "15.5"}) sum += *ParsePoints(m);
  EXPECT_EQ(FormatPoints(sum), "100.00");
  // 86.15 − 81.72 = +4.43 exactly.
  EXPECT_EQ(FormatSignedPoints(*ParsePoints("86.15") - *ParsePoints("81.72")), "+4.43");
}

TEST(Points, PercentRoundsHalfUp) {
  EXPECT_EQ(FormatPoints(PercentOf(850, 1000)), "85.00");
  EXPECT_EQ(FormatPoints(PercentOf(1, 3)), "33.33");    // 33.333…
  EXPECT_EQ(FormatPoints(PercentOf(2, 3)), "66.67");    // 66.666…
  EXPECT_EQ(FormatPoints(PercentOf(1, 8)), "12.50");    // exact
  EXPECT_EQ(FormatPoints(PercentOf(1, 1600)), "0.06");  // 0.0625 → 0.06 (half-up at the third place only)
  EXPECT_EQ(FormatPoints(PercentOf(1, 800)), "0.13");   // 0.125 → 0.13
  EXPECT_EQ(PercentOf(5, 0), 0);
  EXPECT_EQ(FormatPoints(MeanOf(25, 2)), "0.13");
}

}  // namespace
}  // namespace cchc::scoring
