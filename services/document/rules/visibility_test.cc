#include "visibility.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

v1::Document Of(const std::string& unit, v1::DocumentStatus status) {
  v1::Document d;
  d.set_created_by(unit);
  d.set_status(status);
  return d;
}

TEST(Visibility, EditorsSeeTheirOwnUnitsDraftsAndWithdrawnDocumentsOnly) {
  Visibility tccb = VisibilityOf({"SGDĐT-TCCB", {auth::Role::kEditor}});
  EXPECT_TRUE(tccb.SeesUnpublished());
  EXPECT_TRUE(Sees(tccb, Of("SGDĐT-TCCB", v1::DRAFT)));
  EXPECT_TRUE(Sees(tccb, Of("SGDĐT-TCCB", v1::WITHDRAWN)));
  EXPECT_FALSE(Sees(tccb, Of("SNV", v1::DRAFT)));
  EXPECT_FALSE(Sees(tccb, Of("SNV", v1::WITHDRAWN)));
  EXPECT_TRUE(Sees(tccb, Of("SNV", v1::PUBLISHED)));
}

TEST(Visibility, AdminSeesEverythingReadersPublishedOnly) {
  Visibility admin = VisibilityOf({"SGDĐT", {auth::Role::kAdmin}});
  EXPECT_TRUE(admin.all);
  EXPECT_TRUE(Sees(admin, Of("SNV", v1::DRAFT)));
  Visibility reader = VisibilityOf({"SGDĐT-TCCB", {auth::Role::kReader, auth::Role::kModerator}});
  EXPECT_FALSE(reader.SeesUnpublished());
  EXPECT_FALSE(Sees(reader, Of("SGDĐT-TCCB", v1::DRAFT)));  // its own unit's, but no editor
  EXPECT_TRUE(Sees(reader, Of("SNV", v1::PUBLISHED)));
}

}  // namespace
}  // namespace cchc::document
