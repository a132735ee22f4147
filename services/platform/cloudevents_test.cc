#include "cloudevents.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>

namespace cchc::events {
namespace {

// The value of header `name` in `h`, nullopt when absent.
std::optional<std::string> HeaderOf(rd_kafka_headers_t* h, const char* name) {
  const void* v = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(h, name, &v, &size) != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  return std::string(static_cast<const char*>(v), size);
}

TEST(ToHeaders, TheTraceTravelsAsCeTraceparentOnlyWhenThereIsOne) {
  CloudEvent e;
  e.id = NewUuid();
  e.source = "/cchc/document";
  e.type = "cchc.document.v1.DocumentPublished";
  e.time = "2026-12-07T01:02:03.456Z";
  e.subject = "documents/1";
  e.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  rd_kafka_headers_t* traced = ToHeaders(e);
  EXPECT_EQ(HeaderOf(traced, "ce_traceparent"), e.traceparent);
  EXPECT_EQ(HeaderOf(traced, "ce_id"), e.id);
  EXPECT_EQ(rd_kafka_header_cnt(traced), 8u);
  rd_kafka_headers_destroy(traced);
  e.traceparent.clear();
  rd_kafka_headers_t* untraced = ToHeaders(e);
  EXPECT_EQ(HeaderOf(untraced, "ce_traceparent"), std::nullopt);
  EXPECT_EQ(rd_kafka_header_cnt(untraced), 7u);
  rd_kafka_headers_destroy(untraced);
}

TEST(NewUuid, IsVersion7WithTheTimeInFront) {
  // 2026-11-27T23:00:00.123Z = 1795820400123 ms = 0x01a21f3cadfb, the first 48 bits.
  std::string id = NewUuid(1795820400123);
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[8], '-');
  EXPECT_EQ(id[13], '-');
  EXPECT_EQ(id[18], '-');
  EXPECT_EQ(id[23], '-');
  EXPECT_EQ(id.substr(0, 8) + id.substr(9, 4), "01a21f3cadfb");
  EXPECT_EQ(id[14], '7');                                          // version
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // variant 10xx
}

TEST(NewUuid, LaterIdsSortLaterAndNoneRepeat) {
  std::set<std::string> seen;
  std::string last;
  for (int64_t ms = 1795820400000; ms < 1795820400000 + 2000; ++ms) {
    std::string id = NewUuid(ms);
    EXPECT_GT(id, last);
    EXPECT_TRUE(seen.insert(id).second);
    last = id;
  }
  // Within one millisecond the 74 random bits keep ids apart.
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(NewUuid(1795820400000)).second);
}

TEST(NewUuid, NowIsTheClock) {
  auto ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  int64_t before = ms();
  std::string id = NewUuid();
  int64_t after = ms();
  int64_t stamped = std::stoll(id.substr(0, 8) + id.substr(9, 4), nullptr, 16);
  EXPECT_GE(stamped, before);
  EXPECT_LE(stamped, after);
}

}  // namespace
}  // namespace cchc::events
