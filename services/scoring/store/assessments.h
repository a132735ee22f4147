#pragma once
// Assessments (bản tự đánh giá) of one unit in one period and their scores per criterion (tables assessments,
// scores): self-scores in SELF_ASSESSMENT, appraised scores in APPRAISAL. Writes lock the period (for share)
// and the assessment row, so a state checked stays true until the commit. Failures are DomainErrors.
#include <map>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"

namespace cchc::scoring {

// The statements this store runs; every pooled connection prepares them.
std::vector<db::Statement> AssessmentStatements();

// The stored scores of a unit in a period, by criterion code.
std::map<std::string, v1::Score> LoadScores(pqxx::transaction_base& tx, int64_t period_id, const std::string& unit);
// Every stored assessment of a period as (unit code, state), by unit code.
std::vector<std::pair<std::string, v1::AssessmentState>> AssessmentStates(pqxx::transaction_base& tx,
                                                                          int64_t period_id);

class AssessmentStore {
 public:
  explicit AssessmentStore(db::Pool& pool) : pool_(pool) {}

  // The assessment (state DRAFT and no scores when nothing was saved yet). kNotFound (period, unit), kInvalid
  // (unit of another kind).
  v1::Assessment Get(int64_t period_id, const std::string& unit_code);
  // Upserts self-scores; the period must be in SELF_ASSESSMENT and the assessment in DRAFT.
  v1::Assessment SaveSelfScores(int64_t period_id, const std::string& unit_code,
                                const v1::SaveSelfAssessmentRequest& r);
  // DRAFT → SUBMITTED when MissingForSubmission finds nothing (else kFailedPrecondition); emits
  // AssessmentSubmitted.
  v1::Assessment Submit(int64_t period_id, const std::string& unit_code, const std::string& principal);
  // Upserts appraised scores; period in APPRAISAL, assessment SUBMITTED.
  v1::Assessment SaveAppraisal(int64_t period_id, const std::string& unit_code, const v1::SaveAppraisalRequest& r);
  // SUBMITTED → APPRAISED when every criterion is appraised (else kFailedPrecondition); emits
  // AssessmentAppraised.
  v1::Assessment CompleteAppraisal(int64_t period_id, const std::string& unit_code, const std::string& principal);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::scoring
