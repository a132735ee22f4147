#pragma once
// A running scoring service (its own process) with the document service it checks evidence against, over a
// real PostgreSQL cluster and the embedded broker. Tokens: an admin (Sở Nội vụ), a reader, scorers of the
// departments D1, D2 and D3, an appraiser of Sở Nội vụ, an appraiser who belongs to D1, and the scoring
// service's own token at the document service.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cchc/document/v1/document.grpc.pb.h"
#include "cchc/scoring/v1/scoring.grpc.pb.h"
#include "support/document_service.h"
#include "support/stack.h"

namespace cchc::testing {

class ScoringServiceTest : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  static void StartScoring();
  static void StartDocument();
  static void StopDocument();  // SIGKILL

  // A call context carrying `token` and a deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token);
  static scoring::v1::ScoringService::Stub& Stub();
  static document::v1::DocumentService::Stub& Documents();

  // Publishes "998/QĐ-SGDĐT" at the document service once; returns its code.
  static std::string EvidenceDocument();
  // A framework for departments with field 1 (1.1 range 4, evidence required; 1.2 yes/no 2) and field 2
  // (2.1 with sub-criteria 2.1.1 = 1.5 and 2.1.2 = 0.5; 2.2 survey 2): 10 points in all. `code` must be new.
  static scoring::v1::Framework NewFramework(const std::string& code);
  // Creates the framework (admin) and fails the test otherwise.
  static scoring::v1::Framework CreateFramework(const std::string& code);
  // Creates DEPARTMENT units D1, D2, D3 (again is fine).
  static void EnsureUnits();
  // Creates a period for `year` on `framework` (admin).
  static scoring::v1::Period CreatePeriod(int year, const scoring::v1::Framework& framework);
  static scoring::v1::Period Advance(const scoring::v1::Period& p);

  static std::string Sql(const std::string& sql);      // superuser, tuples only
  static std::string Count(const std::string& table);  // rows in scoring.<table>

  static PostgresCluster* pg_;
  static Broker* broker_;
  static std::unique_ptr<Process> scoring_;
  static std::unique_ptr<DocumentDependency> document_;
  static std::unique_ptr<TempDir> dir_;
  static std::string scoring_url_, scoring_address_;
  static int scoring_metrics_;
  static std::unique_ptr<scoring::v1::ScoringService::Stub> stub_;
  static std::string evidence_code_;

  static constexpr const char* kAdmin = "scoring-admin-token";       // SNV admin
  static constexpr const char* kReader = "scoring-reader-token";     // PUBLIC reader
  static constexpr const char* kScorerD1 = "scorer-d1-token";        // D1 scorer
  static constexpr const char* kScorerD2 = "scorer-d2-token";        // D2 scorer
  static constexpr const char* kScorerD3 = "scorer-d3-token";        // D3 scorer
  static constexpr const char* kAppraiser = "appraiser-snv-token";   // SNV appraiser
  static constexpr const char* kAppraiserD1 = "appraiser-d1-token";  // D1 appraiser (of the unit itself)
  static constexpr const char* kScoringAtDocuments = "scoring-service-token";
};

}  // namespace cchc::testing
