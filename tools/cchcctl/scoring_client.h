#pragma once
// The scoring service (chỉ số CCHC) from the command line: its address (--scoring-address /
// CCHC_SCORING_ADDRESS) and the helpers the `cchcctl scoring …` commands share. Calls use the Client's
// token and deadline.
#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <string>

#include "cchc/scoring/v1/scoring.grpc.pb.h"
#include "client.h"
#include "command.h"

namespace cchc::cchcctl {

namespace scoring_v1 = cchc::scoring::v1;

struct ScoringConnection {
  std::string address = "127.0.0.1:50063";
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<scoring_v1::ScoringService::Stub> stub;

  scoring_v1::ScoringService::Stub& Stub();
  // Throws cchc::StatusError unless `status` is OK; UNAVAILABLE names the scoring service's address.
  void Check(const grpc::Status& status) const;
};

// The one connection of this run, bound to --scoring-address on `cmd`.
ScoringConnection& Scoring();
void AddScoringAddressOption(CLI::App* cmd);

// "PROVINCE", "department" … → the kind; INVALID_ARGUMENT naming `flag` otherwise. Empty → unspecified.
scoring_v1::UnitKind ParseUnitKind(const std::string& text, const std::string& flag);

// `cchcctl scoring …` and the groups it is made of, one per source file.
void AddScoringCommands(CLI::App& app, Action* slot);
void AddScoringFrameworkCommands(CLI::App* scoring, Action* slot);  // framework list/get/import/export, unit …
void AddScoringPeriodCommands(CLI::App* scoring, Action* slot);     // period …, assess, submit, appraise, …
void AddScoringResultCommands(CLI::App* scoring, Action* slot);     // result, ranking, scorecard
void AddScoringDemoCommand(CLI::App* scoring, Action* slot);        // import-demo
void AddScoringLineageCommands(CLI::App* scoring, Action* slot);    // lineage import, what-if

// Records the unit changes of a lineage JSON file (scoring_lineage.cc); import-demo loads lineage-*.json with it.
void ImportLineageFile(Client& client, const std::string& path, bool continue_on_error);

// "Sóc Trăng: 86.15 points (+4.43 vs 2014), rank 27/63 (▲6, 33rd in 2014)" and the field table.
void PrintUnitResult(std::ostream& out, const scoring_v1::UnitResultDetail& r);
// "  from Sóc Trăng (SOC_TRANG, MERGE): 22.00 points, rank 3/4 in 2024", one line per predecessor.
void PrintPredecessors(std::ostream& out, const scoring_v1::UnitResultDetail& r);
// The ranking as a table (Hạng, Đơn vị, Điểm, ±điểm, Hạng trước, ±hạng) and "x/y improved" under it.
void PrintRanking(std::ostream& out, const scoring_v1::Ranking& ranking);
// The ranking as CSV (RFC 4180, UTF-8): rank,unit_code,unit_name,total,total_change,previous_rank,
// rank_change,sample_data.
void PrintRankingCsv(std::ostream& out, const scoring_v1::Ranking& ranking);

}  // namespace cchc::cchcctl
