#include "media_types.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

TEST(MediaTypes, AcceptsTheOfficeTypesOnly) {
  EXPECT_TRUE(IsAllowedMediaType("application/pdf"));
  EXPECT_TRUE(IsAllowedMediaType("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
  EXPECT_TRUE(IsAllowedMediaType("text/plain"));
  EXPECT_FALSE(IsAllowedMediaType("application/x-msdownload"));
  EXPECT_FALSE(IsAllowedMediaType("APPLICATION/PDF"));
}

TEST(MediaTypes, ContentMustBeginAsTheTypesFilesDo) {
  EXPECT_TRUE(ContentMatchesMediaType("application/pdf", "%PDF-1.7\n"));
  EXPECT_FALSE(ContentMatchesMediaType("application/pdf", "PK\x03\x04"));
  EXPECT_TRUE(ContentMatchesMediaType("application/msword", std::string_view("\xD0\xCF\x11\xE0rest", 8)));
  EXPECT_TRUE(ContentMatchesMediaType("image/png", "\x89PNG\r\n"));
  EXPECT_FALSE(ContentMatchesMediaType("image/jpeg", "\xFF\xD8"));  // shorter than the magic bytes
  EXPECT_TRUE(ContentMatchesMediaType("text/plain", "Quyết định số 998/QĐ-SGDĐT"));
  EXPECT_FALSE(ContentMatchesMediaType("application/x-msdownload", "MZ"));
}

}  // namespace
}  // namespace cchc::document
