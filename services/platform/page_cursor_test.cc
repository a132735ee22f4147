// Typed page cursors: round trip, fingerprint binding, and every way a token can fail to be this listing's.
#include "page_cursor.h"

#include <gtest/gtest.h>

namespace cchc::paging {
namespace {

constexpr CursorShape<std::string, int64_t> kListing{{"d", "s"}, "listing (filters changed?)"};
constexpr CursorShape<int64_t> kUnbound{{"parked_after"}};

std::string RefusalOf(const auto& shape, std::string_view token, std::string_view fingerprint) {
  try {
    shape.Decode(token, fingerprint);
  } catch (const DomainError& e) {
    EXPECT_EQ(e.Kind(), DomainErrorKind::kInvalid);
    return e.what();
  }
  return "accepted";
}

TEST(PageCursor, RoundTripsItsFieldsUnderItsFingerprint) {
  auto token = kListing.Encode("fp1", "2018-06-19", 42);
  auto [date, seq] = kListing.Decode(token, "fp1");
  EXPECT_EQ(date, "2018-06-19");
  EXPECT_EQ(seq, 42);
  auto [after] = kUnbound.Decode(kUnbound.Encode("", 7), "");
  EXPECT_EQ(after, 7);
  // The JSON keys are the ones the listings used before: tokens in clients' hands stay valid.
  EXPECT_EQ(*DecodeToken(token), nlohmann::json({{"d", "2018-06-19"}, {"s", 42}, {"f", "fp1"}}));
}

TEST(PageCursor, RefusesAnotherFilterAnotherListingAndGarbageWithOneMessage) {
  const std::string refused = "page_token: not a token of this listing (filters changed?)";
  EXPECT_EQ(RefusalOf(kListing, kListing.Encode("fp1", "2018-06-19", 1), "fp2"), refused);
  EXPECT_EQ(RefusalOf(kListing, kUnbound.Encode("", 1), "fp1"), refused);
  EXPECT_EQ(RefusalOf(kListing, EncodeToken({{"d", 5}, {"s", 1}, {"f", "fp1"}}), "fp1"), refused);  // wrong type
  EXPECT_EQ(RefusalOf(kListing, EncodeToken({{"s", 1}, {"f", "fp1"}}), "fp1"), refused);            // missing
  EXPECT_EQ(RefusalOf(kListing, "garbage", "fp1"), refused);
  EXPECT_EQ(RefusalOf(kUnbound, EncodeToken(nlohmann::json::array({1})), ""),
            "page_token: not a token of this listing");
}

TEST(PageCursor, SearchOffsetIsZeroWithoutATokenAndBoundedWithOne) {
  EXPECT_EQ(DecodeSearchOffset("", "q", 1000), 0);
  EXPECT_EQ(DecodeSearchOffset(kSearchCursor.Encode("q", 40), "q", 1000), 40);
  EXPECT_EQ(RefusalOf(kSearchCursor, kSearchCursor.Encode("q", 40), "other"),
            "page_token: not a token of this search (query changed?)");
  EXPECT_THROW(DecodeSearchOffset(kSearchCursor.Encode("q", 1000), "q", 1000), DomainError);
  EXPECT_THROW(DecodeSearchOffset(kSearchCursor.Encode("q", -20), "q", 1000), DomainError);
}

}  // namespace
}  // namespace cchc::paging
