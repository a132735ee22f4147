#include "store/assessments.h"

#include <functional>

#include "events.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "rules/framework.h"
#include "rules/score.h"
#include "store/frameworks.h"
#include "store/periods.h"
#include "store/units.h"

namespace cchc::scoring {
namespace {

using Kind = DomainErrorKind;

v1::Score ScoreFromRow(const pqxx::row& r) {
  v1::Score s;
  s.set_criterion_code(r["criterion_code"].as<std::string>());
  s.set_self_points(r["self_points"].as<std::string>());
  s.set_explanation(r["explanation"].as<std::string>());
  for (auto& c : db::ParseTextArray(r["evidence_document_codes"])) s.add_evidence_document_codes(std::move(c));
  for (auto& a : db::ParseTextArray(r["evidence_attachments"])) s.add_evidence_attachments(std::move(a));
  s.set_appraised_points(r["appraised_points"].as<std::string>());
  s.set_appraisal_comment(r["appraisal_comment"].as<std::string>());
  return s;
}

const db::Statement kScoresOf{
    "scoring_scores_of",
    "SELECT criterion_code, COALESCE(self_points::text, '') AS self_points, explanation, evidence_document_codes, "
    "evidence_attachments, COALESCE(appraised_points::text, '') AS appraised_points, appraisal_comment "
    "FROM scores WHERE period_id = $1 AND unit_code = $2"};

const db::Statement kAssessmentStates{
    "scoring_assessment_states", "SELECT unit_code, state FROM assessments WHERE period_id = $1 ORDER BY unit_code"};

const db::Statement kGetAssessment{
    "scoring_assessment_get",
    "SELECT state, submitted_by, appraised_by FROM assessments WHERE period_id = $1 AND unit_code = $2"};

// The assessment as stored, scores in framework order, totals summed.
v1::Assessment ReadAssessment(pqxx::transaction_base& tx, int64_t period_id, const v1::Period& period,
                              const v1::Framework& framework, const std::string& unit) {
  v1::Assessment a;
  a.set_period(period.name());
  a.set_unit_code(unit);
  a.set_state(v1::DRAFT);
  auto row = tx.exec_prepared(kGetAssessment.name, period_id, unit);
  if (!row.empty()) {
    a.set_state(static_cast<v1::AssessmentState>(row[0]["state"].as<int>()));
    a.set_submitted_by(row[0]["submitted_by"].as<std::string>());
    a.set_appraised_by(row[0]["appraised_by"].as<std::string>());
  }
  auto scores = LoadScores(tx, period_id, unit);
  auto leaves = Leaves(framework);
  for (const auto& leaf : leaves)
    if (auto it = scores.find(leaf.code); it != scores.end()) *a.add_scores() = it->second;
  a.set_self_total(FormatPoints(SumScores(leaves, scores, false).total));
  a.set_appraised_total(FormatPoints(SumScores(leaves, scores, true).total));
  return a;
}

const db::Statement kEnsureAssessment{
    "scoring_assessment_ensure",
    "INSERT INTO assessments (period_id, unit_code) VALUES ($1, $2) ON CONFLICT DO NOTHING"};
const db::Statement kLockAssessment{"scoring_assessment_lock",
                                    "SELECT state FROM assessments WHERE period_id = $1 AND unit_code = $2 FOR UPDATE"};

// Ensures the assessment row and locks it; returns its state.
v1::AssessmentState LockAssessment(pqxx::work& tx, int64_t period_id, const std::string& unit) {
  tx.exec_prepared(kEnsureAssessment.name, period_id, unit);
  auto r = tx.exec_prepared(kLockAssessment.name, period_id, unit);
  return static_cast<v1::AssessmentState>(r[0]["state"].as<int>());
}

void RequireAssessmentState(v1::AssessmentState actual, v1::AssessmentState wanted, const std::string& unit,
                            const std::string& action) {
  if (actual != wanted)
    throw DomainError(Kind::kFailedPrecondition,
                      "unit_code: the assessment of " + unit + " is " + v1::AssessmentState_Name(actual) + "; " +
                          action + " needs it " + v1::AssessmentState_Name(wanted),
                      platform::v1::WRONG_ASSESSMENT_STATE);
}

const db::Statement kUpsertSelfScore{
    "scoring_self_score_upsert",
    "INSERT INTO scores (period_id, unit_code, criterion_code, self_points, explanation, evidence_document_codes, "
    "evidence_attachments) VALUES ($1, $2, $3, $4::numeric, $5, $6::text[], $7::text[]) "
    "ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET self_points = EXCLUDED.self_points, "
    "explanation = EXCLUDED.explanation, evidence_document_codes = EXCLUDED.evidence_document_codes, "
    "evidence_attachments = EXCLUDED.evidence_attachments, updated_at = clock_timestamp()"};

const db::Statement kSetSubmitted{"scoring_assessment_set_submitted",
                                  "UPDATE assessments SET state = 2, submitted_by = $3, submitted_at = "
                                  "clock_timestamp() WHERE period_id = $1 AND unit_code = $2"};

const db::Statement kUpsertAppraisedScore{
    "scoring_appraised_score_upsert",
    "INSERT INTO scores (period_id, unit_code, criterion_code, appraised_points, appraisal_comment) "
    "VALUES ($1, $2, $3, $4::numeric, $5) ON CONFLICT (period_id, unit_code, criterion_code) DO UPDATE SET "
    "appraised_points = EXCLUDED.appraised_points, appraisal_comment = EXCLUDED.appraisal_comment, "
    "updated_at = clock_timestamp()"};

const db::Statement kSetAppraised{"scoring_assessment_set_appraised",
                                  "UPDATE assessments SET state = 3, appraised_by = $3, appraised_at = "
                                  "clock_timestamp() WHERE period_id = $1 AND unit_code = $2"};

}  // namespace

std::vector<db::Statement> AssessmentStatements() {
  return {kScoresOf,        kAssessmentStates, kGetAssessment,        kEnsureAssessment, kLockAssessment,
          kUpsertSelfScore, kSetSubmitted,     kUpsertAppraisedScore, kSetAppraised};
}

std::map<std::string, v1::Score> LoadScores(pqxx::transaction_base& tx, int64_t period_id, const std::string& unit) {
  std::map<std::string, v1::Score> out;
  for (const auto& r : tx.exec_prepared(kScoresOf.name, period_id, unit)) {
    v1::Score s = ScoreFromRow(r);
    out[s.criterion_code()] = std::move(s);
  }
  return out;
}

std::vector<std::pair<std::string, v1::AssessmentState>> AssessmentStates(pqxx::transaction_base& tx,
                                                                          int64_t period_id) {
  std::vector<std::pair<std::string, v1::AssessmentState>> out;
  for (const auto& r : tx.exec_prepared(kAssessmentStates.name, period_id))
    out.emplace_back(r["unit_code"].as<std::string>(), static_cast<v1::AssessmentState>(r["state"].as<int>()));
  return out;
}

v1::Assessment AssessmentStore::Get(int64_t period_id, const std::string& unit_code) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::read_transaction tx(c);
        auto p = ReadPeriod(tx, period_id);
        if (!p) throw DomainError(Kind::kNotFound, "period: periods/" + std::to_string(period_id) + " does not exist");
        RequireUnitOfKind(tx, unit_code, p->period.unit_kind(), "unit_code");
        return ReadAssessment(tx, period_id, p->period, *ReadFramework(tx, p->framework_id), unit_code);
      },
      true);
}

v1::Assessment AssessmentStore::SaveSelfScores(int64_t period_id, const std::string& unit,
                                               const v1::SaveSelfAssessmentRequest& req) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    StoredPeriod p = LockPeriod(tx, period_id, false);
    RequirePeriodState(p.period, v1::SELF_ASSESSMENT, "self-assessment");
    RequireUnitOfKind(tx, unit, p.period.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), v1::DRAFT, unit, "self-assessment");
    for (const auto& s : req.scores())
      tx.exec_prepared(kUpsertSelfScore.name, period_id, unit, s.criterion_code(), s.self_points(), s.explanation(),
                       db::TextArrayLiteral({s.evidence_document_codes().begin(), s.evidence_document_codes().end()}),
                       db::TextArrayLiteral({s.evidence_attachments().begin(), s.evidence_attachments().end()}));
    auto out = ReadAssessment(tx, period_id, p.period, *ReadFramework(tx, p.framework_id), unit);
    tx.commit();
    return out;
  });
}

namespace {

// One step of an assessment (DRAFT → SUBMITTED, SUBMITTED → APPRAISED): the period must be in `period_state`, the
// assessment in `from`, and `missing` must find nothing left to score; then `set` records the step and the event
// `event` makes of the period, the unit and the assessment after it goes out through the outbox, in the same
// transaction.
struct AssessmentStep {
  v1::PeriodState period_state;
  v1::AssessmentState from;
  const char* action;  // for the refusals: "submitting", "completing an appraisal"
  std::optional<FieldError> (*missing)(const std::vector<Leaf>&, const std::map<std::string, v1::Score>&);
  const db::Statement& set;
};

using StepEvent = std::function<outbox::PendingEvent(const v1::Period&, const v1::Unit&, const v1::Assessment&)>;

v1::Assessment Advance(db::Pool& pool, int64_t period_id, const std::string& unit, const std::string& principal,
                       const AssessmentStep& step, const StepEvent& event) {
  return pool.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    StoredPeriod p = LockPeriod(tx, period_id, false);
    RequirePeriodState(p.period, step.period_state, step.action);
    v1::Unit u = RequireUnitOfKind(tx, unit, p.period.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), step.from, unit, step.action);
    auto framework = *ReadFramework(tx, p.framework_id);
    if (auto missing = step.missing(Leaves(framework), LoadScores(tx, period_id, unit)))
      throw DomainError(Kind::kFailedPrecondition, missing->field + ": " + missing->description,
                        platform::v1::INCOMPLETE);
    tx.exec_prepared(step.set.name, period_id, unit, principal);
    auto out = ReadAssessment(tx, period_id, p.period, framework, unit);
    outbox::Enqueue(tx, event(p.period, u, out));
    tx.commit();
    return out;
  });
}

}  // namespace

v1::Assessment AssessmentStore::Submit(int64_t period_id, const std::string& unit, const std::string& principal) {
  return Advance(pool_, period_id, unit, principal,
                 {v1::SELF_ASSESSMENT, v1::DRAFT, "submitting", MissingForSubmission, kSetSubmitted},
                 [&](const v1::Period& period, const v1::Unit& u, const v1::Assessment& out) {
                   v1::AssessmentSubmitted event;
                   event.set_period(period.name());
                   event.set_unit_code(unit);
                   event.set_unit_name(u.display_name());
                   event.set_self_total(out.self_total());
                   event.set_submitted_by(principal);
                   return MakeAssessmentSubmitted(event);
                 });
}

v1::Assessment AssessmentStore::SaveAppraisal(int64_t period_id, const std::string& unit,
                                              const v1::SaveAppraisalRequest& req) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    StoredPeriod p = LockPeriod(tx, period_id, false);
    RequirePeriodState(p.period, v1::APPRAISAL, "appraisal");
    RequireUnitOfKind(tx, unit, p.period.unit_kind(), "unit_code");
    RequireAssessmentState(LockAssessment(tx, period_id, unit), v1::SUBMITTED, unit, "appraisal");
    for (const auto& s : req.scores())
      tx.exec_prepared(kUpsertAppraisedScore.name, period_id, unit, s.criterion_code(), s.appraised_points(),
                       s.appraisal_comment());
    auto out = ReadAssessment(tx, period_id, p.period, *ReadFramework(tx, p.framework_id), unit);
    tx.commit();
    return out;
  });
}

v1::Assessment AssessmentStore::CompleteAppraisal(int64_t period_id, const std::string& unit,
                                                  const std::string& principal) {
  return Advance(pool_, period_id, unit, principal,
                 {v1::APPRAISAL, v1::SUBMITTED, "completing an appraisal", MissingForAppraisal, kSetAppraised},
                 [&](const v1::Period& period, const v1::Unit& u, const v1::Assessment& out) {
                   v1::AssessmentAppraised event;
                   event.set_period(period.name());
                   event.set_unit_code(unit);
                   event.set_unit_name(u.display_name());
                   event.set_appraised_total(out.appraised_total());
                   event.set_appraised_by(principal);
                   return MakeAssessmentAppraised(event);
                 });
}

}  // namespace cchc::scoring
