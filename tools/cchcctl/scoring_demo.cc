// `cchcctl scoring import-demo <dir>`: loads published historical results (the seed page's figures and
// invented sample data, marked as such, with per-criterion points where the file has them) from
// <dir>/results-*.json, then the units' changes from <dir>/lineage-*.json. Idempotent: frameworks, units and periods
// already there are reused, and a period that is no longer OPEN is left alone.
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "conventions.h"
#include "platform/errors.h"
#include "scoring_client.h"

namespace cchc::cchcctl {

scoring_v1::Framework ReadFrameworkJson(const std::string& path);  // scoring_frameworks.cc

namespace {

struct DemoArgs {
  std::string dir;
  bool continue_on_error = false;
};

struct Counts {
  int frameworks = 0, units = 0, periods = 0, skipped = 0;
};

// The framework `f` (by code and version), created when missing.
scoring_v1::Framework EnsureFramework(Client& client, const scoring_v1::Framework& f, Counts* counts) {
  scoring_v1::ListFrameworksRequest list;
  list.set_unit_kind(f.unit_kind());
  scoring_v1::ListFrameworksResponse existing;
  Scoring().Check(Scoring().Stub().ListFrameworks(client.NewContext().get(), list, &existing));
  int version = f.version() == 0 ? 1 : f.version();
  for (const auto& e : existing.frameworks())
    if (e.code() == f.code() && e.version() == version) return e;
  scoring_v1::CreateFrameworkRequest req;
  *req.mutable_framework() = f;
  scoring_v1::Framework out;
  Scoring().Check(Scoring().Stub().CreateFramework(client.NewContext().get(), req, &out));
  ++counts->frameworks;
  return out;
}

void ImportFile(Client& client, const std::filesystem::path& path, Counts* counts) {
  std::ifstream in(path);
  nlohmann::json doc = nlohmann::json::parse(in);
  auto kind = ParseUnitKind(doc.at("unit_kind").get<std::string>(), path.string() + ": unit_kind");
  const auto& fj = doc.at("framework");
  scoring_v1::Framework framework =
      ReadFrameworkJson((path.parent_path() / fj.at("tree_from").get<std::string>()).string());
  framework.set_code(fj.at("code").get<std::string>());
  framework.set_title(fj.at("title").get<std::string>());
  framework.set_source(fj.value("source", framework.source()));
  framework.set_unit_kind(kind);
  framework = EnsureFramework(client, framework, counts);

  scoring_v1::ListUnitsRequest ulist;
  ulist.set_kind(kind);
  scoring_v1::ListUnitsResponse units;
  Scoring().Check(Scoring().Stub().ListUnits(client.NewContext().get(), ulist, &units));
  std::set<std::string> present;
  for (const auto& u : units.units()) present.insert(u.code());
  for (const auto& u : doc.at("units")) {
    if (present.count(u.at("code").get<std::string>())) continue;
    scoring_v1::CreateUnitRequest req;
    req.mutable_unit()->set_code(u.at("code").get<std::string>());
    req.mutable_unit()->set_display_name(u.at("name").get<std::string>());
    req.mutable_unit()->set_kind(kind);
    req.mutable_unit()->set_parent(u.value("parent", ""));
    req.mutable_unit()->set_sample_data(u.value("sample_data", false));
    scoring_v1::Unit out;
    Scoring().Check(Scoring().Stub().CreateUnit(client.NewContext().get(), req, &out));
    ++counts->units;
  }

  scoring_v1::ListPeriodsRequest plist;
  plist.set_unit_kind(kind);
  scoring_v1::ListPeriodsResponse periods;
  Scoring().Check(Scoring().Stub().ListPeriods(client.NewContext().get(), plist, &periods));
  std::vector<std::pair<int, std::string>> years;
  for (const auto& [year, title] : doc.at("periods").items()) years.emplace_back(std::stoi(year), title);
  std::sort(years.begin(), years.end());  // the previous year first, so changes are computed against it
  for (const auto& [year, title] : years) {
    scoring_v1::Period period;
    for (const auto& p : periods.periods())
      if (p.year() == year) period = p;
    if (period.name().empty()) {
      scoring_v1::CreatePeriodRequest req;
      req.mutable_period()->set_year(year);
      req.mutable_period()->set_framework(framework.name());
      req.mutable_period()->set_title(title);
      Scoring().Check(Scoring().Stub().CreatePeriod(client.NewContext().get(), req, &period));
    }
    if (period.state() != scoring_v1::OPEN) {
      ++counts->skipped;
      continue;
    }
    scoring_v1::ImportResultsRequest req;
    req.set_period(period.name());
    for (const auto& u : doc.at("units")) {
      const auto& results = u.at("results");
      if (!results.contains(std::to_string(year))) continue;
      auto* r = req.add_results();
      r->set_unit_code(u.at("code").get<std::string>());
      r->set_total(results.at(std::to_string(year)).get<std::string>());
      r->set_sample_data(u.value("sample_data", false) || u.value("sample_" + std::to_string(year), false));
      if (u.contains("criteria") && u["criteria"].contains(std::to_string(year)))
        for (const auto& [code, points] : u["criteria"][std::to_string(year)].items()) {
          auto* c = r->add_criteria();
          c->set_code(code);
          c->set_points(points.get<std::string>());
        }
    }
    scoring_v1::Period out;
    Scoring().Check(Scoring().Stub().ImportResults(client.NewContext().get(), req, &out));
    ++counts->periods;
  }
}

void RunImportDemo(Client& client, const DemoArgs& a) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(a.dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("results-", 0) == 0 && e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec || files.empty())
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, a.dir + ": no results-*.json files to import");
  std::sort(files.begin(), files.end());
  Counts counts;
  ImportRun run(files.size(), a.continue_on_error);
  for (const auto& f : files)
    run.Run(f.string(), [&] {
      try {
        ImportFile(client, f, &counts);
      } catch (const nlohmann::json::exception& e) {
        throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, e.what());
      }
    });
  run.Finish();
  // Then the units' changes (lineage-*.json), once the units they name exist.
  std::vector<std::filesystem::path> lineage;
  for (const auto& e : std::filesystem::directory_iterator(a.dir, ec))
    if (e.path().filename().string().rfind("lineage-", 0) == 0 && e.path().extension() == ".json")
      lineage.push_back(e.path());
  std::sort(lineage.begin(), lineage.end());
  for (const auto& f : lineage) ImportLineageFile(client, f.string(), a.continue_on_error);
  std::cout << "frameworks created " << counts.frameworks << ", units created " << counts.units << ", periods imported "
            << counts.periods << ", already published " << counts.skipped << "\n";
}

}  // namespace

void AddScoringDemoCommand(CLI::App* scoring, Action* slot) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd =
      scoring->add_subcommand("import-demo", "Load published results from <dir>/results-*.json (idempotent)");
  cmd->add_option("dir", args->dir, "e.g. tools/demo/scoring")->required();
  AddContinueOnError(cmd, &args->continue_on_error);
  OnRun(cmd, slot, args, &RunImportDemo);
}

}  // namespace cchc::cchcctl
