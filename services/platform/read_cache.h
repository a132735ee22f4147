#pragma once
// An in-process cache of hot read results (what readers see), bounded in entries and time. A write in this
// process invalidates everything at once (a generation counter); other replicas' writes show after at most
// the TTL. A result computed while a write happened is not stored, so a reader never re-caches stale data.
// Concurrent misses of one key load it once (single flight): an expired hot key costs one query, not one
// per caller.
#include <chrono>
#include <functional>
#include <future>
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
  ReadCache(const std::string& name, size_t max_entries, std::chrono::milliseconds ttl, metrics::Registry* registry)
      : max_entries_(max_entries), ttl_(ttl) {
    if (registry) {
      auto& family = registry->AddCounter("cchc_read_cache_requests_total", "Read cache look-ups", {"cache", "result"});
      hits_ = &family.WithLabels({name, "hit"});
      misses_ = &family.WithLabels({name, "miss"});
    }
  }

  // The cached value of `key`, or load()'s (stored when no write intervened). While one caller loads a key,
  // the others wait for its result. load() may return nullptr (nothing to cache) or throw (passed to every
  // waiter).
  std::shared_ptr<const V> GetOrLoad(const std::string& key, const std::function<std::shared_ptr<const V>()>& load) {
    if (ttl_.count() == 0) return load();
    std::shared_future<std::shared_ptr<const V>> pending;
    std::promise<std::shared_ptr<const V>> mine;
    uint64_t generation;
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.generation == generation_ &&
          it->second.expires >= std::chrono::steady_clock::now()) {
        if (hits_) hits_->Increment();
        return it->second.value;
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
    std::lock_guard lock(mu_);
    in_flight_.erase(key);
    if (value && generation == generation_) {
      if (entries_.size() >= max_entries_) entries_.clear();
      entries_[key] = Entry{value, std::chrono::steady_clock::now() + ttl_, generation};
    }
    return value;
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
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const V>>> in_flight_;
  metrics::Counter* hits_ = nullptr;
  metrics::Counter* misses_ = nullptr;
};

}  // namespace cchc
