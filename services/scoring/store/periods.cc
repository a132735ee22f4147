#include "store/periods.h"

#include "events.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "rules/framework.h"
#include "rules/lineage.h"
#include "rules/period_state.h"
#include "rules/score.h"
#include "store/assessments.h"
#include "store/frameworks.h"
#include "store/params.h"
#include "store/units.h"

namespace cchc::scoring {
namespace {

using Kind = DomainErrorKind;

const std::string kPeriodColumns =
    "id, year, framework_id, unit_kind, title, COALESCE(self_assessment_deadline::text, '') AS "
    "self_assessment_deadline, COALESCE(appraisal_deadline::text, '') AS appraisal_deadline, state, imported";

StoredPeriod PeriodFromRow(const pqxx::row& r) {
  StoredPeriod s;
  s.id = r["id"].as<int64_t>();
  s.framework_id = r["framework_id"].as<int64_t>();
  v1::Period& p = s.period;
  p.set_name("periods/" + r["id"].as<std::string>());
  p.set_year(r["year"].as<int>());
  p.set_framework("frameworks/" + r["framework_id"].as<std::string>());
  p.set_unit_kind(static_cast<v1::UnitKind>(r["unit_kind"].as<int>()));
  p.set_title(r["title"].as<std::string>());
  p.set_self_assessment_deadline(r["self_assessment_deadline"].as<std::string>());
  p.set_appraisal_deadline(r["appraisal_deadline"].as<std::string>());
  p.set_state(static_cast<v1::PeriodState>(r["state"].as<int>()));
  p.set_imported(r["imported"].as<bool>());
  return s;
}

std::string NotFound(int64_t id) {
  return "period: periods/" + std::to_string(id) + " does not exist";
}

const db::Statement kGetPeriod{"scoring_period_get", "SELECT " + kPeriodColumns + " FROM periods WHERE id = $1"};
const db::Statement kLockPeriod{"scoring_period_lock",
                                "SELECT " + kPeriodColumns + " FROM periods WHERE id = $1 FOR UPDATE"};
const db::Statement kSharePeriod{"scoring_period_share",
                                 "SELECT " + kPeriodColumns + " FROM periods WHERE id = $1 FOR SHARE"};
const db::Statement kSetPeriodState{
    "scoring_period_set_state",
    "UPDATE periods SET state = $2, imported = imported OR $3, updated_at = clock_timestamp() WHERE id = $1"};

// The new period's id; no row when the year and kind have one.
const db::Statement kInsertPeriod{
    "scoring_period_insert",
    "INSERT INTO periods (year, framework_id, unit_kind, title, self_assessment_deadline, appraisal_deadline, "
    "created_by) VALUES ($1, $2, $3, $4, $5::date, $6::date, $7) ON CONFLICT (year, unit_kind) DO NOTHING "
    "RETURNING id"};
const db::Statement kFindPeriod{"scoring_period_find",
                                "SELECT " + kPeriodColumns + " FROM periods WHERE year = $1 AND unit_kind = $2"};
const db::Statement kListPeriods{"scoring_period_list",
                                 "SELECT " + kPeriodColumns +
                                     " FROM periods WHERE ($1::smallint IS NULL OR unit_kind = $1) "
                                     "ORDER BY year DESC, unit_kind LIMIT 500"};

// The appraised totals of every appraised assessment of the period, by unit code. kFailedPrecondition while an
// assessment waits for appraisal or when none was appraised.
std::vector<UnitTotals> AppraisedTotals(pqxx::work& tx, const StoredPeriod& p) {
  auto leaves = Leaves(*ReadFramework(tx, p.framework_id));
  std::vector<UnitTotals> totals;
  for (const auto& [unit, state] : AssessmentStates(tx, p.id)) {
    if (state == v1::SUBMITTED)
      throw DomainError(Kind::kFailedPrecondition,
                        "name: the assessment of " + unit + " is submitted but not appraised yet",
                        platform::v1::WRONG_ASSESSMENT_STATE);
    if (state != v1::APPRAISED) continue;  // a unit that never submitted is not ranked
    auto u = ReadUnit(tx, unit);
    // The ranking of a year holds the units valid on its 31 December (one a merger ended is not ranked).
    if (u && !ValidOn(u->valid_from(), u->valid_to(), YearEnd(p.period.year()))) continue;
    auto scores = LoadScores(tx, p.id, unit);
    auto sums = SumScores(leaves, scores, true);
    totals.push_back({unit, sums.total, sums.by_field, false, {}});
    for (const auto& leaf : leaves) {
      auto it = scores.find(leaf.code);
      auto points = it == scores.end() ? std::nullopt : ParsePoints(it->second.appraised_points());
      totals.back().by_criterion[leaf.code] = points ? *points : 0;
    }
  }
  if (totals.empty())
    throw DomainError(Kind::kFailedPrecondition, "name: " + p.period.name() + " has no appraised assessment",
                      platform::v1::INCOMPLETE);
  return totals;
}

// Stores the results, moves the period to PUBLISHED and enqueues ResultsPublished.
void Publish(pqxx::work& tx, StoredPeriod* p, const std::vector<UnitTotals>& totals, bool imported,
             const PublicationPlanner& plan) {
  auto event = WriteResults(tx, p->id, p->period, totals, plan);
  SetPeriodState(tx, p->id, v1::PUBLISHED, imported);
  p->period.set_state(v1::PUBLISHED);
  p->period.set_imported(p->period.imported() || imported);
  outbox::Enqueue(tx, MakeResultsPublished(event));
}

}  // namespace

std::vector<db::Statement> PeriodStatements() {
  return {kGetPeriod, kLockPeriod, kSharePeriod, kSetPeriodState, kInsertPeriod, kFindPeriod, kListPeriods};
}

std::optional<StoredPeriod> ReadPeriod(pqxx::transaction_base& tx, int64_t id) {
  auto r = tx.exec_prepared(kGetPeriod.name, id);
  if (r.empty()) return std::nullopt;
  return PeriodFromRow(r[0]);
}

StoredPeriod LockPeriod(pqxx::work& tx, int64_t id, bool exclusive) {
  auto r = tx.exec_prepared(exclusive ? kLockPeriod.name : kSharePeriod.name, id);
  if (r.empty()) throw DomainError(Kind::kNotFound, NotFound(id));
  return PeriodFromRow(r[0]);
}

void RequirePeriodState(const v1::Period& p, v1::PeriodState state, const std::string& action) {
  if (p.state() != state)
    throw DomainError(Kind::kFailedPrecondition,
                      "period: " + p.name() + " is " + v1::PeriodState_Name(p.state()) + "; " + action + " needs it " +
                          v1::PeriodState_Name(state),
                      platform::v1::WRONG_PERIOD_STATE);
}

void SetPeriodState(pqxx::work& tx, int64_t id, v1::PeriodState state, bool imported) {
  tx.exec_prepared(kSetPeriodState.name, id, static_cast<int>(state), imported);
}

v1::Period PeriodStore::Create(const v1::Period& p, int64_t framework_id, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto framework = ReadFrameworkHeader(tx, framework_id);
    if (!framework) throw DomainError(Kind::kNotFound, "period.framework: " + p.framework() + " does not exist");
    v1::UnitKind kind = framework->unit_kind();
    auto r = tx.exec_prepared(kInsertPeriod.name, p.year(), framework_id, static_cast<int>(kind), p.title(),
                              db::NullIfEmpty(p.self_assessment_deadline()), db::NullIfEmpty(p.appraisal_deadline()),
                              principal);
    if (r.empty())
      throw DomainError(Kind::kAlreadyExists,
                        "period.year: a period for " + std::to_string(p.year()) + " and " + v1::UnitKind_Name(kind) +
                            " already exists",
                        platform::v1::DUPLICATE_PERIOD);
    v1::Period out = ReadPeriod(tx, r[0]["id"].as<int64_t>())->period;
    tx.commit();
    return out;
  });
}

std::optional<v1::Period> PeriodStore::Get(int64_t id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Period> {
        pqxx::nontransaction tx(c);
        auto p = ReadPeriod(tx, id);
        if (!p) return std::nullopt;
        return std::move(p->period);
      },
      true);
}

std::optional<v1::Period> PeriodStore::Find(int year, v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Period> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kFindPeriod.name, year, static_cast<int>(kind));
        if (r.empty()) return std::nullopt;
        return PeriodFromRow(r[0]).period;
      },
      true);
}

std::vector<v1::Period> PeriodStore::List(v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string k;
        std::vector<v1::Period> out;
        for (const auto& r : tx.exec_prepared(kListPeriods.name, KindParam(kind, &k)))
          out.push_back(PeriodFromRow(r).period);
        return out;
      },
      true);
}

v1::Period PeriodStore::Advance(int64_t id, v1::PeriodState expected) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    StoredPeriod p = LockPeriod(tx, id, true);
    if (p.period.state() != expected)
      throw DomainError(Kind::kFailedPrecondition,
                        "expected_state: " + p.period.name() + " is " + v1::PeriodState_Name(p.period.state()) +
                            ", not " + v1::PeriodState_Name(expected),
                        platform::v1::WRONG_PERIOD_STATE);
    auto next = NextState(p.period.state());
    if (!next)
      throw DomainError(Kind::kFailedPrecondition, "name: " + p.period.name() + " is closed",
                        platform::v1::WRONG_PERIOD_STATE);
    if (*next == v1::PUBLISHED) {
      Publish(tx, &p, AppraisedTotals(tx, p), false, plan_);
    } else {
      SetPeriodState(tx, id, *next, false);
      p.period.set_state(*next);
      if (*next == v1::SELF_ASSESSMENT) outbox::Enqueue(tx, MakePeriodOpened(p.period));
    }
    tx.commit();
    return p.period;
  });
}

v1::Period PeriodStore::ImportResults(int64_t id, const std::vector<UnitTotals>& results) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    StoredPeriod p = LockPeriod(tx, id, true);
    RequirePeriodState(p.period, v1::OPEN, "importing results");
    std::map<std::string, Centi> field_max;
    for (const auto& f : FieldMaxima(*ReadFramework(tx, p.framework_id))) field_max[f.code] = f.max;
    for (size_t i = 0; i < results.size(); ++i) {
      std::string path = "results[" + std::to_string(i) + "]";
      v1::Unit unit = RequireUnitOfKind(tx, results[i].unit_code, p.period.unit_kind(), path + ".unit_code");
      std::string year_end = YearEnd(p.period.year());
      if (!ValidOn(unit.valid_from(), unit.valid_to(), year_end))
        throw DomainError(Kind::kInvalid,
                          path + ".unit_code: " + unit.code() + " is not valid on " + year_end + " (valid " +
                              (unit.valid_from().empty() ? "" : "from " + unit.valid_from() + " ") +
                              (unit.valid_to().empty() ? "on" : "to " + unit.valid_to()) +
                              "); a ranking holds the units valid on 31 December of its year",
                          platform::v1::INVALID_FIELD);
      for (const auto& [code, points] : results[i].by_field) {
        auto it = field_max.find(code);
        if (it == field_max.end())
          throw DomainError(Kind::kInvalid, path + ".fields: no field " + code + " in the framework",
                            platform::v1::INVALID_SCORE);
        if (points > it->second)
          throw DomainError(Kind::kInvalid,
                            path + ".fields: " + FormatPoints(points) + " exceeds field " + code + "'s maximum " +
                                FormatPoints(it->second),
                            platform::v1::INVALID_SCORE);
      }
    }
    Publish(tx, &p, results, true, plan_);
    tx.commit();
    return p.period;
  });
}

}  // namespace cchc::scoring
