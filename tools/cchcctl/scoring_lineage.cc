// `cchcctl scoring lineage import <file>`: changes of units (merge, split, rename) from a JSON file such as
// tools/demo/scoring/lineage-2025-can-tho.json (RecordUnitChange; the same file twice changes nothing), and
// `cchcctl scoring what-if`: a unit's improvement plan (GetImprovementPlan).
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "conventions.h"
#include "document_format.h"
#include "platform/errors.h"
#include "scoring_client.h"
#include "table.h"

namespace cchc::cchcctl {

void ImportLineageFile(Client& client, const std::string& path, bool continue_on_error) {
  std::ifstream in(path);
  if (!in) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "cannot read " + path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, path + ": " + e.what());
  }
  const std::string source = doc.value("source", "");
  if (!doc.contains("changes") || !doc["changes"].is_array())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, path + ": a \"changes\" array is required");
  const auto& changes = doc["changes"];
  ImportRun run(changes.size(), continue_on_error);
  for (size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    run.Run(path + ": changes[" + std::to_string(i) + "]", [&] {
      try {
        scoring_v1::RecordUnitChangeRequest req;
        auto* change = req.mutable_change();
        scoring_v1::UnitChangeKind kind;
        if (!scoring_v1::UnitChangeKind_Parse(c.value("kind", ""), &kind))
          throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "kind: MERGE, SPLIT or RENAME");
        change->set_kind(kind);
        change->set_effective_date(c.value("effective_date", ""));
        change->set_source(c.value("source", source));
        for (const auto& p : c.at("predecessors")) change->add_predecessors(p.get<std::string>());
        for (const auto& s : c.at("successors")) {
          auto* u = change->add_successors();
          u->set_code(s.at("code").get<std::string>());
          u->set_display_name(s.at("name").get<std::string>());
          u->set_parent(s.value("parent", ""));
          u->set_sample_data(s.value("sample_data", false));
        }
        scoring_v1::UnitChange out;
        Scoring().Check(Scoring().Stub().RecordUnitChange(client.NewContext().get(), req, &out));
      } catch (const nlohmann::json::exception& e) {
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, e.what());
      }
    });
  }
  run.Finish();
}

namespace {

struct LineageArgs {
  std::string file;
  bool continue_on_error = false;
};

struct WhatIfArgs {
  int year = 0;
  std::string kind, unit, period;
};

void RunLineageImport(Client& client, const LineageArgs& a) {
  ImportLineageFile(client, a.file, a.continue_on_error);
}

void RunWhatIf(Client& client, const WhatIfArgs& a) {
  scoring_v1::GetImprovementPlanRequest req;
  req.set_period(a.period);
  req.set_year(a.year);
  req.set_unit_kind(ParseUnitKind(a.kind, "--kind"));
  req.set_unit_code(a.unit);
  scoring_v1::ImprovementPlan plan;
  Scoring().Check(Scoring().Stub().GetImprovementPlan(client.NewContext().get(), req, &plan));
  if (client.options().json) return PrintJson(std::cout, plan);
  std::cout << plan.unit_code() << " in " << plan.period() << ": " << plan.total() << " points, rank " << plan.rank()
            << "/" << plan.ranked_units() << (plan.sample_data() ? "  [sample data]" : "") << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : plan.steps())
    rows.push_back({s.criterion_code(), s.criterion_name(), s.lost_points(), s.new_total(),
                    std::to_string(s.new_rank()), "+" + std::to_string(s.places_gained()), s.gain_per_point()});
  PrintTable(std::cout, {"Tiêu chí", "Tên", "Điểm bị trừ", "Tổng mới", "Hạng mới", "± hạng", "Hạng/điểm"}, rows);
}

}  // namespace

void AddScoringLineageCommands(CLI::App* scoring, Action* slot) {
  CLI::App* lineage = scoring->add_subcommand("lineage", "Changes of units: merges, splits, renames");
  lineage->require_subcommand(1);
  auto largs = std::make_shared<LineageArgs>();
  CLI::App* import = lineage->add_subcommand("import", "Record the changes of a JSON file (idempotent; admin)");
  import->add_option("file", largs->file, "e.g. tools/demo/scoring/lineage-2025-can-tho.json")->required();
  AddContinueOnError(import, &largs->continue_on_error);
  OnRun(import, slot, largs, &RunLineageImport);

  auto wargs = std::make_shared<WhatIfArgs>();
  CLI::App* what_if = scoring->add_subcommand(
      "what-if", "Per criterion with lost points: the rank recovering them would reach, by places per point");
  what_if->add_option("--year", wargs->year, "Year assessed (with --kind)");
  what_if->add_option("--kind", wargs->kind, "PROVINCE, DEPARTMENT, DISTRICT or SUBORDINATE_UNIT");
  what_if->add_option("--period", wargs->period, "periods/{id} (instead of --year and --kind)");
  what_if->add_option("--unit", wargs->unit, "Unit code, e.g. SGDDT")->required();
  OnRun(what_if, slot, wargs, &RunWhatIf);
}

}  // namespace cchc::cchcctl
