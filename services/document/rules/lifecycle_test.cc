// The lifecycle rules (lifecycle.h): validity on a day, and which announcements a scheduler pass owes on a day,
// with "today" injected.
#include "lifecycle.h"

#include <gtest/gtest.h>

#include <chrono>

#include "platform/dates.h"

namespace cchc::document {
namespace {

using K = LifecycleKind;

TEST(ValidityOn, InForceFromTheEffectiveDateThroughTheExpiryDate) {
  EXPECT_EQ(ValidityOn("2026-07-01", "2026-12-31", false, "2026-06-30"), v1::NOT_YET_IN_FORCE);
  EXPECT_EQ(ValidityOn("2026-07-01", "2026-12-31", false, "2026-07-01"), v1::IN_FORCE);
  EXPECT_EQ(ValidityOn("2026-07-01", "2026-12-31", false, "2026-12-31"), v1::IN_FORCE);
  EXPECT_EQ(ValidityOn("2026-07-01", "2026-12-31", false, "2027-01-01"), v1::EXPIRED);
  EXPECT_EQ(ValidityOn("", "", false, "2027-01-01"), v1::IN_FORCE);
  EXPECT_EQ(ValidityOn("", "2026-12-31", false, "2026-01-01"), v1::IN_FORCE);
}

TEST(ValidityOn, AReplacedDocumentIsNoLongerInForceWhateverItsDates) {
  EXPECT_EQ(ValidityOn("2026-07-01", "", true, "2026-08-01"), v1::REPLACED);
  EXPECT_EQ(ValidityOn("2026-07-01", "", true, "2026-06-01"), v1::REPLACED);
  EXPECT_EQ(ValidityOn("", "2020-01-01", true, "2026-06-01"), v1::REPLACED);
}

TEST(AddDays, CrossesMonthsYearsAndLeapDays) {
  EXPECT_EQ(AddDays("2026-12-31", 1), "2027-01-01");
  EXPECT_EQ(AddDays("2028-02-28", 1), "2028-02-29");
  EXPECT_EQ(AddDays("2026-03-01", -1), "2026-02-28");
  EXPECT_THROW(AddDays("31/12/2026", 1), std::invalid_argument);
}

TEST(DueTransitions, EffectiveAtMidnightOfItsDateExpiredAtMidnightOfTheDayAfter) {
  LifecycleDates d{"2026-07-01", "2026-12-31", "2026-06-15"};
  const std::string start = "2026-06-01";
  EXPECT_TRUE(DueTransitions(d, "2026-06-30", start).empty());
  EXPECT_EQ(DueTransitions(d, "2026-07-01", start), (std::vector<DueTransition>{{K::kBecameEffective, "2026-07-01"}}));
  // In force through its expiry date: nothing more on 31/12.
  EXPECT_EQ(DueTransitions(d, "2026-12-31", start).size(), 1u);
  EXPECT_EQ(DueTransitions(d, "2027-01-01", start),
            (std::vector<DueTransition>{{K::kBecameEffective, "2026-07-01"}, {K::kExpired, "2027-01-01"}}));
}

TEST(DueTransitions, ADocumentPublishedTodayThatTakesEffectTodayIsAnnouncedAtOnce) {
  LifecycleDates d{"2026-12-07", "", "2026-12-07"};
  EXPECT_EQ(DueTransitions(d, "2026-12-07", "2026-01-01"),
            (std::vector<DueTransition>{{K::kBecameEffective, "2026-12-07"}}));
  // Published today, expired yesterday: the day after its expiry is today, announced at once too.
  LifecycleDates expired{"", "2026-12-06", "2026-12-07"};
  EXPECT_EQ(DueTransitions(expired, "2026-12-07", "2026-01-01"),
            (std::vector<DueTransition>{{K::kExpired, "2026-12-07"}}));
}

TEST(DueTransitions, DatesBeforePublicationOrBeforeTheFirstStartAreNeverAnnounced) {
  // Effective before it was published: the publication said so already.
  EXPECT_TRUE(DueTransitions({"2026-12-01", "", "2026-12-07"}, "2026-12-10", "2026-01-01").empty());
  // Dates that passed before the feature first started: no backlog, however long ago it was published.
  EXPECT_TRUE(DueTransitions({"2026-03-01", "2026-06-30", "2026-01-01"}, "2026-12-10", "2026-12-07").empty());
  // Only the part on or after the first start.
  EXPECT_EQ(DueTransitions({"2026-03-01", "2026-12-06", "2026-01-01"}, "2026-12-10", "2026-12-07"),
            (std::vector<DueTransition>{{K::kExpired, "2026-12-07"}}));
}

TEST(DueTransitions, CatchesUpAfterDowntime) {
  // Down from 30/06 to 10/01: both days passed meanwhile; both are owed, in order.
  LifecycleDates d{"2026-07-01", "2026-12-31", "2026-06-15"};
  EXPECT_EQ(DueTransitions(d, "2027-01-10", "2026-06-01"),
            (std::vector<DueTransition>{{K::kBecameEffective, "2026-07-01"}, {K::kExpired, "2027-01-01"}}));
}

TEST(DueTransitions, TheInjectedClockDecidesTheDayInVietnam) {
  using namespace std::chrono;
  LifecycleDates d{"2026-07-01", "", "2026-06-15"};
  // 30/06 17:00 UTC is 01/07 00:00 in Asia/Ho_Chi_Minh: due; a second earlier it is not.
  sys_seconds midnight = sys_days(year{2026} / 6 / 30) + hours(17);
  EXPECT_TRUE(DueTransitions(d, dates::ToIso(dates::VietnamDay(midnight - seconds(1))), "2026-06-01").empty());
  EXPECT_EQ(DueTransitions(d, dates::ToIso(dates::VietnamDay(midnight)), "2026-06-01").size(), 1u);
}

TEST(ScanFrom, OneDayBeforeTheDayCaughtUpToNeverBeforeTheFirstStart) {
  EXPECT_EQ(ScanFrom("2026-12-07", ""), "2026-12-07");
  EXPECT_EQ(ScanFrom("2026-12-07", "2026-12-07"), "2026-12-07");
  EXPECT_EQ(ScanFrom("2026-12-07", "2027-01-01"), "2026-12-31");
}

}  // namespace
}  // namespace cchc::document
