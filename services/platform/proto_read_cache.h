#pragma once
// A read cache (read_cache.h) of protobuf results that keeps each result serialized: an entry's count is its
// ByteSizeLong plus key and overhead, and that is also about what it takes in memory (a parsed message of many
// small strings takes ~5 times its serialized size in the heap, which made a byte budget counted by
// ByteSizeLong hold ~5 times as much). A hit parses the bytes into the caller's message, which costs about
// what copying a cached message did. Thread-safe.
#include <functional>
#include <optional>
#include <string>

#include "read_cache.h"

namespace cchc {

template <typename M>
class ProtoReadCache {
 public:
  ProtoReadCache(const std::string& name, size_t max_bytes, std::chrono::milliseconds ttl, metrics::Registry* registry)
      : cache_(name, max_bytes, ttl, registry) {}

  // Fills *out with `key`'s cached result, or with load()'s (kept when no write intervened: see ReadCache).
  // Returns false, leaving *out alone, when load() found nothing (nullopt, not cached). What load() throws
  // reaches the caller.
  bool GetOrLoad(const std::string& key, const std::function<std::optional<M>()>& load, M* out) {
    if (!cache_.Enabled()) {  // nothing kept: no serialized copy to make
      std::optional<M> result = load();
      if (!result) return false;
      *out = std::move(*result);
      return true;
    }
    bool loaded_here = false;
    auto bytes = cache_.GetOrLoad(key, [&]() -> std::shared_ptr<const std::string> {
      std::optional<M> result = load();
      if (!result) return nullptr;
      auto serialized = std::make_shared<std::string>();
      result->SerializeToString(serialized.get());
      *out = std::move(*result);
      loaded_here = true;
      return serialized;
    });
    if (loaded_here) return true;
    if (!bytes) return false;
    if (!out->ParseFromString(*bytes)) throw std::runtime_error("read cache: a cached result does not parse");
    return true;
  }

  void InvalidateAll() { cache_.InvalidateAll(); }
  size_t Bytes() const { return cache_.Bytes(); }

 private:
  ReadCache<std::string> cache_;
};

}  // namespace cchc
