#include "store/results.h"

#include <stdexcept>

#include "store/params.h"
#include "store/units.h"

namespace cchc::scoring {
namespace {

// Published results of the same unit kind in a year (the previous one), by unit.
const db::Statement kPreviousResults{
    "scoring_previous_results",
    "SELECT r.unit_code, r.total::text AS total, r.rank FROM results r JOIN periods p ON p.id = r.period_id "
    "WHERE p.year = $1 AND p.unit_kind = $2 AND p.state IN (4, 5)"};

std::unordered_map<std::string, PreviousResult> PreviousResults(pqxx::work& tx, int year, v1::UnitKind kind) {
  std::unordered_map<std::string, PreviousResult> out;
  for (const auto& r : tx.exec_prepared(kPreviousResults.name, year, static_cast<int>(kind)))
    out[r["unit_code"].as<std::string>()] = {*ParsePoints(r["total"].as<std::string>()), r["rank"].as<int>()};
  return out;
}

const db::Statement kInsertResult{
    "scoring_result_insert",
    "INSERT INTO results (period_id, unit_code, total, rank, ranked_units, previous_total, previous_rank, "
    "sample_data) VALUES ($1, $2, $3::numeric, $4, $5, $6::numeric, $7::integer, $8)"};
const db::Statement kInsertResultField{
    "scoring_result_field_insert",
    "INSERT INTO result_fields (period_id, unit_code, field_code, points) VALUES ($1, $2, $3, $4::numeric)"};

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
  return {kPreviousResults, kInsertResult, kInsertResultField, kResultsOfPeriod, kResultOfUnit, kResultFieldsOfUnit};
}

v1::ResultsPublished WriteResults(pqxx::work& tx, int64_t period_id, const v1::Period& period,
                                  const std::vector<UnitTotals>& totals, const PublicationPlanner& plan) {
  auto previous = PreviousResults(tx, period.year() - 1, period.unit_kind());
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
  }
  return std::move(publication.event);
}

std::vector<v1::UnitResultDetail> ResultStore::Results(int64_t period_id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::UnitResultDetail> out;
        for (const auto& r : tx.exec_prepared(kResultsOfPeriod.name, period_id)) out.push_back(ResultFromRow(r));
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
        return d;
      },
      true);
}

}  // namespace cchc::scoring
