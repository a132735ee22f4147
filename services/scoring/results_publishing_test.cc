#include "results_publishing.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

v1::Period Period2024() {
  v1::Period p;
  p.set_name("periods/7");
  p.set_year(2024);
  p.set_unit_kind(v1::DISTRICT);
  return p;
}

const std::map<std::string, std::string> kNames{
    {"MY_XUYEN", "Huyện Mỹ Xuyên"}, {"SOC_TRANG", "Thành phố Sóc Trăng"}, {"KE_SACH", "Huyện Kế Sách"}};

TEST(PlanPublication, RanksBestFirstAndAnnouncesEachUnitByName) {
  auto plan = PlanPublication(
      Period2024(),
      {{"MY_XUYEN", 6900, {}, false}, {"SOC_TRANG", 8615, {{"F1", 8615}}, true}, {"KE_SACH", 6900, {}, false}}, {},
      kNames);
  ASSERT_EQ(plan.ranked.size(), 3u);
  EXPECT_EQ(plan.ranked[0].unit_code, "SOC_TRANG");
  EXPECT_EQ(plan.ranked[1].unit_code, "KE_SACH");  // ties by code, dense ranks
  EXPECT_EQ(plan.ranked[2].rank, 2);
  const auto& e = plan.event;
  EXPECT_EQ(e.period(), "periods/7");
  EXPECT_EQ(e.year(), 2024);
  EXPECT_EQ(e.unit_kind(), "DISTRICT");
  ASSERT_EQ(e.results_size(), 3);
  EXPECT_EQ(e.results(0).unit_name(), "Thành phố Sóc Trăng");
  EXPECT_EQ(e.results(0).total(), "86.15");
  EXPECT_EQ(e.results(0).rank(), 1);
  EXPECT_EQ(e.results(0).ranked_units(), 3);
  EXPECT_TRUE(e.results(0).sample_data());
  EXPECT_FALSE(e.results(1).sample_data());
  EXPECT_FALSE(e.results(0).has_previous());
  EXPECT_EQ(e.results(0).total_change(), "");
  EXPECT_EQ(e.compared_units(), 0);
}

TEST(PlanPublication, ComparesWithThePreviousYear) {
  std::unordered_map<std::string, PreviousResult> previous{{"SOC_TRANG", {8172, 3}}, {"MY_XUYEN", {7000, 1}}};
  auto plan =
      PlanPublication(Period2024(), {{"MY_XUYEN", 6900, {}, false}, {"SOC_TRANG", 8615, {}, false}}, previous, kNames);
  const auto& e = plan.event;
  EXPECT_EQ(e.compared_units(), 2);
  EXPECT_EQ(e.improved_units(), 1);
  ASSERT_EQ(e.results_size(), 2);
  EXPECT_TRUE(e.results(0).has_previous());
  EXPECT_EQ(e.results(0).total_change(), "+4.43");
  EXPECT_EQ(e.results(0).rank_change(), 2);
  EXPECT_EQ(e.results(1).total_change(), "-1.00");
  EXPECT_EQ(e.results(1).rank_change(), -1);
}

TEST(PlanPublication, AUnitWithoutANameIsABug) {
  EXPECT_THROW(PlanPublication(Period2024(), {{"UNKNOWN", 100, {}, false}}, {}, kNames), std::out_of_range);
}

}  // namespace
}  // namespace cchc::scoring
