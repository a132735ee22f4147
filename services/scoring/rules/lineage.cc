#include "rules/lineage.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>

namespace cchc::scoring {

bool ValidOn(const std::string& from, const std::string& to, const std::string& date) {
  return (from.empty() || from <= date) && (to.empty() || date <= to);
}

std::string YearEnd(int year) {
  return std::to_string(year) + "-12-31";
}

std::optional<std::string> DayBefore(const std::string& date) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  std::chrono::year_month_day before{std::chrono::sys_days{ymd} - std::chrono::days{1}};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(before.year()),
                static_cast<unsigned>(before.month()), static_cast<unsigned>(before.day()));
  return std::string(out);
}

std::optional<std::string> CheckChangeShape(ChangeKind kind, size_t predecessors, size_t successors) {
  switch (kind) {
    case ChangeKind::kMerge:
      if (predecessors < 2) return "change.predecessors: a merge joins two or more units";
      if (successors != 1) return "change.successors: a merge makes exactly one unit";
      return std::nullopt;
    case ChangeKind::kSplit:
      if (predecessors != 1) return "change.predecessors: a split divides exactly one unit";
      if (successors < 2) return "change.successors: a split makes two or more units";
      return std::nullopt;
    case ChangeKind::kRename:
      if (predecessors != 1) return "change.predecessors: a rename has exactly one unit";
      if (successors != 1) return "change.successors: a rename makes exactly one unit";
      return std::nullopt;
  }
  return "change.kind: MERGE, SPLIT or RENAME";
}

Ancestry AncestorsOn(const std::string& unit, const std::vector<LineageLink>& links, const std::string& date) {
  std::multimap<std::string, const LineageLink*> into;  // successor → links after `date`
  for (const auto& l : links)
    if (l.effective_date > date) into.emplace(l.successor, &l);
  Ancestry out;
  if (into.count(unit) == 0) return out;
  out.renames_only = true;
  std::map<std::string, ChangeKind> found;
  std::set<std::string> seen{unit};
  std::vector<std::string> todo{unit};
  while (!todo.empty()) {
    std::string u = todo.back();
    todo.pop_back();
    auto [begin, end] = into.equal_range(u);
    for (auto it = begin; it != end; ++it) {
      const LineageLink& l = *it->second;
      if (l.kind != ChangeKind::kRename) out.renames_only = false;
      if (!seen.insert(l.predecessor).second) continue;
      if (into.count(l.predecessor) == 0)
        found.emplace(l.predecessor, l.kind);
      else
        todo.push_back(l.predecessor);
    }
  }
  for (const auto& [code, kind] : found) out.ancestors.push_back({code, kind});
  if (out.ancestors.size() != 1) out.renames_only = false;
  return out;
}

}  // namespace cchc::scoring
