#include <string>
#include <vector>

#include "platform/handler.h"
#include "requests.h"
#include "rules/assessment_access.h"
#include "rules/framework.h"
#include "rules/score.h"
#include "service.h"

// The assessment handlers of ScoringService (service.h): self-assessment by the unit's scorers, appraisal by
// other units' appraisers.
namespace cchc::scoring {
namespace {

using grpc::Status;
using grpc::StatusCode;

// A scorer self-assesses its own unit only (admins any unit).
void CheckOwnUnit(const auth::Principal& p, const std::string& unit) {
  if (!p.Has(auth::Role::kAdmin) && p.unit != unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      "unit_code: principal " + p.unit + " may self-assess its own unit only, not " + unit);
}

// An appraiser never appraises its own unit (admins neither).
void CheckOtherUnit(const auth::Principal& p, const std::string& unit) {
  if (p.unit == unit)
    throw StatusError(StatusCode::PERMISSION_DENIED,
                      "unit_code: principal " + p.unit + " may not appraise its own unit's assessment");
}

std::vector<std::string> ToVector(const google::protobuf::RepeatedPtrField<std::string>& v) {
  return {v.begin(), v.end()};
}

}  // namespace

Status ScoringService::GetAssessment(grpc::ServerContext* ctx, const v1::GetAssessmentRequest* req,
                                     v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kReader, [&](const auth::Principal& p) {
    int64_t id = ParseId(req->period(), "periods/", "period");
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    // A period only moves forward, so a state read before the assessment can only refuse too much, briefly.
    if (!MayReadAssessment(p, unit, period.state()))
      return Status(StatusCode::PERMISSION_DENIED,
                    "unit_code: until " + period.name() + " is published, " + unit +
                        "'s assessment is for its scorers, appraisers of other units and admin; principal " + p.unit +
                        " is none of them");
    *out = stores_.assessments.Get(id, unit);
    return Status::OK;
  });
}

Status ScoringService::SaveSelfAssessment(grpc::ServerContext* ctx, const v1::SaveSelfAssessmentRequest* req,
                                          v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kScorer, [&](const auth::Principal& p) {
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOwnUnit(p, unit);
    v1::SaveSelfAssessmentRequest r = *req;
    Require(ValidateSelfScores(Leaves(FrameworkOf(period)), r.mutable_scores()));
    if (period.state() != v1::SELF_ASSESSMENT)  // checked again under lock; spares the document service
      return error_details::ErrorStatus(StatusCode::FAILED_PRECONDITION,
                                        "period: " + period.name() + " is " + v1::PeriodState_Name(period.state()) +
                                            "; self-assessment needs it SELF_ASSESSMENT",
                                        platform::v1::WRONG_PERIOD_STATE);
    for (int i = 0; i < r.scores_size(); ++i) {
      auto* s = r.mutable_scores(i);
      auto codes = documents_.Resolve(ToVector(s->evidence_document_codes()),
                                      "scores[" + std::to_string(i) + "].evidence_document_codes");
      s->clear_evidence_document_codes();
      for (auto& c : codes) s->add_evidence_document_codes(std::move(c));
    }
    *out = stores_.assessments.SaveSelfScores(ParseId(period.name(), "periods/", "period"), unit, r);
    return Status::OK;
  });
}

Status ScoringService::SubmitAssessment(grpc::ServerContext* ctx, const v1::SubmitAssessmentRequest* req,
                                        v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kScorer, [&](const auth::Principal& p) {
    int64_t id = ParseId(req->period(), "periods/", "period");
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOwnUnit(p, unit);
    *out = stores_.assessments.Submit(id, unit, p.unit);
    return Status::OK;
  });
}

Status ScoringService::SaveAppraisal(grpc::ServerContext* ctx, const v1::SaveAppraisalRequest* req,
                                     v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAppraiser, [&](const auth::Principal& p) {
    v1::Period period = ResolvePeriod(req->period(), 0, v1::UNIT_KIND_UNSPECIFIED);
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOtherUnit(p, unit);
    v1::SaveAppraisalRequest r = *req;
    Require(ValidateAppraisalScores(Leaves(FrameworkOf(period)), r.mutable_scores()));
    *out = stores_.assessments.SaveAppraisal(ParseId(period.name(), "periods/", "period"), unit, r);
    return Status::OK;
  });
}

Status ScoringService::CompleteAppraisal(grpc::ServerContext* ctx, const v1::CompleteAppraisalRequest* req,
                                         v1::Assessment* out) {
  return RunHandler(ctx, tokens_, auth::Role::kAppraiser, [&](const auth::Principal& p) {
    int64_t id = ParseId(req->period(), "periods/", "period");
    std::string unit = RequireUnitCode(req->unit_code(), "unit_code");
    CheckOtherUnit(p, unit);
    *out = stores_.assessments.CompleteAppraisal(id, unit, p.unit);
    return Status::OK;
  });
}

}  // namespace cchc::scoring
