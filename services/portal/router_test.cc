#include "router.h"

#include <gtest/gtest.h>

namespace cchc::portal {
namespace {

RouteAnswer Nothing(const Clients&, const PageRequest&, const Visitor&) {
  return {};
}

TEST(MatchPattern, TakesOneNonEmptySegmentPerPlaceholder) {
  auto m = MatchPattern("/chi-so-cai-cach-hanh-chinh/{year}/{kind}", "/chi-so-cai-cach-hanh-chinh/2015/tinh");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->at("year"), "2015");
  EXPECT_EQ(m->at("kind"), "tinh");
  EXPECT_FALSE(MatchPattern("/van-ban/{id}", "/van-ban/"));
  EXPECT_FALSE(MatchPattern("/van-ban/{id}", "/van-ban/a/b"));
  EXPECT_FALSE(MatchPattern("/van-ban/{id}", "/van-ban"));
  EXPECT_FALSE(MatchPattern("/van-ban", "van-ban"));
  EXPECT_TRUE(MatchPattern("/", "/"));
  EXPECT_EQ(MatchPattern("/cai-cach-hanh-chinh/{slug}", "/cai-cach-hanh-chinh/tiêu đề")->at("slug"), "tiêu đề");
}

TEST(MatchRoute, PicksTheFirstByMethodAndTellsAnotherMethodApart) {
  std::vector<Route> routes{{"GET", "/chi-so-cai-cach-hanh-chinh/don-vi/{code}", Nothing},
                            {"GET", "/chi-so-cai-cach-hanh-chinh/{year}/{kind}", Nothing},
                            {"POST", "/cai-cach-hanh-chinh/{slug}", Nothing}};
  auto unit = MatchRoute(routes, "GET", "/chi-so-cai-cach-hanh-chinh/don-vi/SOC_TRANG");
  ASSERT_NE(unit.route, nullptr);
  EXPECT_EQ(unit.route, &routes[0]);
  EXPECT_EQ(unit.path.at("code"), "SOC_TRANG");
  auto ranking = MatchRoute(routes, "GET", "/chi-so-cai-cach-hanh-chinh/2015/tinh");
  EXPECT_EQ(ranking.route, &routes[1]);
  auto get_comment = MatchRoute(routes, "GET", "/cai-cach-hanh-chinh/x");
  EXPECT_EQ(get_comment.route, nullptr);
  EXPECT_TRUE(get_comment.other_method);
  auto none = MatchRoute(routes, "GET", "/khong-co");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_FALSE(none.other_method);
}

}  // namespace
}  // namespace cchc::portal
