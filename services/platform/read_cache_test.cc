#include "read_cache.h"

#include <google/protobuf/timestamp.pb.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "proto_read_cache.h"

namespace cchc {
namespace {

std::shared_ptr<const std::string> Value(const char* v) {
  return std::make_shared<const std::string>(v);
}

TEST(ReadCache, ServesWhatWasLoadedUntilInvalidated) {
  metrics::Registry registry;
  ReadCache<std::string> cache("test", 1 << 20, std::chrono::seconds(60), &registry);
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("v1"); }), "v1");
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("v2"); }), "v1");
  cache.InvalidateAll();
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("v3"); }), "v3");
  EXPECT_NE(registry.Render().find("cchc_read_cache_requests_total{cache=\"test\",result=\"hit\"} 1"),
            std::string::npos);
}

TEST(ReadCache, DropsAValueComputedAcrossAWrite) {
  ReadCache<std::string> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
  auto first = cache.GetOrLoad("k", [&] {
    cache.InvalidateAll();  // a write commits while the read is in flight
    return Value("maybe stale");
  });
  EXPECT_EQ(*first, "maybe stale");  // the caller that asked before the write still gets its answer…
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("fresh"); }), "fresh");  // …but it was not kept
}

TEST(ReadCache, NothingToCacheIsNotCached) {
  ReadCache<std::string> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
  EXPECT_EQ(cache.GetOrLoad("k", [] { return std::shared_ptr<const std::string>(); }), nullptr);
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return Value("now"); }), "now");
}

// Each entry of key "k<i>" and a 1000-byte value costs 1000 + 2 * 2 + kEntryOverheadBytes.
constexpr size_t kEntryCost = 1000 + 4 + kEntryOverheadBytes;

std::shared_ptr<const std::string> Kilobyte(char c) {
  return std::make_shared<const std::string>(1000, c);
}

TEST(ReadCache, EvictsTheLeastRecentlyUsedToStayWithinItsBytes) {
  metrics::Registry registry;
  ReadCache<std::string> cache("test", 3 * kEntryCost, std::chrono::seconds(60), &registry);
  int loads = 0;
  auto get = [&](const std::string& key) {
    return cache.GetOrLoad(key, [&] {
      ++loads;
      return Kilobyte(key[1]);
    });
  };
  get("k1");
  get("k2");
  get("k3");
  EXPECT_EQ(cache.Bytes(), 3 * kEntryCost);
  get("k1");  // now the most recently used: k2 goes next
  get("k4");
  EXPECT_EQ(cache.Entries(), 3u);
  EXPECT_LE(cache.Bytes(), 3 * kEntryCost);
  loads = 0;
  get("k1");
  get("k3");
  get("k4");
  EXPECT_EQ(loads, 0);
  get("k2");  // evicted, loaded again (and k1, now the least recently used, goes)
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(cache.Entries(), 3u);
  auto page = registry.Render();
  EXPECT_NE(page.find("cchc_read_cache_evictions_total{cache=\"test\"} 2"), std::string::npos) << page;
  EXPECT_NE(page.find("cchc_read_cache_bytes{cache=\"test\"} " + std::to_string(3 * kEntryCost)), std::string::npos)
      << page;
}

TEST(ReadCache, AValueLargerThanTheBudgetIsServedNotKept) {
  ReadCache<std::string> cache("test", kEntryCost - 1, std::chrono::seconds(60), nullptr);
  EXPECT_EQ(cache.GetOrLoad("k1", [] { return Kilobyte('a'); })->size(), 1000u);
  EXPECT_EQ(cache.Entries(), 0u);
  EXPECT_EQ(cache.Bytes(), 0u);
}

TEST(ProtoReadCache, KeepsResultsSerializedAndCountsTheirSerializedSize) {
  ProtoReadCache<google::protobuf::Timestamp> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
  int loads = 0;
  auto load = [&]() -> std::optional<google::protobuf::Timestamp> {
    ++loads;
    google::protobuf::Timestamp t;
    t.set_seconds(1528848000);  // 2018-06-13
    t.set_nanos(5);
    return t;
  };
  google::protobuf::Timestamp first, second;
  ASSERT_TRUE(cache.GetOrLoad("k1", load, &first));
  ASSERT_TRUE(cache.GetOrLoad("k1", load, &second));
  EXPECT_EQ(loads, 1);
  EXPECT_EQ(second.seconds(), 1528848000);
  EXPECT_EQ(second.nanos(), 5);
  EXPECT_EQ(cache.Bytes(), first.ByteSizeLong() + 2 * 2 + kEntryOverheadBytes);
}

TEST(ProtoReadCache, NothingFoundIsNotCachedAndLeavesTheOutputAlone) {
  ProtoReadCache<google::protobuf::Timestamp> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
  google::protobuf::Timestamp out;
  out.set_seconds(7);
  EXPECT_FALSE(cache.GetOrLoad(
      "k1", [] { return std::optional<google::protobuf::Timestamp>(); }, &out));
  EXPECT_EQ(out.seconds(), 7);
  EXPECT_EQ(cache.Bytes(), 0u);
}

TEST(ReadCache, AnExpiredEntryIsDroppedWhenMetAndReloaded) {
  ReadCache<std::string> cache("test", 1 << 20, std::chrono::milliseconds(30), nullptr);
  int loads = 0;
  auto load = [&] {
    ++loads;
    return Kilobyte('x');
  };
  cache.GetOrLoad("k1", load);
  cache.GetOrLoad("k1", load);
  EXPECT_EQ(loads, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cache.GetOrLoad("k2", load);  // meets the expired k1 at the LRU end and drops it
  EXPECT_EQ(cache.Entries(), 1u);
  EXPECT_EQ(cache.Bytes(), kEntryCost);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cache.GetOrLoad("k2", load);  // expired: loaded again
  EXPECT_EQ(loads, 3);
  EXPECT_EQ(cache.Entries(), 1u);
}

TEST(ReadCache, InvalidationReleasesEveryByte) {
  ReadCache<std::string> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
  for (char c = 'a'; c <= 'e'; ++c) cache.GetOrLoad(std::string("k") + c, [&] { return Kilobyte(c); });
  EXPECT_EQ(cache.Bytes(), 5 * kEntryCost);
  cache.InvalidateAll();
  EXPECT_EQ(cache.Bytes(), 0u);
  EXPECT_EQ(cache.Entries(), 0u);
}

TEST(ReadCache, ConcurrentMissesOfOneKeyLoadItOnce) {
  ReadCache<int> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
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
  ReadCache<int> cache("test", 1 << 20, std::chrono::seconds(60), nullptr);
  EXPECT_THROW(cache.GetOrLoad("k", []() -> std::shared_ptr<const int> { throw std::runtime_error("db down"); }),
               std::runtime_error);
  EXPECT_EQ(*cache.GetOrLoad("k", [] { return std::make_shared<const int>(7); }), 7);
}

TEST(ReadCache, ZeroTtlDisablesIt) {
  ReadCache<int> cache("test", 1 << 20, std::chrono::milliseconds(0), nullptr);
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
