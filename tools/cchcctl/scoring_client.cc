#include "scoring_client.h"

#include "conventions.h"
#include "platform/errors.h"

namespace cchc::cchcctl {

ScoringConnection& Scoring() {
  static ScoringConnection connection;
  return connection;
}

void AddScoringAddressOption(CLI::App* cmd) {
  cmd->add_option("--scoring-address", Scoring().address, "host:port of the scoring service")
      ->envname("CCHC_SCORING_ADDRESS")
      ->capture_default_str();
}

scoring_v1::ScoringService::Stub& ScoringConnection::Stub() {
  if (!stub) {
    channel = OpenChannel(address);
    stub = scoring_v1::ScoringService::NewStub(channel);
  }
  return *stub;
}

void ScoringConnection::Check(const grpc::Status& status) const {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE)
    throw RpcError(status, "the scoring service at " + address + " is unavailable: " + status.error_message());
  throw RpcError(status, status.error_message());
}

scoring_v1::UnitKind ParseUnitKind(const std::string& text, const std::string& flag) {
  if (text.empty()) return scoring_v1::UNIT_KIND_UNSPECIFIED;
  std::string upper;
  for (char c : text) upper += static_cast<char>(c == '-' ? '_' : std::toupper(static_cast<unsigned char>(c)));
  scoring_v1::UnitKind kind;
  if (!scoring_v1::UnitKind_Parse(upper, &kind) || kind == scoring_v1::UNIT_KIND_UNSPECIFIED)
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      flag + ": one of PROVINCE, DEPARTMENT, DISTRICT, SUBORDINATE_UNIT");
  return kind;
}

void AddScoringCommands(CLI::App& app, Action* slot) {
  CLI::App* scoring =
      app.add_subcommand("scoring", "Chỉ số CCHC (PAR INDEX): frameworks, units, periods, assessments, rankings");
  scoring->require_subcommand(1);
  AddScoringAddressOption(scoring);
  AddScoringFrameworkCommands(scoring, slot);
  AddScoringPeriodCommands(scoring, slot);
  AddScoringResultCommands(scoring, slot);
  AddScoringDemoCommand(scoring, slot);
  AddScoringLineageCommands(scoring, slot);
}

}  // namespace cchc::cchcctl
