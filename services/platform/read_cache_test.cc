#include "read_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace cchc {
namespace {

std::shared_ptr<const std::string> Value(const char* v) {
  return std::make_shared<const std::string>(v);
}

TEST(ReadCache, ServesWhatWasLoadedUntilInvalidated) {
  metrics::Registry registry;
  ReadCache<std::string> cache("test", 10, std::chrono::seconds(60), &registry);
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("v1"); }), "v1");
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("v2"); }), "v1");
  cache.InvalidateAll();
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("v3"); }), "v3");
  EXPECT_NE(registry.Render().find("cchc_read_cache_requests_total{cache=\"test\",result=\"hit\"} 1"),
            std::string::npos);
}

TEST(ReadCache, DropsAValueComputedAcrossAWrite) {
  ReadCache<std::string> cache("test", 10, std::chrono::seconds(60), nullptr);
  auto first = cache.GetOrLoad("k", [&] {
    cache.InvalidateAll();  // a write commits while the read is in flight
    return Value("maybe stale");
  });
  EXPECT_EQ(*first, "maybe stale");  // the caller that asked before the write still gets its answer…
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("fresh"); }), "fresh");  // …but it was not kept
}

TEST(ReadCache, NothingToCacheIsNotCached) {
  ReadCache<std::string> cache("test", 10, std::chrono::seconds(60), nullptr);
  EXPECT_EQ(cache.GetOrLoad("k", [] { return std::shared_ptr<const std::string>(); }), nullptr);
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("now"); }), "now");
}

TEST(ReadCache, ExpiresAndStaysBounded) {
  ReadCache<int> cache("test", 2, std::chrono::milliseconds(30), nullptr);
  std::atomic<int> loads{0};
  auto load = [&] {
    ++loads;
    return std::make_shared<const int>(1);
  };
  for (int i = 0; i < 5; ++i) cache.GetOrLoad(std::to_string(i), load);
  for (int i = 0; i < 5; ++i) cache.GetOrLoad(std::to_string(i), load);
  EXPECT_GE(loads.load(), 8);  // at most two entries survive
  loads = 0;
  cache.GetOrLoad("x", load);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cache.GetOrLoad("x", load);
  EXPECT_EQ(loads.load(), 2);
}

TEST(ReadCache, ConcurrentMissesOfOneKeyLoadItOnce) {
  ReadCache<int> cache("test", 10, std::chrono::seconds(60), nullptr);
  std::atomic<int> loads{0};
  std::vector<std::thread> callers;
  std::vector<int> seen(8, 0);
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&, i] {
      seen[static_cast<size_t>(i)] = *cache.GetOrLoad("k", [&] {
        ++loads;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return std::make_shared<const int>(42);
      });
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(loads.load(), 1);
  for (int v : seen) EXPECT_EQ(v, 42);
}

TEST(ReadCache, AFailedLoadReachesTheCallerAndIsNotCached) {
  ReadCache<int> cache("test", 10, std::chrono::seconds(60), nullptr);
  EXPECT_THROW(cache.GetOrLoad("k", []() -> std::shared_ptr<const int> { throw std::runtime_error("db down"); }),
               std::runtime_error);
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return std::make_shared<const int>(7); }), 7);
}

TEST(ReadCache, ZeroTtlDisablesIt) {
  ReadCache<int> cache("test", 2, std::chrono::milliseconds(0), nullptr);
  std::atomic<int> loads{0};
  auto load = [&] {
    ++loads;
    return std::make_shared<const int>(1);
  };
  cache.GetOrLoad("x", load);
  cache.GetOrLoad("x", load);
  EXPECT_EQ(loads.load(), 2);
}

}  // namespace
}  // namespace cchc
