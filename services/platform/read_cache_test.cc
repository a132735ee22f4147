#include "read_cache.h"

#include <gtest/gtest.h>

#include <thread>

namespace cchc {
namespace {

TEST(ReadCache, ServesWhatWasPutUntilInvalidated) {
  metrics::Registry registry;
  ReadCache<std::string> cache("test", 10, std::chrono::seconds(60), &registry);
  EXPECT_EQ(cache.Get("k"), nullptr);
  cache.Put("k", std::make_shared<const std::string>("v"), cache.Generation());
  ASSERT_NE(cache.Get("k"), nullptr);
  EXPECT_EQ(*cache.Get("k"), "v");
  cache.InvalidateAll();
  EXPECT_EQ(cache.Get("k"), nullptr);
  EXPECT_NE(registry.Render().find("cchc_read_cache_requests_total{cache=\"test\",result=\"hit\"} 2"),
            std::string::npos);
}

TEST(ReadCache, DropsAValueComputedAcrossAWrite) {
  ReadCache<std::string> cache("test", 10, std::chrono::seconds(60), nullptr);
  uint64_t before = cache.Generation();
  cache.InvalidateAll();  // a write commits while the read was in flight
  cache.Put("k", std::make_shared<const std::string>("stale"), before);
  EXPECT_EQ(cache.Get("k"), nullptr);
}

TEST(ReadCache, ExpiresAndStaysBounded) {
  ReadCache<int> cache("test", 2, std::chrono::milliseconds(30), nullptr);
  for (int i = 0; i < 5; ++i) cache.Put(std::to_string(i), std::make_shared<const int>(i), cache.Generation());
  int present = 0;
  for (int i = 0; i < 5; ++i) present += cache.Get(std::to_string(i)) != nullptr;
  EXPECT_LE(present, 2);
  cache.Put("x", std::make_shared<const int>(1), cache.Generation());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(cache.Get("x"), nullptr);
}

TEST(ReadCache, ZeroTtlDisablesIt) {
  ReadCache<int> cache("test", 2, std::chrono::milliseconds(0), nullptr);
  cache.Put("x", std::make_shared<const int>(1), cache.Generation());
  EXPECT_EQ(cache.Get("x"), nullptr);
}

}  // namespace
}  // namespace cchc
