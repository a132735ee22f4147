#include "rules/framework.h"

#include <gtest/gtest.h>

namespace cchc::scoring {
namespace {

v1::Criterion LeafCriterion(const std::string& code, const std::string& max, v1::ScoringRule rule = v1::RANGE) {
  v1::Criterion c;
  c.set_code(code);
  c.set_name("Tiêu chí " + code);
  c.set_max_points(max);
  c.set_rule(rule);
  return c;
}

// Field 1 "Công tác chỉ đạo, điều hành CCHC" (10): 1.1 with sub-criteria 1.1.1 (1.5) + 1.1.2 (1), and 1.2 (7.5).
v1::Framework Sample() {
  v1::Framework f;
  f.set_code("PAR-TINH");
  f.set_title("Bộ chỉ số cải cách hành chính cấp tỉnh");
  f.set_unit_kind(v1::PROVINCE);
  f.set_year(2015);
  auto* field = f.add_fields();
  field->set_code("1");
  field->set_name("Công tác chỉ đạo, điều hành CCHC");
  field->set_max_points("10");
  auto* c = field->add_criteria();
  c->set_code("1.1");
  c->set_name("Kế hoạch CCHC năm");
  *c->add_sub_criteria() = LeafCriterion("1.1.1", "1.5");
  *c->add_sub_criteria() = LeafCriterion("1.1.2", "1", v1::YES_NO);
  *field->add_criteria() = LeafCriterion("1.2", "7.5", v1::SURVEY);
  return f;
}

TEST(FrameworkRules, FillsMaximaFromTheirPartsAndTotals) {
  v1::Framework f = Sample();
  ASSERT_FALSE(ValidateFramework(&f, "framework"));
  EXPECT_EQ(f.version(), 1);
  EXPECT_EQ(f.fields(0).criteria(0).max_points(), "2.50");  // 1.5 + 1, filled in
  EXPECT_EQ(f.fields(0).max_points(), "10.00");
  EXPECT_EQ(f.total_max(), "10.00");
  auto leaves = Leaves(f);
  ASSERT_EQ(leaves.size(), 3u);
  EXPECT_EQ(leaves[0].code, "1.1.1");
  EXPECT_EQ(leaves[0].max, 150);
  EXPECT_EQ(leaves[1].rule, v1::YES_NO);
  EXPECT_EQ(leaves[2].field_code, "1");
  EXPECT_EQ(FieldMaxima(f)[0].max, 1000);
}

TEST(FrameworkRules, AFieldMaximumThatDiffersFromItsCriteriaIsNamed) {
  v1::Framework f = Sample();
  f.mutable_fields(0)->set_max_points("11");
  auto e = ValidateFramework(&f, "framework");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "framework.fields[0].max_points");
  EXPECT_NE(e->description.find("10.00"), std::string::npos);
}

TEST(FrameworkRules, RejectsBadMaximaDuplicatesAndDepth) {
  v1::Framework f = Sample();
  f.mutable_fields(0)->mutable_criteria(1)->set_max_points("7.505");
  auto e = ValidateFramework(&f, "framework");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "framework.fields[0].criteria[1].max_points");

  f = Sample();
  f.mutable_fields(0)->mutable_criteria(1)->set_code("1.1.1");
  e = ValidateFramework(&f, "framework");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "framework.fields[0].criteria[1].code");

  f = Sample();
  *f.mutable_fields(0)->mutable_criteria(0)->mutable_sub_criteria(0)->add_sub_criteria() =
      LeafCriterion("1.1.1.1", "1");
  e = ValidateFramework(&f, "framework");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->field, "framework.fields[0].criteria[0].sub_criteria[0].sub_criteria");

  f = Sample();
  f.set_unit_kind(v1::UNIT_KIND_UNSPECIFIED);
  EXPECT_EQ(ValidateFramework(&f, "framework")->field, "framework.unit_kind");

  f = Sample();
  f.mutable_fields(0)->mutable_criteria(1)->set_max_points("");
  EXPECT_EQ(ValidateFramework(&f, "framework")->field, "framework.fields[0].criteria[1].max_points");
}

TEST(FrameworkRules, ProvincialEightFieldsAddUpToOneHundred) {
  v1::Framework f;
  f.set_code("PAR-TINH");
  f.set_title("Tỉnh");
  f.set_unit_kind(v1::PROVINCE);
  f.set_year(2015);
  const char* maxima[] = {"10", "10", "14.5", "11", "16", "7", "16", "15.5"};
  for (int i = 0; i < 8; ++i) {
    auto* field = f.add_fields();
    field->set_code(std::to_string(i + 1));
    field->set_name("Lĩnh vực " + std::to_string(i + 1));
    *field->add_criteria() = LeafCriterion(std::to_string(i + 1) + ".1", maxima[i]);
  }
  ASSERT_FALSE(ValidateFramework(&f, "framework"));
  EXPECT_EQ(f.total_max(), "100.00");
}

TEST(FrameworkRules, Codes) {
  EXPECT_TRUE(IsCode("SOC_TRANG"));
  EXPECT_TRUE(IsCode("1.1.2"));
  EXPECT_FALSE(IsCode(""));
  EXPECT_FALSE(IsCode("SÓC TRĂNG"));
  EXPECT_FALSE(IsCode(std::string(65, 'A')));
}

}  // namespace
}  // namespace cchc::scoring
