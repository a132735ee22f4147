#include "rules/audit_filter.h"

#include <gtest/gtest.h>

namespace cchc::document {
namespace {

TEST(AuditFilterTest, TakesEveryFieldAndNamesTheFirstWrongOne) {
  v1::ListAuditEventsRequest req;
  req.set_resource("documents/0b7c6a0e-4f7e-4c39-9d2a-1f2e3d4c5b6a");
  req.set_principal("  SGDĐT-TCCB ");
  req.set_action(v1::AuditAction::UPDATE);
  req.set_start_time("2026-12-07T00:00:00+07:00");
  req.set_end_time("2026-12-07T00:00:01Z");
  AuditFilter f;
  ASSERT_FALSE(ParseAuditFilter(req, &f));
  EXPECT_EQ(f.document_id, "0b7c6a0e-4f7e-4c39-9d2a-1f2e3d4c5b6a");
  EXPECT_EQ(f.principal, "SGDĐT-TCCB");
  EXPECT_EQ(f.action, v1::AuditAction::UPDATE);
  EXPECT_EQ(f.start_us, int64_t{1796576400} * 1000000);  // 2026-12-06T17:00:00Z
  EXPECT_EQ(f.end_us, f.start_us + int64_t{7} * 3600 * 1000000 + 1000000);

  auto field_of = [](v1::ListAuditEventsRequest r) {
    AuditFilter out;
    auto e = ParseAuditFilter(r, &out);
    return e ? e->field : std::string("(none)");
  };
  v1::ListAuditEventsRequest bad = req;
  bad.set_resource("documents/x");
  EXPECT_EQ(field_of(bad), "resource");
  bad = req;
  bad.set_principal(std::string(81, 'a'));
  EXPECT_EQ(field_of(bad), "principal");
  bad = req;
  bad.set_action(static_cast<v1::AuditAction>(42));
  EXPECT_EQ(field_of(bad), "action");
  bad = req;
  bad.set_start_time("07/12/2026");
  EXPECT_EQ(field_of(bad), "start_time");
  bad = req;
  bad.set_end_time("2026-12-06T00:00:00Z");
  EXPECT_EQ(field_of(bad), "end_time");
  EXPECT_EQ(field_of(v1::ListAuditEventsRequest()), "(none)");
}

TEST(AuditFilterTest, TheKeyTellsFiltersApart) {
  AuditFilter a, b;
  b.action = v1::AuditAction::CREATE;
  EXPECT_NE(AuditFilterKey(a), AuditFilterKey(b));
  EXPECT_EQ(AuditFilterKey(a), AuditFilterKey(AuditFilter{}));
}

}  // namespace
}  // namespace cchc::document
