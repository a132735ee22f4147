#include "conditional.h"

#include <gtest/gtest.h>

namespace cchc::portal {
namespace {

const Validators kOurs{EntityTag("documents/1@v3"), "Tue, 19 Jun 2018 03:00:00 GMT"};

TEST(EntityTag, IsQuotedAndFollowsTheContent) {
  EXPECT_EQ(kOurs.etag.size(), 34u);
  EXPECT_EQ(kOurs.etag.front(), '"');
  EXPECT_EQ(kOurs.etag.back(), '"');
  EXPECT_EQ(EntityTag("documents/1@v3"), kOurs.etag);
  EXPECT_NE(EntityTag("documents/1@v4"), kOurs.etag);
}

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  auto t = ParseHttpDate("Tue, 19 Jun 2018 03:00:00 GMT");
  ASSERT_TRUE(t);
  EXPECT_EQ(HttpDate(*t), "Tue, 19 Jun 2018 03:00:00 GMT");
  EXPECT_FALSE(ParseHttpDate("19/06/2018"));
  EXPECT_FALSE(ParseHttpDate("Tue, 19 Jun 2018 03:00:00 GMT trailing"));
  EXPECT_FALSE(ParseHttpDate(""));
  EXPECT_EQ(LaterHttpDate("Tue, 19 Jun 2018 03:00:00 GMT", "Wed, 20 Jun 2018 00:00:00 GMT"),
            "Wed, 20 Jun 2018 00:00:00 GMT");
  EXPECT_EQ(LaterHttpDate("Tue, 19 Jun 2018 03:00:00 GMT", "nonsense"), "Tue, 19 Jun 2018 03:00:00 GMT");
  EXPECT_EQ(LaterHttpDate("", ""), "");
}

TEST(NotModified, IfNoneMatchDecidesWhenPresent) {
  EXPECT_TRUE(NotModified(kOurs, kOurs.etag, ""));
  EXPECT_TRUE(NotModified(kOurs, "W/" + kOurs.etag, ""));  // weak comparison for GET
  EXPECT_TRUE(NotModified(kOurs, "\"other\", " + kOurs.etag, ""));
  EXPECT_TRUE(NotModified(kOurs, "*", ""));
  EXPECT_FALSE(NotModified(kOurs, "\"other\"", ""));
  // A stale tag is not rescued by a date that would match: If-Modified-Since is ignored then.
  EXPECT_FALSE(NotModified(kOurs, "\"other\"", "Wed, 20 Jun 2018 00:00:00 GMT"));
}

TEST(NotModified, IfModifiedSinceComparesWhenNoTagIsSent) {
  EXPECT_TRUE(NotModified(kOurs, "", "Tue, 19 Jun 2018 03:00:00 GMT"));
  EXPECT_TRUE(NotModified(kOurs, "", "Wed, 20 Jun 2018 00:00:00 GMT"));
  EXPECT_FALSE(NotModified(kOurs, "", "Tue, 19 Jun 2018 02:59:59 GMT"));
  EXPECT_FALSE(NotModified(kOurs, "", "yesterday"));
  EXPECT_FALSE(NotModified(kOurs, "", ""));
  EXPECT_FALSE(NotModified(Validators{kOurs.etag, ""}, "", "Wed, 20 Jun 2018 00:00:00 GMT"));
}

}  // namespace
}  // namespace cchc::portal
