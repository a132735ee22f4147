#include "text.h"

#include <gtest/gtest.h>

namespace cchc::text {
namespace {

TEST(Fold, RemovesAccentsCaseAndStrokedD) {
  EXPECT_EQ(Fold("Cải cách HÀNH CHÍNH"), "cai cach hanh chinh");
  EXPECT_EQ(Fold("Sở Giáo dục và Đào tạo Sóc Trăng"), "so giao duc va dao tao soc trang");
  EXPECT_EQ(Fold("ĐƯỜNG ƠN ẶC ỄNH ỮA Ỳ"), "duong on ac enh ua y");
  EXPECT_EQ(Fold("998/QĐ-SGDĐT"), "998/qd-sgddt");
}

TEST(Fold, NfdInputFoldsLikeNfc) {
  // "cải cách" written with combining marks (NFD).
  EXPECT_EQ(Fold("ca\xCC\x89i ca\xCC\x81"
                 "ch"),
            "cai cach");
  EXPECT_EQ(Fold("Tra\xCC\x86\xCC\x80ng"), "trang");
}

TEST(Fold, OldAndNewTonePlacementFoldAlike) {
  EXPECT_EQ(Fold("hoà thuỷ"), Fold("hòa thủy"));
}

TEST(Fold, CollapsesWhitespace) {
  EXPECT_EQ(Fold("  Kế   hoạch\t\n năm 2018 "), "ke hoach nam 2018");
}

TEST(Fold, DropsInvalidBytes) {
  EXPECT_EQ(Fold("a\xFF"
                 "b"),
            "ab");
}

TEST(Utf8, ValidatesAndCounts) {
  EXPECT_TRUE(IsValidUtf8("Trích yếu"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_EQ(CodePointCount("Trích yếu"), 9u);
}

TEST(Nfc, ComposesDecomposedInput) {
  auto nfc = ToNfc("Tra\xCC\x86\xCC\x80ng");
  ASSERT_TRUE(nfc);
  EXPECT_EQ(*nfc, "Trằng");
  EXPECT_FALSE(ToNfc("\xFF"));
}

TEST(ControlCharacters, FindsNulAndC1ButAllowsNewlines) {
  EXPECT_TRUE(HasControlCharacters(std::string("a\0b", 3)));
  EXPECT_TRUE(
      HasControlCharacters("a\x1b"
                           "b"));
  EXPECT_FALSE(HasControlCharacters("dòng 1\ndòng 2\tcột"));
}

TEST(TruncateAtWord, CutsAtAWordBoundaryWithEllipsis) {
  EXPECT_EQ(TruncateAtWord("Tuyên truyền cải cách hành chính năm 2018", 100),
            "Tuyên truyền cải cách hành chính năm 2018");
  EXPECT_EQ(TruncateAtWord("Tuyên truyền cải cách hành chính năm 2018", 20), "Tuyên truyền cải ...");
}

}  // namespace
}  // namespace cchc::text
