#include "versions.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

constexpr const char* kId = "0b6f2c1e-8a5d-4c3b-9f1e-2d7a6b5c4e3f";

TEST(VersionName, RoundTripsAndRefusesWhatIsNotOne) {
  EXPECT_EQ(VersionName(kId, 12), std::string("documents/") + kId + "/versions/12");
  auto parsed = ParseVersionName(VersionName(kId, 12));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, kId);
  EXPECT_EQ(parsed->second, 12);
  const std::string base = std::string("documents/") + kId + "/versions/";
  for (const std::string& bad : {base, base + "0", base + "01", base + "-1", base + "+1", base + "1a", base + "1 ",
                                 base + "1234567890123456789", std::string("documents/") + kId + "/version/1",
                                 std::string("documents/not-a-uuid/versions/1"), std::string("documents/") + kId})
    EXPECT_FALSE(ParseVersionName(bad)) << bad;
  EXPECT_TRUE(ParseVersionName(base + "123456789012345678"));
}

TEST(FirstKeptAfterTheFirst, KeepsTheFirstAndTheNewest) {
  EXPECT_EQ(FirstKeptAfterTheFirst(1, 3), 2);
  EXPECT_EQ(FirstKeptAfterTheFirst(3, 3), 2);  // 1 2 3: all kept
  EXPECT_EQ(FirstKeptAfterTheFirst(4, 3), 3);  // 1 3 4
  EXPECT_EQ(FirstKeptAfterTheFirst(5, 3), 4);  // 1 4 5
  EXPECT_EQ(FirstKeptAfterTheFirst(5, 2), 5);  // 1 5
  EXPECT_EQ(FirstKeptAfterTheFirst(200, 200), 2);
  EXPECT_EQ(FirstKeptAfterTheFirst(201, 200), 3);
}

TEST(VersionSnapshot, KeepsTheContentNotTheCountersOrTodaysValidity) {
  v1::Document d;
  d.set_name(std::string("documents/") + kId);
  d.set_subject("Kế hoạch cải cách hành chính năm 2019");
  d.set_body("Toàn văn");
  d.set_status(v1::PUBLISHED);
  d.set_view_count(7);
  d.set_download_count(3);
  d.set_etag("\"9\"");
  d.set_validity(v1::IN_FORCE);
  d.set_replaced_by("documents/x");
  d.set_replaced_by_code("12/QĐ-SGDĐT");
  d.add_attachments()->set_file_name("a.pdf");
  v1::Document s = VersionSnapshot(d, 4);
  EXPECT_EQ(s.subject(), d.subject());
  EXPECT_EQ(s.body(), d.body());
  EXPECT_EQ(s.status(), v1::PUBLISHED);
  EXPECT_EQ(s.version(), 4);
  EXPECT_EQ(s.view_count(), 0);
  EXPECT_EQ(s.download_count(), 0);
  EXPECT_TRUE(s.etag().empty());
  EXPECT_EQ(s.validity(), v1::VALIDITY_UNSPECIFIED);
  EXPECT_TRUE(s.replaced_by().empty() && s.replaced_by_code().empty());
  EXPECT_EQ(s.attachments_size(), 0);
}

}  // namespace
}  // namespace cchc::document
