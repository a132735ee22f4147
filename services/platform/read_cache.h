#pragma once
// An in-process cache of hot read results (what readers see), bounded in bytes and time: least recently used
// entries are evicted once the entries' cost passes `max_bytes`, and an entry older than the TTL is dropped when
// a read meets it (or when it reaches the LRU end). An entry's cost is CachedBytes(value) + twice its key's
// size (the list and the index each hold it) + kEntryOverheadBytes; a value costing more than the whole budget is
// served but not kept. A write in this process invalidates everything at once (a generation counter); other replicas'
// writes show after at most the TTL. A result computed while a write happened is not stored, so a reader never
// re-caches stale data. Concurrent misses of one key load it once (single flight): an expired hot key costs one query,
// not one per caller. Protobuf results go through ProtoReadCache (proto_read_cache.h), which keeps them serialized so
// that what is counted is what is held. Thread-safe.
#include <chrono>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "metrics.h"

namespace cchc {

// What one entry costs beyond its key and value: list and map nodes, the shared_ptr's control block, allocator
// headers.
inline constexpr size_t kEntryOverheadBytes = 256;
// What a service's read caches hold together unless its --read-cache-bytes says otherwise.
inline constexpr size_t kDefaultReadCacheBytes = size_t{64} << 20;

// The bytes a cached value is counted as: a string's length, otherwise sizeof(V).
template <typename V>
size_t CachedBytes(const V& value) {
  if constexpr (std::is_same_v<V, std::string>) {
    return value.size();
  } else {
    return sizeof(V);
  }
}

template <typename V>
class ReadCache {
 public:
  // ttl 0 or max_bytes 0 disables the cache. `registry` (optional) gets the hit/miss counters, the bytes held
  // and the evictions, labelled cache=`name`.
  ReadCache(const std::string& name, size_t max_bytes, std::chrono::milliseconds ttl, metrics::Registry* registry)
      : max_bytes_(max_bytes), ttl_(ttl) {
    if (registry) {
      auto& family = registry->AddCounter("cchc_read_cache_requests_total", "Read cache look-ups", {"cache", "result"});
      hits_ = &family.WithLabels({name, "hit"});
      misses_ = &family.WithLabels({name, "miss"});
      bytes_gauge_ = &registry->AddGauge("cchc_read_cache_bytes", "Bytes the read cache counts as held", {"cache"})
                          .WithLabels({name});
      evictions_ =
          &registry
               ->AddCounter("cchc_read_cache_evictions_total",
                            "Entries dropped to stay within the byte budget or because they expired", {"cache"})
               .WithLabels({name});
    }
  }

  // The cached value of `key`, or load()'s (stored when no write intervened). While one caller loads a key,
  // the others wait for its result. load() may return nullptr (nothing to cache) or throw (passed to every
  // waiter).
  std::shared_ptr<const V> GetOrLoad(const std::string& key, const std::function<std::shared_ptr<const V>()>& load) {
    if (!Enabled()) return load();
    std::shared_future<std::shared_ptr<const V>> pending;
    std::promise<std::shared_ptr<const V>> mine;
    uint64_t generation;
    {
      std::lock_guard lock(mu_);
      auto it = index_.find(key);
      if (it != index_.end()) {
        if (it->second->expires >= std::chrono::steady_clock::now()) {
          lru_.splice(lru_.begin(), lru_, it->second);  // most recently used first
          if (hits_) hits_->Increment();
          return it->second->value;
        }
        Erase(it->second);
      }
      if (misses_) misses_->Increment();
      auto flight = in_flight_.find(key);
      if (flight != in_flight_.end()) {
        pending = flight->second;
      } else {
        in_flight_[key] = mine.get_future().share();
      }
      generation = generation_;
    }
    if (pending.valid()) return pending.get();
    std::shared_ptr<const V> value;
    try {
      value = load();
    } catch (...) {
      mine.set_exception(std::current_exception());
      std::lock_guard lock(mu_);
      in_flight_.erase(key);
      throw;
    }
    mine.set_value(value);
    size_t cost = value ? CachedBytes(*value) + 2 * key.size() + kEntryOverheadBytes : 0;
    std::lock_guard lock(mu_);
    in_flight_.erase(key);
    if (value && generation == generation_ && cost <= max_bytes_) Insert(key, value, cost);
    return value;
  }

  // False when ttl or max_bytes is 0: every GetOrLoad loads.
  bool Enabled() const { return ttl_.count() != 0 && max_bytes_ != 0; }

  void InvalidateAll() {
    std::lock_guard lock(mu_);
    ++generation_;
    index_.clear();
    lru_.clear();
    bytes_ = 0;
    if (bytes_gauge_) bytes_gauge_->Set(0);
  }

  // The bytes the entries are counted as, at most max_bytes.
  size_t Bytes() const {
    std::lock_guard lock(mu_);
    return bytes_;
  }
  size_t Entries() const {
    std::lock_guard lock(mu_);
    return index_.size();
  }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const V> value;
    size_t bytes;
    std::chrono::steady_clock::time_point expires;
  };
  using Lru = std::list<Entry>;

  // Both under mu_.
  void Erase(typename Lru::iterator entry) {
    bytes_ -= entry->bytes;
    index_.erase(entry->key);
    lru_.erase(entry);
    if (evictions_) evictions_->Increment();
    if (bytes_gauge_) bytes_gauge_->Set(static_cast<double>(bytes_));
  }
  void Insert(const std::string& key, std::shared_ptr<const V> value, size_t cost) {
    if (auto old = index_.find(key); old != index_.end()) Erase(old->second);
    auto now = std::chrono::steady_clock::now();
    while (!lru_.empty() && (bytes_ + cost > max_bytes_ || lru_.back().expires < now)) Erase(std::prev(lru_.end()));
    lru_.push_front(Entry{key, std::move(value), cost, now + ttl_});
    index_[key] = lru_.begin();
    bytes_ += cost;
    if (bytes_gauge_) bytes_gauge_->Set(static_cast<double>(bytes_));
  }

  size_t max_bytes_;
  std::chrono::milliseconds ttl_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  Lru lru_;  // most recently used first
  std::unordered_map<std::string, typename Lru::iterator> index_;
  size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const V>>> in_flight_;
  metrics::Counter* hits_ = nullptr;
  metrics::Counter* misses_ = nullptr;
  metrics::Gauge* bytes_gauge_ = nullptr;
  metrics::Counter* evictions_ = nullptr;
};

}  // namespace cchc
