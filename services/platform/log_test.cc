// Every log line written inside a trace (a call served, an event processed) carries its trace_id.
#include "log.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "trace_context.h"

namespace cchc::log {
namespace {

nlohmann::json LineOf(const std::function<void()>& write) {
  testing::internal::CaptureStderr();
  write();
  return nlohmann::json::parse(testing::internal::GetCapturedStderr());
}

TEST(Log, ALineInsideATraceCarriesItsTraceIdAndOnlyThere) {
  trace::TraceParent t = trace::NewTrace();
  auto inside = LineOf([&] {
    trace::Scope scope(t);
    RequestScope request("req-1");
    Info("handled", {{"document", "documents/1"}});
  });
  EXPECT_EQ(inside["trace_id"], t.trace_id);
  EXPECT_EQ(inside["request_id"], "req-1");
  EXPECT_EQ(inside["document"], "documents/1");
  auto outside = LineOf([] { Info("idle"); });
  EXPECT_FALSE(outside.contains("trace_id"));
}

}  // namespace
}  // namespace cchc::log
