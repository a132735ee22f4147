// W3C traceparent: what is valid, what a child and a new trace look like, and that an invalid header is
// replaced, never passed on.
#include "trace_context.h"

#include <gtest/gtest.h>

namespace cchc::trace {
namespace {

constexpr const char* kSpecExample = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

bool IsLowerHex(const std::string& s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(TraceParent, ParsesTheSpecExampleAndWritesItBack) {
  auto p = Parse(kSpecExample);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(p->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(p->flags, 0x01);
  EXPECT_EQ(p->ToHeader(), kSpecExample);
  auto unsampled = Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(unsampled);
  EXPECT_EQ(unsampled->flags, 0);
}

TEST(TraceParent, RefusesWhatTheSpecCallsInvalid) {
  for (const char* bad : {
           "", "00",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",    // short flags
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 with more after it
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",  // trailing space
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper-case trace-id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",   // upper-case parent-id
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // all-zero trace-id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // all-zero parent-id
           "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",   // not hex
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",   // wrong separators
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff is forbidden
           "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version not hex
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // higher version, no '-' after flags
           "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",    // higher version, too short
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz",   // flags not hex
       })
    EXPECT_FALSE(Parse(bad)) << bad;
}

TEST(TraceParent, AHigherVersionIsReadAsFarAsVersion00GoesKeepingOnlyTheSampledFlag) {
  auto exact = Parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->flags, 0x01);
  auto longer = Parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-comes-next");
  ASSERT_TRUE(longer);
  EXPECT_EQ(longer->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(longer->flags, 0);
  EXPECT_EQ(longer->ToHeader(), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");  // passed on as 00
}

TEST(TraceParent, ANewTraceHasRandomNonZeroIdsAndIsSampled) {
  TraceParent a = NewTrace(), b = NewTrace();
  EXPECT_TRUE(IsLowerHex(a.trace_id, 32));
  EXPECT_TRUE(IsLowerHex(a.parent_id, 16));
  EXPECT_EQ(a.flags, 0x01);
  EXPECT_NE(a.trace_id, b.trace_id);
  EXPECT_NE(a.parent_id, b.parent_id);
  auto back = Parse(a.ToHeader());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->trace_id, a.trace_id);
  EXPECT_EQ(a.ToHeader().size(), kHeaderLength);
}

TEST(TraceParent, AChildKeepsTheTraceAndFlagsWithANewParentId) {
  auto parent = Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(parent);
  TraceParent child = ChildOf(*parent);
  EXPECT_EQ(child.trace_id, parent->trace_id);
  EXPECT_EQ(child.flags, 0);
  EXPECT_TRUE(IsLowerHex(child.parent_id, 16));
  EXPECT_NE(child.parent_id, parent->parent_id);
}

TEST(TraceParent, AnInvalidIncomingHeaderIsReplacedNotPropagated) {
  TraceParent continued = ContinueOrStart(kSpecExample);
  EXPECT_EQ(continued.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(continued.parent_id, "00f067aa0ba902b7");
  const std::string invalid = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";
  TraceParent replaced = ContinueOrStart(invalid);
  EXPECT_NE(replaced.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(replaced.ToHeader().find("4bf92f3577b34da6a3ce929d0e0e4736"), std::string::npos);
  EXPECT_TRUE(Parse(replaced.ToHeader()));
  EXPECT_TRUE(Parse(ContinueOrStart("").ToHeader()));
}

TEST(TraceScope, ScopesNestAndEndWithTheirThreadsWork) {
  EXPECT_FALSE(Current());
  TraceParent outer = NewTrace(), inner = NewTrace();
  {
    Scope a(outer);
    ASSERT_TRUE(Current());
    EXPECT_EQ(Current()->trace_id, outer.trace_id);
    EXPECT_EQ(CurrentOrNew().trace_id, outer.trace_id);
    {
      Scope b(inner);
      EXPECT_EQ(Current()->trace_id, inner.trace_id);
    }
    EXPECT_EQ(Current()->trace_id, outer.trace_id);
  }
  EXPECT_FALSE(Current());
  EXPECT_NE(CurrentOrNew().trace_id, CurrentOrNew().trace_id);  // outside any: a new trace each time
}

}  // namespace
}  // namespace cchc::trace
