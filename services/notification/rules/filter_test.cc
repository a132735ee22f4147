#include "rules/filter.h"

#include <gtest/gtest.h>

namespace cchc::notification {
namespace {

FilterSpec Valid(const std::string& type, const v1::Filter& f) {
  FilterSpec spec;
  auto error = ValidateFilter(type, f, "subscription.filter", &spec);
  EXPECT_FALSE(error) << error->field << ": " << error->description;
  return spec;
}

TEST(Filter, DocumentFieldMatchesFoldedAndTypeCodes) {
  v1::Filter f;
  f.add_fields("Cải cách hành chính");
  f.add_type_codes("QĐ");
  f.add_type_codes("KH");
  FilterSpec spec = Valid("cchc.document.v1.DocumentPublished", f);
  EventAttributes e;
  e.fields = {"Giáo dục", "cai cach HANH CHINH"};
  e.type_codes = {"QĐ"};
  EXPECT_TRUE(Matches(spec, e));
  e.type_codes = {"KH"};
  EXPECT_TRUE(Matches(spec, e));
  e.type_codes = {"CV"};
  EXPECT_FALSE(Matches(spec, e));
  e.type_codes = {"QĐ"};
  e.fields = {"Thi đua, khen thưởng"};
  EXPECT_FALSE(Matches(spec, e));
  e.fields = {};
  EXPECT_FALSE(Matches(spec, e)) << "a document without fields does not match a field filter";
}

TEST(Filter, LifecycleEventsFilterOnTheDocumentsFieldsTypesAndIssuers) {
  for (const char* type : {"cchc.document.v1.DocumentBecameEffective", "cchc.document.v1.DocumentExpired",
                           "cchc.document.v1.DocumentReplaced", "cchc.document.v1.DocumentDeleted"}) {
    v1::Filter f;
    f.add_fields("Cải cách hành chính");
    f.add_issuers("SGDĐT");
    FilterSpec spec = Valid(type, f);
    EventAttributes e;
    e.fields = {"cai cach hanh chinh"};
    e.issuers = {"sgddt"};
    EXPECT_TRUE(Matches(spec, e)) << type;
    e.fields = {"Văn thư, lưu trữ"};
    EXPECT_FALSE(Matches(spec, e)) << type;
    f.add_unit_codes("SGDĐT-TCCB");
    auto error = ValidateFilter(type, f, "subscription.filter", &spec);
    ASSERT_TRUE(error) << type;
    EXPECT_EQ(error->field, "subscription.filter.unit_codes");
  }
}

TEST(Filter, EmptyFilterMatchesEverything) {
  FilterSpec spec = Valid("cchc.scoring.v1.PeriodOpened", v1::Filter());
  EXPECT_TRUE(Matches(spec, EventAttributes{}));
}

TEST(Filter, ResultsForMyUnit) {
  v1::Filter f;
  f.add_unit_codes("sgddt-tccb");
  FilterSpec spec = Valid("cchc.scoring.v1.ResultsPublished", f);
  EventAttributes e;
  e.unit_codes = {"SGDĐT-KHTC", "SGDĐT-TCCB"};
  EXPECT_TRUE(Matches(spec, e));
  e.unit_codes = {"SGDĐT-KHTC"};
  EXPECT_FALSE(Matches(spec, e));
}

TEST(Filter, AttributeTheTypeDoesNotHaveIsNamed) {
  v1::Filter f;
  f.add_categories("Cải cách hành chính");
  FilterSpec spec;
  auto error = ValidateFilter("cchc.document.v1.DocumentPublished", f, "subscription.filter", &spec);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "subscription.filter.categories");
}

TEST(Filter, EmptyValueAndUnknownTypeAreRejected) {
  v1::Filter f;
  f.add_fields("  ");
  FilterSpec spec;
  auto error = ValidateFilter("cchc.document.v1.DocumentPublished", f, "subscription.filter", &spec);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->field, "subscription.filter.fields[0]");
  EXPECT_TRUE(ValidateFilter("cchc.future.v9.Thing", v1::Filter(), "subscription.filter", &spec));
}

TEST(Filter, JsonRoundTrip) {
  v1::Filter f;
  f.add_fields("Cải cách hành chính");
  f.add_issuers("SGDĐT");
  FilterSpec spec = Valid("cchc.document.v1.DocumentUpdated", f);
  FilterSpec back = FilterFromJson(ToJson(spec));
  EXPECT_EQ(back.fields, std::vector<std::string>{"cai cach hanh chinh"});
  EXPECT_EQ(back.issuers, std::vector<std::string>{"sgddt"});
  EXPECT_TRUE(back.categories.empty());
}

}  // namespace
}  // namespace cchc::notification
