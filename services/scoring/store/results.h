#pragma once
// Published results (kết quả) of a period: each unit's total and rank (table results) and its points per field
// (table result_fields). Written once, when a period is published; never changed afterwards.
#include <functional>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <vector>

#include "cchc/scoring/v1/events.pb.h"
#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"
#include "rules/points.h"
#include "rules/ranking.h"

namespace cchc::scoring {

// The statements this store runs; every pooled connection prepares them.
std::vector<db::Statement> ResultStatements();

// One unit's figures to publish: its total and its points per field code.
struct UnitTotals {
  std::string unit_code;
  Centi total = 0;
  std::map<std::string, Centi> by_field;
  bool sample_data = false;
  std::map<std::string, Centi> by_criterion{};  // scored criterion (leaf) code → points; may be empty
};

// What publishing a period writes: the ranked units (best first) and the ResultsPublished event.
struct Publication {
  std::vector<RankedUnit> ranked;
  v1::ResultsPublished event;
};

// Ranks `totals` against `previous` (the previous year's results by unit code) and builds the event; the
// units' display names by code. Called inside the publishing transaction: no I/O.
using PublicationPlanner = std::function<Publication(const v1::Period& period, const std::vector<UnitTotals>& totals,
                                                     const std::unordered_map<std::string, PreviousResult>& previous,
                                                     const std::map<std::string, std::string>& names)>;

// In `tx`: reads the previous year's published results of the period's kind, plans the publication of
// `totals` with `plan` and stores the results. A unit missing from the previous ranking that a change made
// (rules/lineage.h) compares with its predecessors: after renames only with the renamed unit's result (a
// change in points and places), else with none, its predecessors' results stored beside it. The caller
// checked that every unit is valid on 31 December of the period's year. Returns the ResultsPublished event
// for the caller to enqueue.
v1::ResultsPublished WriteResults(pqxx::work& tx, int64_t period_id, const v1::Period& period,
                                  const std::vector<UnitTotals>& totals, const PublicationPlanner& plan);

class ResultStore {
 public:
  explicit ResultStore(db::Pool& pool) : pool_(pool) {}

  // The published results of a period, best first (ties by code), without per-field points.
  std::vector<v1::UnitResultDetail> Results(int64_t period_id);
  // One unit's result with its field points (codes and points only). nullopt when it has none.
  std::optional<v1::UnitResultDetail> Result(int64_t period_id, const std::string& unit_code);
  // A unit's points per scored criterion (by code); empty when none were stored.
  std::map<std::string, Centi> CriterionPoints(int64_t period_id, const std::string& unit_code);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::scoring
