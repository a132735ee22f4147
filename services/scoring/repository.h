#pragma once
// The scoring service's storage (PostgreSQL, named prepared statements). Every state change that subscribers
// see writes its event to the outbox in the same transaction. Requests reach it validated; it re-checks the
// states under row locks, so two callers racing cannot both pass a check.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"
#include "platform/migrations.h"
#include "rules/points.h"

namespace cchc::scoring {

// The service's own migrations (generated from migrations/*.sql), after the platform's.
std::vector<db::Migration> Migrations();
std::vector<db::Migration> AllMigrations();
// The named statements every pooled connection prepares.
std::vector<db::Statement> Statements();

// One unit's figures to publish: its total and its points per field code.
struct UnitTotals {
  std::string unit_code;
  Centi total = 0;
  std::map<std::string, Centi> by_field;
  bool sample_data = false;
};

class Repository {
 public:
  explicit Repository(db::Pool& pool) : pool_(pool) {}

  // Stores a validated framework; ALREADY_EXISTS when its (code, version) is taken.
  v1::Framework CreateFramework(const v1::Framework& f, const std::string& principal);
  std::optional<v1::Framework> GetFramework(int64_t id);
  std::vector<v1::Framework> ListFrameworks(v1::UnitKind kind);  // without the trees, newest first
  // Replaces title, source, kind, year and tree. NOT_FOUND; FAILED_PRECONDITION when a period uses it.
  v1::Framework UpdateFramework(int64_t id, const v1::Framework& f);
  // A copy at the code's highest version + 1. NOT_FOUND.
  v1::Framework NewFrameworkVersion(int64_t id, const std::string& principal);

  // ALREADY_EXISTS when the code is taken.
  v1::Unit CreateUnit(const v1::Unit& unit);
  std::optional<v1::Unit> GetUnit(const std::string& code);
  std::vector<v1::Unit> ListUnits(v1::UnitKind kind);

  // A period in OPEN for `framework_id`'s unit kind. NOT_FOUND (framework); ALREADY_EXISTS for a second
  // period of that year and kind.
  v1::Period CreatePeriod(const v1::Period& p, int64_t framework_id, const std::string& principal);
  std::optional<v1::Period> GetPeriod(int64_t id);
  std::optional<v1::Period> FindPeriod(int year, v1::UnitKind kind);
  std::vector<v1::Period> ListPeriods(v1::UnitKind kind);
  // One step on from `expected` (FAILED_PRECONDITION when the period is elsewhere), with its event; into
  // PUBLISHED it computes and stores the results of every appraised assessment.
  v1::Period AdvancePeriod(int64_t id, v1::PeriodState expected);
  // OPEN → PUBLISHED with the given totals. FAILED_PRECONDITION (state), INVALID_ARGUMENT (unknown unit,
  // unit of another kind, unknown field code).
  v1::Period ImportResults(int64_t id, const std::vector<UnitTotals>& results);

  // The assessment (state DRAFT and no scores when nothing was saved yet).
  v1::Assessment GetAssessment(int64_t period_id, const std::string& unit_code);
  // Upserts self-scores; the period must be in SELF_ASSESSMENT and the assessment in DRAFT.
  v1::Assessment SaveSelfScores(int64_t period_id, const std::string& unit_code,
                                const v1::SaveSelfAssessmentRequest& r);
  // DRAFT → SUBMITTED when MissingForSubmission finds nothing; emits AssessmentSubmitted.
  v1::Assessment Submit(int64_t period_id, const std::string& unit_code, const std::string& principal);
  // Upserts appraised scores; period in APPRAISAL, assessment SUBMITTED.
  v1::Assessment SaveAppraisal(int64_t period_id, const std::string& unit_code, const v1::SaveAppraisalRequest& r);
  // SUBMITTED → APPRAISED when every criterion is appraised; emits AssessmentAppraised.
  v1::Assessment CompleteAppraisal(int64_t period_id, const std::string& unit_code, const std::string& principal);

  // The published results of a period, best first, without per-field points.
  std::vector<v1::UnitResultDetail> Results(int64_t period_id);
  // One unit's result with its field points (codes and points only). nullopt when it has none.
  std::optional<v1::UnitResultDetail> Result(int64_t period_id, const std::string& unit_code);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::scoring
