#pragma once
// Units' lineage (dòng kế thừa của đơn vị): merges (sáp nhập), splits (chia tách) and renames (đổi tên) with
// the date they take effect, and what they mean for a ranking. A ranking of year Y holds the units valid on
// 31/12/Y; a unit compares with the previous year like with like: its own previous result, or — after renames
// only — the renamed unit's; a unit made by a merge or a split shows its predecessors' previous results and
// ranks and gets no change in points or places (none would compare like with like).
// Dates are ISO ("2025-07-01"), so they compare as strings.
#include <optional>
#include <string>
#include <vector>

namespace cchc::scoring {

enum class ChangeKind { kMerge = 1, kSplit = 2, kRename = 3 };

// One link of a change: `predecessor` became (part of) `successor` on `effective_date`.
struct LineageLink {
  std::string predecessor;
  std::string successor;
  ChangeKind kind = ChangeKind::kMerge;
  std::string effective_date;
};

// Whether a unit valid from `from` to `to` (inclusive; empty: open) is valid on `date`.
bool ValidOn(const std::string& from, const std::string& to, const std::string& date);

// "2024-12-31" for 2024: the day a ranking's units must be valid on.
std::string YearEnd(int year);

// The ISO day before `date` ("2025-07-01" → "2025-06-30"); nullopt when `date` is not an ISO date.
std::optional<std::string> DayBefore(const std::string& date);

// Why a change of `kind` with that many predecessors and successors is not one (a merge: two or more into
// one; a split: one into two or more; a rename: one into one); nullopt when it is. The message names the
// request field ("change.predecessors: …").
std::optional<std::string> CheckChangeShape(ChangeKind kind, size_t predecessors, size_t successors);

// A unit a later one came from, with the kind of change that made the later one.
struct Ancestor {
  std::string unit_code;
  ChangeKind change = ChangeKind::kMerge;
};

struct Ancestry {
  std::vector<Ancestor> ancestors;  // by code; empty when the unit has no link after `date`
  bool renames_only = false;        // every link walked was a rename (then there is one ancestor)
};

// The units that `unit` comes from through the links effective after `date` (walked back through several
// changes), stopping at units with no such link — the units of `date`'s ranking.
Ancestry AncestorsOn(const std::string& unit, const std::vector<LineageLink>& links, const std::string& date);

}  // namespace cchc::scoring
