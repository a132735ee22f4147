#include "repository.h"

#include <unordered_map>

#include "events.h"
#include "platform/errors.h"
#include "platform/outbox.h"
#include "rules/framework.h"
#include "rules/period_state.h"
#include "rules/ranking.h"
#include "rules/score.h"

namespace cchc::scoring {

std::vector<db::Migration> AllMigrations() {
  auto all = db::PlatformMigrations();
  for (auto& m : Migrations()) all.push_back(std::move(m));
  return all;
}

namespace {

using grpc::StatusCode;

const std::string kFrameworkColumns =
    "f.id, f.code, f.version, f.title, f.unit_kind, f.year, f.source, f.total_max::text, "
    "EXISTS (SELECT 1 FROM periods p WHERE p.framework_id = f.id)";
const std::string kPeriodColumns =
    "id, year, framework_id, unit_kind, title, COALESCE(self_assessment_deadline::text, ''), "
    "COALESCE(appraisal_deadline::text, ''), state, imported";
const std::string kResultColumns =
    "r.unit_code, u.display_name, r.total::text, r.rank, r.ranked_units, COALESCE(r.previous_total::text, ''), "
    "COALESCE(r.previous_rank, 0), r.sample_data, p.year, p.unit_kind, p.id";
const std::string kResultFrom =
    " FROM results r JOIN units u ON u.code = r.unit_code JOIN periods p ON p.id = r.period_id";

const char* NullIfEmpty(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

const char* KindParam(v1::UnitKind kind, std::string* storage) {
  if (kind == v1::UNIT_KIND_UNSPECIFIED) return nullptr;
  *storage = std::to_string(static_cast<int>(kind));
  return storage->c_str();
}

v1::Framework RowToFramework(const pqxx::row& r) {
  v1::Framework f;
  f.set_name("frameworks/" + r[0].as<std::string>());
  f.set_code(r[1].as<std::string>());
  f.set_version(r[2].as<int>());
  f.set_title(r[3].as<std::string>());
  f.set_unit_kind(static_cast<v1::UnitKind>(r[4].as<int>()));
  f.set_year(r[5].as<int>());
  f.set_source(r[6].as<std::string>());
  f.set_total_max(r[7].as<std::string>());
  f.set_in_use(r[8].as<bool>());
  return f;
}

void LoadTree(pqxx::transaction_base& tx, int64_t id, v1::Framework* f) {
  v1::Field* field = nullptr;
  v1::Criterion* criterion = nullptr;
  for (const auto& r : tx.exec_prepared("scoring_framework_nodes", id)) {
    int level = r[0].as<int>();
    if (level == 0) {
      field = f->add_fields();
      field->set_code(r[1].as<std::string>());
      field->set_name(r[2].as<std::string>());
      field->set_max_points(r[3].as<std::string>());
      continue;
    }
    v1::Criterion* c = level == 1 || criterion == nullptr ? field->add_criteria() : criterion->add_sub_criteria();
    if (level == 1) criterion = c;
    c->set_code(r[1].as<std::string>());
    c->set_name(r[2].as<std::string>());
    c->set_max_points(r[3].as<std::string>());
    c->set_rule(static_cast<v1::ScoringRule>(r[4].as<int>()));
    c->set_evidence_required(r[5].as<bool>());
    c->set_scoring_guide(r[6].as<std::string>());
  }
}

void WriteTree(pqxx::work& tx, int64_t id, const v1::Framework& f) {
  int position = 0;
  auto node = [&](int level, const std::string& code, const std::string& name, const std::string& max, int rule,
                  bool evidence, const std::string& guide) {
    tx.exec_prepared("scoring_framework_node_insert", id, position++, level, code, name, max, rule, evidence, guide);
  };
  for (const auto& field : f.fields()) {
    node(0, field.code(), field.name(), field.max_points(), 0, false, "");
    for (const auto& c : field.criteria()) {
      node(1, c.code(), c.name(), c.max_points(), c.rule(), c.evidence_required(), c.scoring_guide());
      for (const auto& s : c.sub_criteria())
        node(2, s.code(), s.name(), s.max_points(), s.rule(), s.evidence_required(), s.scoring_guide());
    }
  }
}

std::optional<v1::Framework> ReadFramework(pqxx::transaction_base& tx, int64_t id) {
  auto r = tx.exec_prepared("scoring_framework_get", id);
  if (r.empty()) return std::nullopt;
  v1::Framework f = RowToFramework(r[0]);
  LoadTree(tx, id, &f);
  return f;
}

v1::Unit RowToUnit(const pqxx::row& r) {
  v1::Unit u;
  u.set_name("units/" + r[0].as<std::string>());
  u.set_code(r[0].as<std::string>());
  u.set_display_name(r[1].as<std::string>());
  u.set_kind(static_cast<v1::UnitKind>(r[2].as<int>()));
  u.set_parent(r[3].as<std::string>());
  u.set_sample_data(r[4].as<bool>());
  return u;
}

v1::Period RowToPeriod(const pqxx::row& r) {
  v1::Period p;
  p.set_name("periods/" + r[0].as<std::string>());
  p.set_year(r[1].as<int>());
  p.set_framework("frameworks/" + r[2].as<std::string>());
  p.set_unit_kind(static_cast<v1::UnitKind>(r[3].as<int>()));
  p.set_title(r[4].as<std::string>());
  p.set_self_assessment_deadline(r[5].as<std::string>());
  p.set_appraisal_deadline(r[6].as<std::string>());
  p.set_state(static_cast<v1::PeriodState>(r[7].as<int>()));
  p.set_imported(r[8].as<bool>());
  return p;
}

int64_t FrameworkIdOf(const v1::Period& p) {
  return std::stoll(p.framework().substr(std::string("frameworks/").size()));
}

v1::UnitResultDetail RowToResult(const pqxx::row& r) {
  v1::UnitResultDetail d;
  d.set_unit_code(r[0].as<std::string>());
  d.set_unit_name(r[1].as<std::string>());
  d.set_total(r[2].as<std::string>());
  d.set_rank(r[3].as<int>());
  d.set_ranked_units(r[4].as<int>());
  std::string previous = r[5].as<std::string>();
  if (!previous.empty()) {
    d.set_has_previous(true);
    d.set_previous_total(previous);
    d.set_previous_rank(r[6].as<int>());
    d.set_total_change(FormatSignedPoints(*ParsePoints(d.total()) - *ParsePoints(previous, true)));
    d.set_rank_change(d.previous_rank() - d.rank());
  }
  d.set_sample_data(r[7].as<bool>());
  d.set_year(r[8].as<int>());
  d.set_unit_kind(static_cast<v1::UnitKind>(r[9].as<int>()));
  d.set_period("periods/" + r[10].as<std::string>());
  return d;
}

// The period row locked for update (or for share), NOT_FOUND when there is none.
v1::Period LockPeriod(pqxx::work& tx, int64_t id, bool exclusive) {
  auto r = tx.exec_prepared(exclusive ? "scoring_period_lock" : "scoring_period_share", id);
  if (r.empty()) throw StatusError(StatusCode::NOT_FOUND, "period: periods/" + std::to_string(id) + " does not exist");
  return RowToPeriod(r[0]);
}

void RequireState(const v1::Period& p, v1::PeriodState state, const std::string& action) {
  if (p.state() != state)
    throw StatusError(StatusCode::FAILED_PRECONDITION, "period: " + p.name() + " is " +
                                                           v1::PeriodState_Name(p.state()) + "; " + action +
                                                           " needs it " + v1::PeriodState_Name(state));
}

v1::Unit RequireUnitOfKind(pqxx::transaction_base& tx, const std::string& code, v1::UnitKind kind,
                           const std::string& field) {
  auto r = tx.exec_prepared("scoring_unit_get", code);
  if (r.empty()) throw StatusError(StatusCode::NOT_FOUND, field + ": no unit " + code);
  v1::Unit u = RowToUnit(r[0]);
  if (u.kind() != kind)
    throw StatusError(StatusCode::INVALID_ARGUMENT, field + ": unit " + code + " is a " + v1::UnitKind_Name(u.kind()) +
                                                        ", the period assesses " + v1::UnitKind_Name(kind));
  return u;
}

std::map<std::string, v1::Score> LoadScores(pqxx::transaction_base& tx, int64_t period_id, const std::string& unit) {
  std::map<std::string, v1::Score> out;
  for (const auto& r : tx.exec_prepared("scoring_scores_of", period_id, unit)) {
    v1::Score s;
    s.set_criterion_code(r[0].as<std::string>());
    s.set_self_points(r[1].as<std::string>());
    s.set_explanation(r[2].as<std::string>());
    for (auto& c : db::ParseTextArray(r[3])) s.add_evidence_document_codes(std::move(c));
    for (auto& a : db::ParseTextArray(r[4])) s.add_evidence_attachments(std::move(a));
    s.set_appraised_points(r[5].as<std::string>());
    s.set_appraisal_comment(r[6].as<std::string>());
    out[s.criterion_code()] = std::move(s);
  }
  return out;
}

// The assessment as stored, scores in framework order, totals summed.
v1::Assessment ReadAssessment(pqxx::transaction_base& tx, const v1::Period& period, const v1::Framework& framework,
                              const std::string& unit) {
  v1::Assessment a;
  a.set_period(period.name());
  a.set_unit_code(unit);
  a.set_state(v1::DRAFT);
  int64_t period_id = std::stoll(period.name().substr(8));
  auto row = tx.exec_prepared("scoring_assessment_get", period_id, unit);
  if (!row.empty()) {
    a.set_state(static_cast<v1::AssessmentState>(row[0][0].as<int>()));
    a.set_submitted_by(row[0][1].as<std::string>());
    a.set_appraised_by(row[0][2].as<std::string>());
  }
  auto scores = LoadScores(tx, period_id, unit);
  auto leaves = Leaves(framework);
  for (const auto& leaf : leaves)
    if (auto it = scores.find(leaf.code); it != scores.end()) *a.add_scores() = it->second;
  a.set_self_total(FormatPoints(SumScores(leaves, scores, false).total));
  a.set_appraised_total(FormatPoints(SumScores(leaves, scores, true).total));
  return a;
}

// Ensures the assessment row and locks it; returns its state.
v1::AssessmentState LockAssessment(pqxx::work& tx, int64_t period_id, const std::string& unit) {
  tx.exec_prepared("scoring_assessment_ensure", period_id, unit);
  auto r = tx.exec_prepared("scoring_assessment_lock", period_id, unit);
  return static_cast<v1::AssessmentState>(r[0][0].as<int>());
}

void RequireAssessmentState(v1::AssessmentState actual, v1::AssessmentState wanted, const std::string& unit,
                            const std::string& action) {
  if (actual != wanted)
    throw StatusError(StatusCode::FAILED_PRECONDITION, "unit_code: the assessment of " + unit + " is " +
                                                           v1::AssessmentState_Name(actual) + "; " + action +
                                                           " needs it " + v1::AssessmentState_Name(wanted));
}

// Ranks `totals` against the previous year's published period of the same kind, stores the results, moves
// the period to PUBLISHED and enqueues ResultsPublished.
void Publish(pqxx::work& tx, int64_t period_id, v1::Period* period, std::vector<UnitTotals> totals, bool imported) {
  std::unordered_map<std::string, PreviousResult> previous;
  for (const auto& r :
       tx.exec_prepared("scoring_previous_results", period->year() - 1, static_cast<int>(period->unit_kind())))
    previous[r[0].as<std::string>()] = {*ParsePoints(r[1].as<std::string>()), r[2].as<int>()};
  std::vector<RankInput> inputs;
  std::map<std::string, const UnitTotals*> by_code;
  for (const auto& t : totals) {
    inputs.push_back({t.unit_code, t.total});
    by_code[t.unit_code] = &t;
  }
  auto ranked = RankUnits(std::move(inputs), previous);
  auto summary = Summarize(ranked);
  v1::ResultsPublished event;
  event.set_period(period->name());
  event.set_year(period->year());
  event.set_unit_kind(v1::UnitKind_Name(period->unit_kind()));
  event.set_improved_units(summary.improved_units);
  event.set_compared_units(summary.compared_units);
  for (const auto& r : ranked) {
    const UnitTotals& t = *by_code[r.unit_code];
    std::string prev_total = r.has_previous ? FormatPoints(r.previous_total) : "";
    std::string prev_rank = r.has_previous ? std::to_string(r.previous_rank) : "";
    tx.exec_prepared("scoring_result_insert", period_id, r.unit_code, FormatPoints(r.total), r.rank, r.ranked_units,
                     NullIfEmpty(prev_total), NullIfEmpty(prev_rank), t.sample_data);
    for (const auto& [field, points] : t.by_field)
      tx.exec_prepared("scoring_result_field_insert", period_id, r.unit_code, field, FormatPoints(points));
    auto* u = event.add_results();
    u->set_unit_code(r.unit_code);
    u->set_unit_name(tx.exec_prepared("scoring_unit_get", r.unit_code)[0][1].as<std::string>());
    u->set_total(FormatPoints(r.total));
    u->set_rank(r.rank);
    u->set_ranked_units(r.ranked_units);
    u->set_has_previous(r.has_previous);
    if (r.has_previous) {
      u->set_total_change(FormatSignedPoints(r.total_change));
      u->set_rank_change(r.rank_change);
    }
    u->set_sample_data(t.sample_data);
  }
  tx.exec_prepared("scoring_period_set_state", period_id, static_cast<int>(v1::PUBLISHED), imported);
  period->set_state(v1::PUBLISHED);
  period->set_imported(period->imported() || imported);
  outbox::Enqueue(tx, MakeResultsPublished(event));
}

}  // namespace

std::vector<db::Statement> Statements() {
  return {
      {"scoring_framework_insert",
       "INSERT INTO frameworks (code, version, title, unit_kind, year, source, total_max, created_by) "
       "VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8) ON CONFLICT (code, version) DO NOTHING RETURNING id"},
      {"scoring_framework_node_insert",
       "INSERT INTO framework_nodes (framework_id, position, level, code, name, max_points, rule, evidence_required, "
       "scoring_guide) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, $8, $9)"},
      {"scoring_framework_nodes",
       "SELECT level, code, name, max_points::text, rule, evidence_required, scoring_guide FROM framework_nodes "
       "WHERE framework_id = $1 ORDER BY position"},
      {"scoring_framework_get", "SELECT " + kFrameworkColumns + " FROM frameworks f WHERE f.id = $1"},
      {"scoring_framework_lock", "SELECT id FROM frameworks WHERE id = $1 FOR UPDATE"},
      {"scoring_framework_list", "SELECT " + kFrameworkColumns +
                                     " FROM frameworks f WHERE ($1::smallint IS NULL OR f.unit_kind = $1) "
                                     "ORDER BY f.year DESC, f.code, f.version DESC LIMIT 500"},
      {"scoring_framework_update",
       "UPDATE frameworks SET title = $2, unit_kind = $3, year = $4, source = $5, total_max = $6::numeric "
       "WHERE id = $1"},
      {"scoring_framework_nodes_delete", "DELETE FROM framework_nodes WHERE framework_id = $1"},
      {"scoring_framework_max_version", "SELECT max(version) FROM frameworks WHERE code = $1"},
      {"scoring_unit_insert",
       "INSERT INTO units (code, display_name, kind, parent, sample_data) VALUES ($1, $2, $3, $4, $5) "
       "ON CONFLICT (code) DO NOTHING RETURNING code"},
      {"scoring_unit_get", "SELECT code, display_name, kind, parent, sample_data FROM units WHERE code = $1"},
      {"scoring_unit_list",
       "SELECT code, display_name, kind, parent, sample_data FROM units WHERE ($1::smallint IS NULL OR kind = $1) "
       "ORDER BY kind, code LIMIT 10000"},
      {"scoring_period_insert",
       "INSERT INTO periods (year, framework_id, unit_kind, title, self_assessment_deadline, appraisal_deadline, "
       "created_by) VALUES ($1, $2, $3, $4, $5::date, $6::date, $7) ON CONFLICT (year, unit_kind) DO NOTHING "
       "RETURNING id"},
      {"scoring_period_get", "SELECT " + kPeriodColumns + " FROM periods WHERE id = $1"},
      {"scoring_period_lock", "SELECT " + kPeriodColumns + " FROM periods WHERE id = $1 FOR UPDATE"},
      {"scoring_period_share", "SELECT " + kPeriodColumns + " FROM periods WHERE id = $1 FOR SHARE"},
      {"scoring_period_find", "SELECT " + kPeriodColumns + " FROM periods WHERE year = $1 AND unit_kind = $2"},
      {"scoring_period_list", "SELECT " + kPeriodColumns +
                                  " FROM periods WHERE ($1::smallint IS NULL OR unit_kind = $1) "
                                  "ORDER BY year DESC, unit_kind LIMIT 500"},
      {"scoring_period_set_state",
       "UPDATE periods SET state = $2, imported = imported OR $3, updated_at = clock_timestamp() WHERE id = $1"},
      {"scoring_assessment_ensure",
       "INSERT INTO assessments (period_id, unit_code) VALUES ($1, $2) ON CONFLICT DO NOTHING"},
      {"scoring_assessment_lock", "SELECT state FROM assessments WHERE period_id = $1 AND unit_code = $2 FOR UPDATE"},
      {"scoring_assessment_get",
       "SELECT state, submitted_by, appraised_by FROM assessments WHERE period_id = $1 AND unit_code = $2"},
      {"scoring_assessment_set_submitted",
       "UPDATE assessments SET state = 2, submitted_by = $3, submitted_at = clock_timestamp() "
       "WHERE period_id = $1 AND unit_code = $2"},
      {"scoring_assessment_set_appraised",
       "UPDATE assessments SET state = 3, appraised_by = $3, appraised_at = clock_timestamp() "
       "WHERE period_id = $1 AND unit_code = $2"},
      {"scoring_assessment_states", "SELECT unit_code, state FROM assessments WHERE period_id = $1 ORDER BY unit_code"},
      {"scoring_self_score_upsert",
       "INSERT INTO scores (period_id, unit_code, criterion_code, self_points, explanation, evidence_document_codes, "
       "evidence_attachments) VALUES ($1, $2, $3, $4::numeric, $5, $6::text[], $7::text[]) "
       "ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET self_points = EXCLUDED.self_points, "
       "explanation = EXCLUDED.explanation, evidence_document_codes = EXCLUDED.evidence_document_codes, "
       "evidence_attachments = EXCLUDED.evidence_attachments, updated_at = clock_timestamp()"},
      {"scoring_appraised_score_upsert",
       "INSERT INTO scores (period_id, unit_code, criterion_code, appraised_points, appraisal_comment) "
       "VALUES ($1, $2, $3, $4::numeric, $5) ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET "
       "appraised_points = EXCLUDED.appraised_points, appraisal_comment = EXCLUDED.appraisal_comment, "
       "updated_at = clock_timestamp()"},
      {"scoring_scores_of",
       "SELECT criterion_code, COALESCE(self_points::text, ''), explanation, evidence_document_codes, "
       "evidence_attachments, COALESCE(appraised_points::text, ''), appraisal_comment FROM scores "
       "WHERE period_id = $1 AND unit_code = $2"},
      {"scoring_result_insert",
       "INSERT INTO results (period_id, unit_code, total, rank, ranked_units, previous_total, previous_rank, "
       "sample_data) VALUES ($1, $2, $3::numeric, $4, $5, $6::numeric, $7::integer, $8)"},
      {"scoring_result_field_insert",
       "INSERT INTO result_fields (period_id, unit_code, field_code, points) VALUES ($1, $2, $3, $4::numeric)"},
      {"scoring_previous_results",
       "SELECT r.unit_code, r.total::text, r.rank FROM results r JOIN periods p ON p.id = r.period_id "
       "WHERE p.year = $1 AND p.unit_kind = $2 AND p.state IN (4, 5)"},
      {"scoring_results_of_period",
       "SELECT " + kResultColumns + kResultFrom + " WHERE r.period_id = $1 ORDER BY r.rank, r.unit_code"},
      {"scoring_result_of_unit",
       "SELECT " + kResultColumns + kResultFrom + " WHERE r.period_id = $1 AND r.unit_code = $2"},
      {"scoring_result_fields_of_unit",
       "SELECT field_code, points::text FROM result_fields WHERE period_id = $1 AND unit_code = $2"},
  };
}

v1::Framework Repository::CreateFramework(const v1::Framework& f, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("scoring_framework_insert", f.code(), f.version(), f.title(),
                              static_cast<int>(f.unit_kind()), f.year(), f.source(), f.total_max(), principal);
    if (r.empty())
      throw StatusError(StatusCode::ALREADY_EXISTS, "framework.version: " + f.code() + " version " +
                                                        std::to_string(f.version()) + " already exists");
    int64_t id = r[0][0].as<int64_t>();
    WriteTree(tx, id, f);
    v1::Framework out = *ReadFramework(tx, id);
    tx.commit();
    return out;
  });
}

std::optional<v1::Framework> Repository::GetFramework(int64_t id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::read_transaction tx(c);
        return ReadFramework(tx, id);
      },
      true);
}

std::vector<v1::Framework> Repository::ListFrameworks(v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string k;
        std::vector<v1::Framework> out;
        for (const auto& r : tx.exec_prepared("scoring_framework_list", KindParam(kind, &k)))
          out.push_back(RowToFramework(r));
        return out;
      },
      true);
}

v1::Framework Repository::UpdateFramework(int64_t id, const v1::Framework& f) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_prepared("scoring_framework_lock", id).empty())
      throw StatusError(StatusCode::NOT_FOUND, "framework.name: frameworks/" + std::to_string(id) + " does not exist");
    auto current = *ReadFramework(tx, id);
    if (current.in_use())
      throw StatusError(StatusCode::FAILED_PRECONDITION,
                        "framework.name: " + current.name() + " (" + current.code() + " version " +
                            std::to_string(current.version()) +
                            ") is used by a period and can no longer change; create a new version");
    tx.exec_prepared("scoring_framework_update", id, f.title(), static_cast<int>(f.unit_kind()), f.year(), f.source(),
                     f.total_max());
    tx.exec_prepared("scoring_framework_nodes_delete", id);
    WriteTree(tx, id, f);
    v1::Framework out = *ReadFramework(tx, id);
    tx.commit();
    return out;
  });
}

v1::Framework Repository::NewFrameworkVersion(int64_t id, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto source = ReadFramework(tx, id);
    if (!source) throw StatusError(StatusCode::NOT_FOUND, "name: frameworks/" + std::to_string(id) + " does not exist");
    int version = tx.exec_prepared("scoring_framework_max_version", source->code())[0][0].as<int>() + 1;
    auto r = tx.exec_prepared("scoring_framework_insert", source->code(), version, source->title(),
                              static_cast<int>(source->unit_kind()), source->year(), source->source(),
                              source->total_max(), principal);
    if (r.empty()) throw StatusError(StatusCode::ABORTED, "name: another version was created at the same time; retry");
    int64_t copy = r[0][0].as<int64_t>();
    WriteTree(tx, copy, *source);
    v1::Framework out = *ReadFramework(tx, copy);
    tx.commit();
    return out;
  });
}

v1::Unit Repository::CreateUnit(const v1::Unit& u) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_prepared("scoring_unit_insert", u.code(), u.display_name(), static_cast<int>(u.kind()), u.parent(),
                         u.sample_data())
            .empty())
      throw StatusError(StatusCode::ALREADY_EXISTS, "unit.code: " + u.code() + " already exists");
    v1::Unit out = RowToUnit(tx.exec_prepared("scoring_unit_get", u.code())[0]);
    tx.commit();
    return out;
  });
}

std::optional<v1::Unit> Repository::GetUnit(const std::string& code) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Unit> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("scoring_unit_get", code);
        if (r.empty()) return std::nullopt;
        return RowToUnit(r[0]);
      },
      true);
}

std::vector<v1::Unit> Repository::ListUnits(v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string k;
        std::vector<v1::Unit> out;
        for (const auto& r : tx.exec_prepared("scoring_unit_list", KindParam(kind, &k))) out.push_back(RowToUnit(r));
        return out;
      },
      true);
}

v1::Period Repository::CreatePeriod(const v1::Period& p, int64_t framework_id, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto f = tx.exec_prepared("scoring_framework_get", framework_id);
    if (f.empty()) throw StatusError(StatusCode::NOT_FOUND, "period.framework: " + p.framework() + " does not exist");
    int kind = f[0][4].as<int>();
    auto r =
        tx.exec_prepared("scoring_period_insert", p.year(), framework_id, kind, p.title(),
                         NullIfEmpty(p.self_assessment_deadline()), NullIfEmpty(p.appraisal_deadline()), principal);
    if (r.empty())
      throw StatusError(StatusCode::ALREADY_EXISTS, "period.year: a period for " + std::to_string(p.year()) + " and " +
                                                        v1::UnitKind_Name(static_cast<v1::UnitKind>(kind)) +
                                                        " already exists");
    v1::Period out = RowToPeriod(tx.exec_prepared("scoring_period_get", r[0][0].as<int64_t>())[0]);
    tx.commit();
    return out;
  });
}

std::optional<v1::Period> Repository::GetPeriod(int64_t id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Period> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("scoring_period_get", id);
        if (r.empty()) return std::nullopt;
        return RowToPeriod(r[0]);
      },
      true);
}

std::optional<v1::Period> Repository::FindPeriod(int year, v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Period> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("scoring_period_find", year, static_cast<int>(kind));
        if (r.empty()) return std::nullopt;
        return RowToPeriod(r[0]);
      },
      true);
}

std::vector<v1::Period> Repository::ListPeriods(v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string k;
        std::vector<v1::Period> out;
        for (const auto& r : tx.exec_prepared("scoring_period_list", KindParam(kind, &k)))
          out.push_back(RowToPeriod(r));
        return out;
      },
      true);
}

v1::Period Repository::AdvancePeriod(int64_t id, v1::PeriodState expected) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    v1::Period p = LockPeriod(tx, id, true);
    if (p.state() != expected)
      throw StatusError(StatusCode::FAILED_PRECONDITION, "expected_state: " + p.name() + " is " +
                                                             v1::PeriodState_Name(p.state()) + ", not " +
                                                             v1::PeriodState_Name(expected));
    auto next = NextState(p.state());
    if (!next) throw StatusError(StatusCode::FAILED_PRECONDITION, "name: " + p.name() + " is closed");
    if (*next == v1::PUBLISHED) {
      auto framework = *ReadFramework(tx, FrameworkIdOf(p));
      auto leaves = Leaves(framework);
      std::vector<UnitTotals> totals;
      for (const auto& r : tx.exec_prepared("scoring_assessment_states", id)) {
        std::string unit = r[0].as<std::string>();
        auto state = static_cast<v1::AssessmentState>(r[1].as<int>());
        if (state == v1::SUBMITTED)
          throw StatusError(StatusCode::FAILED_PRECONDITION,
                            "name: the assessment of " + unit + " is submitted but not appraised yet");
        if (state != v1::APPRAISED) continue;  // a unit that never submitted is not ranked
        auto sums = SumScores(leaves, LoadScores(tx, id, unit), true);
        totals.push_back({unit, sums.total, sums.by_field, false});
      }
      if (totals.empty())
        throw StatusError(StatusCode::FAILED_PRECONDITION, "name: " + p.name() + " has no appraised assessment");
      Publish(tx, id, &p, std::move(totals), false);
    } else {
      tx.exec_prepared("scoring_period_set_state", id, static_cast<int>(*next), false);
      p.set_state(*next);
      if (*next == v1::SELF_ASSESSMENT) outbox::Enqueue(tx, MakePeriodOpened(p));
    }
    tx.commit();
    return p;
  });
}

v1::Period Repository::ImportResults(int64_t id, const std::vector<UnitTotals>& results) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    v1::Period p = LockPeriod(tx, id, true);
    RequireState(p, v1::OPEN, "importing results");
    auto framework = *ReadFramework(tx, FrameworkIdOf(p));
    std::map<std::string, Centi> field_max;
    for (const auto& f : FieldMaxima(framework)) field_max[f.code] = f.max;
    for (size_t i = 0; i < results.size(); ++i) {
      std::string path = "results[" + std::to_string(i) + "]";
      RequireUnitOfKind(tx, results[i].unit_code, p.unit_kind(), path + ".unit_code");
      for (const auto& [code, points] : results[i].by_field) {
        auto it = field_max.find(code);
        if (it == field_max.end())
          throw StatusError(StatusCode::INVALID_ARGUMENT, path + ".fields: no field " + code + " in the framework");
        if (points > it->second)
          throw StatusError(StatusCode::INVALID_ARGUMENT, path + ".fields: " + FormatPoints(points) +
                                                              " exceeds field " + code + "'s maximum " +
                                                              FormatPoints(it->second));
      }
    }
    Publish(tx, id, &p, results, true);
    tx.commit();
    return p;
  });
}

v1::Assessment Repository::GetAssessment(int64_t period_id, const std::string& unit_code) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::read_transaction tx(c);
        auto r = tx.exec_prepared("scoring_period_get", period_id);
        if (r.empty())
          throw StatusError(StatusCode::NOT_FOUND, "period: periods/" + std::to_string(period_id) + " does not exist");
        v1::Period p = RowToPeriod(r[0]);
        RequireUnitOfKind(tx, unit_code, p.unit_kind(), "unit_code");
        return ReadAssessment(tx, p, *ReadFramework(tx, FrameworkIdOf(p)), unit_code);
      },
      true);
}

v1::Assessment Repository::SaveSelfScores(int64_t period_id, const std::string& unit,
                                          const v1::SaveSelfAssessmentRequest& req) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    v1::Period p = LockPeriod(tx, period_id, false);
    RequireState(p, v1::SELF_ASSESSMENT, "self-assessment");
    RequireUnitOfKind(tx, unit, p.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), v1::DRAFT, unit, "self-assessment");
    for (const auto& s : req.scores())
      tx.exec_prepared("scoring_self_score_upsert", period_id, unit, s.criterion_code(), s.self_points(),
                       s.explanation(),
                       db::TextArrayLiteral({s.evidence_document_codes().begin(), s.evidence_document_codes().end()}),
                       db::TextArrayLiteral({s.evidence_attachments().begin(), s.evidence_attachments().end()}));
    auto out = ReadAssessment(tx, p, *ReadFramework(tx, FrameworkIdOf(p)), unit);
    tx.commit();
    return out;
  });
}

v1::Assessment Repository::Submit(int64_t period_id, const std::string& unit, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    v1::Period p = LockPeriod(tx, period_id, false);
    RequireState(p, v1::SELF_ASSESSMENT, "submitting");
    v1::Unit u = RequireUnitOfKind(tx, unit, p.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), v1::DRAFT, unit, "submitting");
    auto framework = *ReadFramework(tx, FrameworkIdOf(p));
    auto scores = LoadScores(tx, period_id, unit);
    if (auto missing = MissingForSubmission(Leaves(framework), scores))
      throw StatusError(StatusCode::FAILED_PRECONDITION, missing->field + ": " + missing->description);
    tx.exec_prepared("scoring_assessment_set_submitted", period_id, unit, principal);
    auto out = ReadAssessment(tx, p, framework, unit);
    v1::AssessmentSubmitted event;
    event.set_period(p.name());
    event.set_unit_code(unit);
    event.set_unit_name(u.display_name());
    event.set_self_total(out.self_total());
    event.set_submitted_by(principal);
    outbox::Enqueue(tx, MakeAssessmentSubmitted(event));
    tx.commit();
    return out;
  });
}

v1::Assessment Repository::SaveAppraisal(int64_t period_id, const std::string& unit,
                                         const v1::SaveAppraisalRequest& req) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    v1::Period p = LockPeriod(tx, period_id, false);
    RequireState(p, v1::APPRAISAL, "appraisal");
    RequireUnitOfKind(tx, unit, p.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), v1::SUBMITTED, unit, "appraisal");
    for (const auto& s : req.scores())
      tx.exec_prepared("scoring_appraised_score_upsert", period_id, unit, s.criterion_code(), s.appraised_points(),
                       s.appraisal_comment());
    auto out = ReadAssessment(tx, p, *ReadFramework(tx, FrameworkIdOf(p)), unit);
    tx.commit();
    return out;
  });
}

v1::Assessment Repository::CompleteAppraisal(int64_t period_id, const std::string& unit, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    v1::Period p = LockPeriod(tx, period_id, false);
    RequireState(p, v1::APPRAISAL, "completing an appraisal");
    v1::Unit u = RequireUnitOfKind(tx, unit, p.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), v1::SUBMITTED, unit, "completing an appraisal");
    auto framework = *ReadFramework(tx, FrameworkIdOf(p));
    if (auto missing = MissingForAppraisal(Leaves(framework), LoadScores(tx, period_id, unit)))
      throw StatusError(StatusCode::FAILED_PRECONDITION, missing->field + ": " + missing->description);
    tx.exec_prepared("scoring_assessment_set_appraised", period_id, unit, principal);
    auto out = ReadAssessment(tx, p, framework, unit);
    v1::AssessmentAppraised event;
    event.set_period(p.name());
    event.set_unit_code(unit);
    event.set_unit_name(u.display_name());
    event.set_appraised_total(out.appraised_total());
    event.set_appraised_by(principal);
    outbox::Enqueue(tx, MakeAssessmentAppraised(event));
    tx.commit();
    return out;
  });
}

std::vector<v1::UnitResultDetail> Repository::Results(int64_t period_id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::vector<v1::UnitResultDetail> out;
        for (const auto& r : tx.exec_prepared("scoring_results_of_period", period_id)) out.push_back(RowToResult(r));
        return out;
      },
      true);
}

std::optional<v1::UnitResultDetail> Repository::Result(int64_t period_id, const std::string& unit_code) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::UnitResultDetail> {
        pqxx::read_transaction tx(c);
        auto r = tx.exec_prepared("scoring_result_of_unit", period_id, unit_code);
        if (r.empty()) return std::nullopt;
        auto d = RowToResult(r[0]);
        for (const auto& f : tx.exec_prepared("scoring_result_fields_of_unit", period_id, unit_code)) {
          auto* fs = d.add_fields();
          fs->set_code(f[0].as<std::string>());
          fs->set_points(f[1].as<std::string>());
        }
        return d;
      },
      true);
}

}  // namespace cchc::scoring
