#include "published_index.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>
#include <utility>

namespace cchc::document {
namespace {

bool Newer(int32_t day_a, int64_t seq_a, int32_t day_b, int64_t seq_b) {
  return day_a != day_b ? day_a > day_b : seq_a > seq_b;
}

// Whether the increasing list contains s, looking only below *hi (the walk goes down), and lowering *hi.
bool ContainsBelow(const std::vector<uint32_t>& list, size_t* hi, uint32_t s) {
  auto end = list.begin() + static_cast<std::ptrdiff_t>(*hi);
  auto it = std::lower_bound(list.begin(), end, s);
  *hi = static_cast<size_t>(it - list.begin());
  return it != end && *it == s;
}

}  // namespace

std::optional<int32_t> DayOfIsoDate(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n) -> std::optional<int> {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
      v = v * 10 + (iso[i] - '0');
    }
    return v;
  };
  auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

void PublishedIndex::Put(const IndexedDocument& doc) {
  std::vector<std::string> lexemes = doc.lexemes;
  std::sort(lexemes.begin(), lexemes.end());
  lexemes.erase(std::unique(lexemes.begin(), lexemes.end()), lexemes.end());
  std::unique_lock lock(mutex_);
  if (auto it = by_id_.find(doc.id); it != by_id_.end()) {
    slots_[it->second].live = false;
    ++dead_;
    by_id_.erase(it);
  }
  const auto slot = static_cast<uint32_t>(slots_.size());
  // Appended in order (a load, oldest first): the sorted part grows with it.
  if (sorted_end_ == slots_.size() &&
      (slots_.empty() || !Newer(slots_.back().issue_day, slots_.back().seq, doc.issue_day, doc.seq)))
    ++sorted_end_;
  slots_.push_back(Slot{doc.issue_day, doc.seq, true, doc.id, doc.type_key, doc.issuer_key, doc.signer_key,
                        doc.field_keys, doc.code_form});
  by_id_.emplace(doc.id, slot);
  for (auto& lexeme : lexemes) {
    auto it = postings_.find(lexeme);
    if (it == postings_.end()) it = postings_.emplace(std::move(lexeme), std::vector<uint32_t>{}).first;
    it->second.push_back(slot);
  }
  postings_count_ += lexemes.size();
}

void PublishedIndex::Remove(const std::string& id) {
  std::unique_lock lock(mutex_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  slots_[it->second].live = false;
  ++dead_;
  by_id_.erase(it);
}

void PublishedIndex::Clear() {
  std::unique_lock lock(mutex_);
  slots_.clear();
  by_id_.clear();
  postings_.clear();
  sorted_end_ = dead_ = postings_count_ = 0;
}

bool PublishedIndex::Passes(const Slot& s, const IndexQuery& q) const {
  if (!s.live) return false;
  if (!q.type_key.empty() && s.type_key != q.type_key) return false;
  if (!q.issuer_key.empty() && s.issuer_key != q.issuer_key) return false;
  if (!q.signer_key.empty() && s.signer_key != q.signer_key) return false;
  if (!q.field_key.empty() && std::find(s.field_keys.begin(), s.field_keys.end(), q.field_key) == s.field_keys.end())
    return false;
  if (q.from_day && s.issue_day < *q.from_day) return false;
  if (q.to_day && s.issue_day > *q.to_day) return false;
  return q.code_form == 0 || s.code_form == q.code_form;
}

std::vector<std::string> PublishedIndex::Newest(const IndexQuery& q, size_t max) const {
  if (q.words.empty() || max == 0) return {};
  std::shared_lock lock(mutex_);
  // Every word but the last: its own posting list; none, no match.
  std::vector<const std::vector<uint32_t>*> lists;
  for (size_t i = 0; i + 1 < q.words.size(); ++i) {
    auto it = postings_.find(q.words[i]);
    if (it == postings_.end()) return {};
    lists.push_back(&it->second);
  }
  // The last word: every lexeme it begins.
  const std::string& prefix = q.words.back();
  std::vector<const std::vector<uint32_t>*> prefixed;
  size_t prefixed_postings = 0;
  for (auto it = postings_.lower_bound(prefix);
       it != postings_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix; ++it) {
    prefixed.push_back(&it->second);
    prefixed_postings += it->second.size();
  }
  if (prefixed.empty()) return {};
  if (prefixed.size() == 1) {
    lists.push_back(prefixed.front());
    prefixed.clear();
  }
  // The walk is driven by the shortest list; the last word's lexemes, when several, are tested by probing each
  // list (few candidates) or through a bitmap of their union (many).
  std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) { return a->size() < b->size(); });
  std::vector<uint64_t> bits;
  bool probe = false;
  if (!prefixed.empty()) {
    probe = !lists.empty() && lists.front()->size() * prefixed.size() * 16 < prefixed_postings;
    if (!probe) {
      bits.assign(slots_.size() / 64 + 1, 0);
      for (const auto* l : prefixed)
        for (uint32_t s : *l) bits[s >> 6] |= uint64_t{1} << (s & 63);
    }
  }
  std::vector<size_t> hi(lists.size());
  for (size_t i = 0; i < lists.size(); ++i) hi[i] = lists[i]->size();

  std::vector<uint32_t> found;  // slots, newest first within the sorted part
  size_t found_sorted = 0;
  // Tests slot s (reached going down); false once the walk may stop.
  auto visit = [&](uint32_t s) {
    if (s < sorted_end_ && q.from_day && slots_[s].issue_day < *q.from_day) return false;  // the rest is older
    for (size_t i = lists.empty() ? 0 : 1; i < lists.size(); ++i)
      if (!ContainsBelow(*lists[i], &hi[i], s)) return true;
    if (probe ? std::none_of(prefixed.begin(), prefixed.end(),
                             [&](auto* l) { return std::binary_search(l->begin(), l->end(), s); })
              : !bits.empty() && !(bits[s >> 6] >> (s & 63) & 1))
      return true;
    if (!Passes(slots_[s], q)) return true;
    found.push_back(s);
    return s >= sorted_end_ || ++found_sorted < max;
  };
  if (!lists.empty()) {
    const auto& driver = *lists.front();
    for (auto it = driver.rbegin(); it != driver.rend(); ++it)
      if (!visit(*it)) break;
  } else {
    bool going = true;
    for (size_t w = bits.size(); going && w-- > 0;)
      for (uint64_t word = bits[w]; going && word;) {
        const int top = 63 - __builtin_clzll(word);
        word &= ~(uint64_t{1} << top);
        going = visit(static_cast<uint32_t>(w * 64 + static_cast<size_t>(top)));
      }
  }
  std::sort(found.begin(), found.end(), [&](uint32_t a, uint32_t b) {
    return Newer(slots_[a].issue_day, slots_[a].seq, slots_[b].issue_day, slots_[b].seq);
  });
  if (found.size() > max) found.resize(max);
  std::vector<std::string> ids;
  ids.reserve(found.size());
  for (uint32_t s : found) ids.push_back(slots_[s].id);
  return ids;
}

bool PublishedIndex::Compact(bool force) {
  std::vector<Slot> slots;
  PostingLists postings;
  size_t count = 0;
  {
    std::shared_lock lock(mutex_);
    const size_t unsorted = slots_.size() - sorted_end_;
    const bool due = dead_ > slots_.size() / 4 || unsorted > std::max<size_t>(1024, slots_.size() / 100);
    if (!(due || (force && (dead_ || unsorted)))) return false;
    std::vector<uint32_t> order;
    order.reserve(by_id_.size());
    for (uint32_t s = 0; s < slots_.size(); ++s)
      if (slots_[s].live) order.push_back(s);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return Newer(slots_[b].issue_day, slots_[b].seq, slots_[a].issue_day, slots_[a].seq);
    });
    std::vector<uint32_t> renumbered(slots_.size(), std::numeric_limits<uint32_t>::max());
    slots.reserve(order.size());
    for (uint32_t s : order) {
      renumbered[s] = static_cast<uint32_t>(slots.size());
      slots.push_back(slots_[s]);
    }
    for (const auto& [lexeme, list] : postings_) {
      std::vector<uint32_t> kept;
      for (uint32_t s : list)
        if (renumbered[s] != std::numeric_limits<uint32_t>::max()) kept.push_back(renumbered[s]);
      if (kept.empty()) continue;
      std::sort(kept.begin(), kept.end());
      count += kept.size();
      postings.emplace_hint(postings.end(), lexeme, std::move(kept));
    }
  }
  std::unique_lock lock(mutex_);
  slots_ = std::move(slots);
  postings_ = std::move(postings);
  by_id_.clear();
  for (uint32_t s = 0; s < slots_.size(); ++s) by_id_.emplace(slots_[s].id, s);
  sorted_end_ = slots_.size();
  dead_ = 0;
  postings_count_ = count;
  return true;
}

size_t PublishedIndex::Documents() const {
  std::shared_lock lock(mutex_);
  return by_id_.size();
}
size_t PublishedIndex::Slots() const {
  std::shared_lock lock(mutex_);
  return slots_.size();
}
size_t PublishedIndex::Postings() const {
  std::shared_lock lock(mutex_);
  return postings_count_;
}

}  // namespace cchc::document
