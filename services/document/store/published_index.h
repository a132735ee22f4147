#pragma once
// The published documents' search index in memory (chỉ mục tra cứu trong bộ nhớ): what a reader's search needs to
// find its candidates — the newest kMaxSearchResults published documents matching every word of a query (the last
// one as a prefix) and the filters — without asking PostgreSQL to walk or bitmap-scan its GIN index per date window
// (BENCHMARKS.md, Search). Ranking stays in PostgreSQL, over those candidates only (store/search.cc).
//
// Kept from document_search's rows (lexemes as tsvector_to_array gives them, so a word matches here exactly when
// `@@` matches there) by PublishedIndexFeed (published_index_feed.h). Plain data, no database. Put, Remove, Clear
// and Compact are one caller's at a time (the feed's); Newest may run beside them and sees each change whole.
//
// Layout: each version of a document gets a slot; a posting list per lexeme holds the slots in increasing order.
// The slots up to sorted_end_ are in increasing (issue date, seq) order — a load and a compaction write them so —
// so a query walks them newest first and stops at the max-th match; later slots (documents published or changed
// since) are few and read whole. A change makes a new slot and leaves the old one dead; Compact() renumbers.
#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cchc::document {

// One published document as the index keeps it.
struct IndexedDocument {
  std::string id;                       // uuid, as text
  int32_t issue_day = 0;                // ngày ban hành: days since 1970-01-01
  int64_t seq = 0;                      // the tie-break of equal dates, as in documents
  std::string type_key;                 // loại văn bản, folded
  std::string issuer_key;               // cơ quan ban hành, folded
  std::string signer_key;               // người ký, folded
  std::vector<std::string> field_keys;  // lĩnh vực, folded
  int code_form = 0;
  std::vector<std::string> lexemes;  // of the search vector; only read by Put (not kept)
};

// What a reader's search asks of the index. Empty strings and 0: no condition.
struct IndexQuery {
  std::vector<std::string> words;  // the query's search words (SearchWords); the last one a prefix
  std::string field_key, type_key, issuer_key, signer_key;
  std::optional<int32_t> from_day, to_day;  // issue date bounds, inclusive
  int code_form = 0;
};

// Days since 1970-01-01 of an ISO date ("2017-03-09"); nullopt when it is not one.
std::optional<int32_t> DayOfIsoDate(std::string_view iso);

class PublishedIndex {
 public:
  // Adds the document, or replaces the one with its id.
  void Put(const IndexedDocument& doc);
  // Drops the document with this id (none: nothing).
  void Remove(const std::string& id);
  void Clear();
  // The ids of the newest `max` documents matching q, newest (issue date, seq) first.
  std::vector<std::string> Newest(const IndexQuery& q, size_t max) const;
  // Renumbers the slots in (issue date, seq) order and drops dead ones when enough have changed since the last
  // time (`force`: whatever has). Readers wait only for the swap. Returns whether it did.
  bool Compact(bool force = false);

  size_t Documents() const;  // live
  size_t Slots() const;      // live, dead and unsorted: what memory is spent on
  size_t Postings() const;

 private:
  struct Slot {
    int32_t issue_day = 0;
    int64_t seq = 0;
    bool live = false;
    std::string id, type_key, issuer_key, signer_key;
    std::vector<std::string> field_keys;
    int code_form = 0;
  };
  using PostingLists = std::map<std::string, std::vector<uint32_t>, std::less<>>;

  bool Passes(const Slot& s, const IndexQuery& q) const;

  mutable std::shared_mutex mutex_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, uint32_t> by_id_;  // live slots
  PostingLists postings_;
  size_t sorted_end_ = 0;  // slots_[0, sorted_end_) are in increasing (issue_day, seq) order
  size_t dead_ = 0;
  size_t postings_count_ = 0;
};

}  // namespace cchc::document
