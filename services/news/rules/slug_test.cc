#include "rules/slug.h"

#include <gtest/gtest.h>

namespace cchc::news {
namespace {

TEST(Slug, TheSeedTitleLosesItsAccentsAndSpaces) {
  EXPECT_EQ(MakeSlug("Ủy ban nhân dân tỉnh Sóc Trăng tổ chức Hội nghị Cải cách hành chính năm 2016"),
            "uy-ban-nhan-dan-tinh-soc-trang-to-chuc-hoi-nghi-cai-cach-hanh-chinh-nam-2016");
}

TEST(Slug, DAndPunctuationAndDecomposedInput) {
  EXPECT_EQ(MakeSlug("Đại hội Đoàn: \"Tuổi trẻ\" — 2018!"), "dai-hoi-doan-tuoi-tre-2018");
  EXPECT_EQ(MakeSlug("co\xCC\x82ng vie\xCC\xA3\xCC\x82"
                     "c"),
            "cong-viec");  // NFD
  EXPECT_EQ(MakeSlug("  --a  b--  "), "a-b");
}

TEST(Slug, EmptyWhenThereIsNoLetterOrDigit) {
  EXPECT_EQ(MakeSlug(""), "");
  EXPECT_EQ(MakeSlug("!!! — ???"), "");
}

TEST(Slug, LongTitlesAreCutAtAWordBoundary) {
  std::string title;
  for (int i = 0; i < 40; ++i) title += "cải cách ";
  std::string slug = MakeSlug(title);
  EXPECT_LE(slug.size(), kMaxSlugChars);
  EXPECT_TRUE(IsValidSlug(slug)) << slug;
  EXPECT_EQ(slug.substr(0, 10), "cai-cach-c");
}

TEST(Slug, Validity) {
  EXPECT_TRUE(IsValidSlug("hoi-nghi-2016"));
  EXPECT_FALSE(IsValidSlug(""));
  EXPECT_FALSE(IsValidSlug("-a"));
  EXPECT_FALSE(IsValidSlug("a-"));
  EXPECT_FALSE(IsValidSlug("a--b"));
  EXPECT_FALSE(IsValidSlug("Hoi-nghi"));
  EXPECT_FALSE(IsValidSlug("hội-nghị"));
  EXPECT_FALSE(IsValidSlug(std::string(kMaxSlugChars + 1, 'a')));
}

}  // namespace
}  // namespace cchc::news
