#pragma once
// An in-process cache of hot read results (what readers see), bounded in entries and time. A write in this
// process invalidates everything at once (a generation counter); other replicas' writes show after at most
// the TTL. A result computed while a write happened is not stored, so a reader never re-caches stale data.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "metrics.h"

namespace cchc {

template <typename V>
class ReadCache {
 public:
  // ttl 0 disables the cache.
  ReadCache(std::string name, size_t max_entries, std::chrono::milliseconds ttl, metrics::Registry* registry)
      : max_entries_(max_entries), ttl_(ttl) {
    if (registry) {
      auto& family = registry->AddCounter("cchc_read_cache_requests_total", "Read cache look-ups", {"cache", "result"});
      hits_ = &family.WithLabels({name, "hit"});
      misses_ = &family.WithLabels({name, "miss"});
    }
  }

  // The generation to pass to Put for a value computed from now on.
  uint64_t Generation() const {
    std::lock_guard lock(mu_);
    return generation_;
  }

  std::shared_ptr<const V> Get(const std::string& key) {
    if (ttl_.count() == 0) return nullptr;
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.generation != generation_ ||
        it->second.expires < std::chrono::steady_clock::now()) {
      if (misses_) misses_->Increment();
      return nullptr;
    }
    if (hits_) hits_->Increment();
    return it->second.value;
  }

  // Stores `value` unless a write happened since `generation` was read.
  void Put(const std::string& key, std::shared_ptr<const V> value, uint64_t generation) {
    if (ttl_.count() == 0) return;
    std::lock_guard lock(mu_);
    if (generation != generation_) return;
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_[key] = Entry{std::move(value), std::chrono::steady_clock::now() + ttl_, generation};
  }

  void InvalidateAll() {
    std::lock_guard lock(mu_);
    ++generation_;
    entries_.clear();
  }

 private:
  struct Entry {
    std::shared_ptr<const V> value;
    std::chrono::steady_clock::time_point expires;
    uint64_t generation;
  };
  size_t max_entries_;
  std::chrono::milliseconds ttl_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
  metrics::Counter* hits_ = nullptr;
  metrics::Counter* misses_ = nullptr;
};

}  // namespace cchc
