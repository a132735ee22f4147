#include "store/results.h"

#include <stdexcept>

#include "store/params.h"
#include "store/units.h"

namespace cchc::scoring {
namespace {

// Published results of the same unit kind in a year (the previous one), by unit.
const db::Statement kPreviousResults{
    "scoring_previous_results",
    "SELECT r.unit_code, r.total::text AS total, r.rank, r.ranked_units FROM results r JOIN periods p ON "
    "p.id = r.period_id "
    "WHERE p.year = $1 AND p.unit_kind = $2 AND p.state IN (4, 5)"};

std::unordered_map<std::string, PreviousResult> PreviousResults(pqxx::work& tx, int year, v1::UnitKind kind) {
  std::unordered_map<std::string, PreviousResult> out;
  for (const auto& r : tx.exec_prepared(kPreviousResults.name, year, static_cast<int>(kind)))
    out[r["unit_code"].as<std::string>()] = {*ParsePoints(r["total"].as<std::string>()), r["rank"].as<int>(),
                                             r["ranked_units"].as<int>()};
  return out;
}

const db::Statement kInsertResult{
    "scoring_result_insert",
    "INSERT INTO results (period_id, unit_code, total, rank, ranked_units, previous_total, previous_rank, "
    "sample_data) VALUES ($1, $2, $3::numeric, $4, $5, $6::numeric, $7::integer, $8)"};
const db::Statement kInsertResultField{
    "scoring_result_field_insert",
    "INSERT INTO result_fields (period_id, unit_code, field_code, points) VALUES ($1, $2, $3, $4::numeric)"};

const db::Statement kInsertPredecessor{
    "scoring_result_predecessor_insert",
    "INSERT INTO result_predecessors (period_id, unit_code, predecessor, change_kind, total, rank, ranked_units) "
    "VALUES ($1, $2, $3, $4, $5::numeric, $6::integer, $7::integer)"};
const db::Statement kInsertCriterion{
    "scoring_result_criterion_insert",
    "INSERT INTO result_criteria (period_id, unit_code, criterion_code, points) VALUES ($1, $2, $3, $4::numeric)"};
const std::string kPredecessorColumns =
    "SELECT rp.unit_code, rp.predecessor, u.display_name, rp.change_kind, COALESCE(rp.total::text, '') AS total, "
    "COALESCE(rp.rank, 0) AS rank, COALESCE(rp.ranked_units, 0) AS ranked_units FROM result_predecessors rp "
    "JOIN units u ON u.code = rp.predecessor ";
const db::Statement kPredecessorsOfPeriod{"scoring_result_predecessors_of_period",
                                          kPredecessorColumns + "WHERE rp.period_id = $1 ORDER BY 1, 2"};
const db::Statement kPredecessorsOfUnit{
    "scoring_result_predecessors_of_unit",
    kPredecessorColumns + "WHERE rp.period_id = $1 AND rp.unit_code = $2 ORDER BY 1, 2"};
const db::Statement kCriteriaOfUnit{
    "scoring_result_criteria_of_unit",
    "SELECT criterion_code, points::text AS points FROM result_criteria WHERE period_id = $1 AND unit_code = $2"};

void AddPredecessor(v1::UnitResultDetail* d, const pqxx::row& r) {
  auto* p = d->add_predecessors();
  p->set_unit_code(r["predecessor"].as<std::string>());
  p->set_unit_name(r["display_name"].as<std::string>());
  p->set_change(static_cast<v1::UnitChangeKind>(r["change_kind"].as<int>()));
  std::string total = r["total"].as<std::string>();
  p->set_has_result(!total.empty());
  p->set_total(total);
  p->set_rank(r["rank"].as<int>());
  p->set_ranked_units(r["ranked_units"].as<int>());
}

// What a unit missing from the previous ranking compares with (rules/lineage.h); adds the renamed unit's
// result to `previous` under `unit` after renames only.
std::vector<Ancestor> ComparePredecessors(const std::string& unit, int year, const std::vector<LineageLink>& links,
                                          std::unordered_map<std::string, PreviousResult>* previous) {
  if (previous->count(unit)) return {};
  Ancestry a = AncestorsOn(unit, links, YearEnd(year - 1));
  if (a.renames_only)
    if (auto it = previous->find(a.ancestors[0].unit_code); it != previous->end()) (*previous)[unit] = it->second;
  return a.ancestors;
}

// A result with its unit and period; previous_total "" when there is none.
v1::UnitResultDetail ResultFromRow(const pqxx::row& r) {
  v1::UnitResultDetail d;
  d.set_unit_code(r["unit_code"].as<std::string>());
  d.set_unit_name(r["unit_name"].as<std::string>());
  d.set_total(r["total"].as<std::string>());
  d.set_rank(r["rank"].as<int>());
  d.set_ranked_units(r["ranked_units"].as<int>());
  std::string previous = r["previous_total"].as<std::string>();
  if (!previous.empty()) {
    d.set_has_previous(true);
    d.set_previous_total(previous);
    d.set_previous_rank(r["previous_rank"].as<int>());
    d.set_total_change(FormatSignedPoints(*ParsePoints(d.total()) - *ParsePoints(previous, true)));
    d.set_rank_change(d.previous_rank() - d.rank());
  }
  d.set_sample_data(r["sample_data"].as<bool>());
  d.set_year(r["year"].as<int>());
  d.set_unit_kind(static_cast<v1::UnitKind>(r["unit_kind"].as<int>()));
  d.set_period("periods/" + r["period_id"].as<std::string>());
  return d;
}

const db::Statement kResultsOfPeriod{
    "scoring_results_of_period",
    "SELECT r.unit_code, u.display_name AS unit_name, r.total::text AS total, r.rank, r.ranked_units, "
    "COALESCE(r.previous_total::text, '') AS previous_total, COALESCE(r.previous_rank, 0) AS previous_rank, "
    "r.sample_data, p.year, p.unit_kind, p.id AS period_id "
    "FROM results r JOIN units u ON u.code = r.unit_code JOIN periods p ON p.id = r.period_id "
    "WHERE r.period_id = $1 ORDER BY r.rank, r.unit_code"};

const db::Statement kResultOfUnit{
    "scoring_result_of_unit",
    "SELECT r.unit_code, u.display_name AS unit_name, r.total::text AS total, r.rank, r.ranked_units, "
    "COALESCE(r.previous_total::text, '') AS previous_total, COALESCE(r.previous_rank, 0) AS previous_rank, "
    "r.sample_data, p.year, p.unit_kind, p.id AS period_id "
    "FROM results r JOIN units u ON u.code = r.unit_code JOIN periods p ON p.id = r.period_id "
    "WHERE r.period_id = $1 AND r.unit_code = $2"};

const db::Statement kResultFieldsOfUnit{
    "scoring_result_fields_of_unit",
    "SELECT field_code, points::text AS points FROM result_fields WHERE period_id = $1 AND unit_code = $2"};

}  // namespace

std::vector<db::Statement> ResultStatements() {
  return {kPreviousResults,      kInsertResult,       kInsertResultField, kResultsOfPeriod,
          kResultOfUnit,         kResultFieldsOfUnit, kInsertPredecessor, kInsertCriterion,
          kPredecessorsOfPeriod, kPredecessorsOfUnit, kCriteriaOfUnit};
}

v1::ResultsPublished WriteResults(pqxx::work& tx, int64_t period_id, const v1::Period& period,
                                  const std::vector<UnitTotals>& totals, const PublicationPlanner& plan) {
  auto previous = PreviousResults(tx, period.year() - 1, period.unit_kind());
  const auto before_lineage = previous;
  auto links = LineageOfKind(tx, period.unit_kind());
  std::map<std::string, std::vector<Ancestor>> predecessors;
  for (const auto& t : totals) {
    auto ancestors = ComparePredecessors(t.unit_code, period.year(), links, &previous);
    if (!ancestors.empty()) predecessors[t.unit_code] = std::move(ancestors);
  }
  std::map<std::string, const UnitTotals*> by_code;
  std::map<std::string, std::string> names;
  for (const auto& t : totals) {
    by_code[t.unit_code] = &t;
    auto unit = ReadUnit(tx, t.unit_code);
    if (!unit) throw std::runtime_error("results of " + period.name() + " name a missing unit " + t.unit_code);
    names[t.unit_code] = unit->display_name();
  }
  Publication publication = plan(period, totals, previous, names);
  for (const auto& r : publication.ranked) {
    const UnitTotals& t = *by_code.at(r.unit_code);
    std::string prev_total = r.has_previous ? FormatPoints(r.previous_total) : "";
    std::string prev_rank = r.has_previous ? std::to_string(r.previous_rank) : "";
    tx.exec_prepared(kInsertResult.name, period_id, r.unit_code, FormatPoints(r.total), r.rank, r.ranked_units,
                     db::NullIfEmpty(prev_total), db::NullIfEmpty(prev_rank), t.sample_data);
    for (const auto& [field, points] : t.by_field)
      tx.exec_prepared(kInsertResultField.name, period_id, r.unit_code, field, FormatPoints(points));
    for (const auto& [criterion, points] : t.by_criterion)
      tx.exec_prepared(kInsertCriterion.name, period_id, r.unit_code, criterion, FormatPoints(points));
    auto it = predecessors.find(r.unit_code);
    if (it == predecessors.end()) continue;
    for (const auto& a : it->second) {
      auto prev = before_lineage.find(a.unit_code);
      bool had = prev != before_lineage.end();
      std::string total = had ? FormatPoints(prev->second.total) : "";
      std::string rank = had ? std::to_string(prev->second.rank) : "";
      std::string ranked = had ? std::to_string(prev->second.ranked_units) : "";
      tx.exec_prepared(kInsertPredecessor.name, period_id, r.unit_code, a.unit_code, static_cast<int>(a.change),
                       db::NullIfEmpty(total), db::NullIfEmpty(rank), db::NullIfEmpty(ranked));
    }
  }
  return std::move(publication.event);
}

std::vector<v1::UnitResultDetail> ResultStore::Results(int64_t period_id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::UnitResultDetail> out;
        std::map<std::string, size_t> index;
        for (const auto& r : tx.exec_prepared(kResultsOfPeriod.name, period_id)) {
          index[r["unit_code"].as<std::string>()] = out.size();
          out.push_back(ResultFromRow(r));
        }
        for (const auto& r : tx.exec_prepared(kPredecessorsOfPeriod.name, period_id))
          AddPredecessor(&out[index.at(r["unit_code"].as<std::string>())], r);
        return out;
      },
      true);
}

std::optional<v1::UnitResultDetail> ResultStore::Result(int64_t period_id, const std::string& unit_code) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::UnitResultDetail> {
        pqxx::read_transaction tx(c);
        auto r = tx.exec_prepared(kResultOfUnit.name, period_id, unit_code);
        if (r.empty()) return std::nullopt;
        auto d = ResultFromRow(r[0]);
        for (const auto& f : tx.exec_prepared(kResultFieldsOfUnit.name, period_id, unit_code)) {
          auto* fs = d.add_fields();
          fs->set_code(f["field_code"].as<std::string>());
          fs->set_points(f["points"].as<std::string>());
        }
        for (const auto& p : tx.exec_prepared(kPredecessorsOfUnit.name, period_id, unit_code)) AddPredecessor(&d, p);
        return d;
      },
      true);
}

}  // namespace cchc::scoring

namespace cchc::scoring {

std::map<std::string, Centi> ResultStore::CriterionPoints(int64_t period_id, const std::string& unit_code) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::map<std::string, Centi> out;
        for (const auto& r : tx.exec_prepared(kCriteriaOfUnit.name, period_id, unit_code))
          out[r["criterion_code"].as<std::string>()] = *ParsePoints(r["points"].as<std::string>());
        return out;
      },
      true);
}

}  // namespace cchc::scoring
