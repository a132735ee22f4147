#pragma once
// gRPC handlers of cchc.scoring.v1.ScoringService: check roles and input with the rules (rules/), cite evidence
// through the document service, and call the stores (store/). No SQL here. Frameworks, units and periods in
// service.cc, assessments in assessment_handlers.cc, rankings, results and the what-if plan in result_handlers.cc, unit
// changes (lineage) in unit_change_handlers.cc.
#include "cchc/scoring/v1/scoring.grpc.pb.h"
#include "document_client.h"
#include "platform/auth.h"
#include "platform/proto_read_cache.h"
#include "store/stores.h"

namespace cchc::scoring {

class ScoringService final : public v1::ScoringService::Service {
 public:
  // Published rankings and results never change once published, so they are served from memory (at most
  // `read_cache_bytes` together, half each, least recently used first out; `registry` gets the caches' metrics
  // when given).
  ScoringService(Stores& stores, DocumentClient& documents, const auth::TokenStore& tokens,
                 metrics::Registry* registry = nullptr, size_t read_cache_bytes = kDefaultReadCacheBytes);

  grpc::Status CreateFramework(grpc::ServerContext*, const v1::CreateFrameworkRequest*, v1::Framework*) override;
  grpc::Status GetFramework(grpc::ServerContext*, const v1::GetFrameworkRequest*, v1::Framework*) override;
  grpc::Status ListFrameworks(grpc::ServerContext*, const v1::ListFrameworksRequest*,
                              v1::ListFrameworksResponse*) override;
  grpc::Status UpdateFramework(grpc::ServerContext*, const v1::UpdateFrameworkRequest*, v1::Framework*) override;
  grpc::Status NewFrameworkVersion(grpc::ServerContext*, const v1::NewFrameworkVersionRequest*,
                                   v1::Framework*) override;
  grpc::Status CreateUnit(grpc::ServerContext*, const v1::CreateUnitRequest*, v1::Unit*) override;
  grpc::Status GetUnit(grpc::ServerContext*, const v1::GetUnitRequest*, v1::Unit*) override;
  grpc::Status ListUnits(grpc::ServerContext*, const v1::ListUnitsRequest*, v1::ListUnitsResponse*) override;
  grpc::Status CreatePeriod(grpc::ServerContext*, const v1::CreatePeriodRequest*, v1::Period*) override;
  grpc::Status GetPeriod(grpc::ServerContext*, const v1::GetPeriodRequest*, v1::Period*) override;
  grpc::Status ListPeriods(grpc::ServerContext*, const v1::ListPeriodsRequest*, v1::ListPeriodsResponse*) override;
  grpc::Status AdvancePeriod(grpc::ServerContext*, const v1::AdvancePeriodRequest*, v1::Period*) override;
  grpc::Status ImportResults(grpc::ServerContext*, const v1::ImportResultsRequest*, v1::Period*) override;
  grpc::Status GetAssessment(grpc::ServerContext*, const v1::GetAssessmentRequest*, v1::Assessment*) override;
  grpc::Status SaveSelfAssessment(grpc::ServerContext*, const v1::SaveSelfAssessmentRequest*, v1::Assessment*) override;
  grpc::Status SubmitAssessment(grpc::ServerContext*, const v1::SubmitAssessmentRequest*, v1::Assessment*) override;
  grpc::Status SaveAppraisal(grpc::ServerContext*, const v1::SaveAppraisalRequest*, v1::Assessment*) override;
  grpc::Status CompleteAppraisal(grpc::ServerContext*, const v1::CompleteAppraisalRequest*, v1::Assessment*) override;
  grpc::Status GetRanking(grpc::ServerContext*, const v1::GetRankingRequest*, v1::Ranking*) override;
  grpc::Status GetResult(grpc::ServerContext*, const v1::GetResultRequest*, v1::UnitResultDetail*) override;
  grpc::Status RecordUnitChange(grpc::ServerContext*, const v1::RecordUnitChangeRequest*, v1::UnitChange*) override;
  grpc::Status GetImprovementPlan(grpc::ServerContext*, const v1::GetImprovementPlanRequest*,
                                  v1::ImprovementPlan*) override;

 private:
  // The period named by `name`, or by (year, kind) when `name` is empty. INVALID_ARGUMENT, NOT_FOUND.
  v1::Period ResolvePeriod(const std::string& name, int year, v1::UnitKind kind);
  v1::Framework FrameworkOf(const v1::Period& period);
  v1::Ranking LoadRanking(const v1::GetRankingRequest& req);
  v1::UnitResultDetail LoadResult(const v1::GetResultRequest& req);

  Stores& stores_;
  DocumentClient& documents_;
  const auth::TokenStore& tokens_;
  ProtoReadCache<v1::Ranking> rankings_;
  ProtoReadCache<v1::UnitResultDetail> results_;
};

}  // namespace cchc::scoring
