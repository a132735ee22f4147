// `cchcctl scoring framework …` (list, get as a tree, export/import as JSON or CSV, new-version) and
// `cchcctl scoring unit …` (list, create).
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "document_format.h"
#include "platform/dates.h"
#include "platform/errors.h"
#include "scoring_client.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

struct FrameworkArgs {
  std::string name, file, format = "json", kind, code, title, parent;
  int year = 0;
  bool sample = false;
};

scoring_v1::Framework Get(Client& client, const std::string& name) {
  scoring_v1::GetFrameworkRequest req;
  req.set_name(name);
  scoring_v1::Framework out;
  Scoring().Check(Scoring().Stub().GetFramework(client.NewContext().get(), req, &out));
  return out;
}

std::string Rule(const scoring_v1::Criterion& c) {
  return c.sub_criteria().empty() ? scoring_v1::ScoringRule_Name(c.rule()) : "";
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

// CSV of a framework's tree: level,code,name,max_points,rule,evidence_required (level 0 field, 1 criterion,
// 2 sub-criterion), in tree order.
void WriteFrameworkCsv(std::ostream& out, const scoring_v1::Framework& f) {
  out << "level,code,name,max_points,rule,evidence_required\n";
  for (const auto& field : f.fields()) {
    out << "0," << Csv(field.code()) << ',' << Csv(field.name()) << ',' << field.max_points() << ",,\n";
    for (const auto& c : field.criteria()) {
      out << "1," << Csv(c.code()) << ',' << Csv(c.name()) << ',' << c.max_points() << ',' << Rule(c) << ','
          << (c.evidence_required() ? "true" : "false") << '\n';
      for (const auto& s : c.sub_criteria())
        out << "2," << Csv(s.code()) << ',' << Csv(s.name()) << ',' << s.max_points() << ',' << Rule(s) << ','
            << (s.evidence_required() ? "true" : "false") << '\n';
    }
  }
}

// Reads the tree of WriteFrameworkCsv into *f's fields. INVALID_ARGUMENT naming the line.
void ReadFrameworkCsv(std::istream& in, scoring_v1::Framework* f) {
  std::string line;
  std::getline(in, line);
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    auto cells = SplitCsvLine(line);
    cells.resize(6);
    std::string where = "line " + std::to_string(number);
    scoring_v1::ScoringRule rule = scoring_v1::SCORING_RULE_UNSPECIFIED;
    if (!cells[4].empty() && !scoring_v1::ScoringRule_Parse(cells[4], &rule))
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": rule is RANGE, YES_NO or SURVEY");
    if (cells[0] == "0") {
      auto* field = f->add_fields();
      field->set_code(cells[1]);
      field->set_name(cells[2]);
      field->set_max_points(cells[3]);
      continue;
    }
    if (f->fields().empty() || (cells[0] != "1" && cells[0] != "2") ||
        (cells[0] == "2" && f->fields().rbegin()->criteria().empty()))
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, where + ": level 0, 1 or 2 under a parent");
    auto* field = f->mutable_fields(f->fields_size() - 1);
    scoring_v1::Criterion* c = cells[0] == "1"
                                   ? field->add_criteria()
                                   : field->mutable_criteria(field->criteria_size() - 1)->add_sub_criteria();
    c->set_code(cells[1]);
    c->set_name(cells[2]);
    c->set_max_points(cells[3]);
    c->set_rule(rule);
    c->set_evidence_required(cells[5] == "true");
  }
}

// A Framework from a JSON file (proto field names).
scoring_v1::Framework ReadFrameworkJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  scoring_v1::Framework f;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(text.str(), &f, options);
  if (!status.ok()) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, path + ": " + std::string(status.message()));
  return f;
}

namespace {

void RunList(Client& client, const FrameworkArgs& a) {
  scoring_v1::ListFrameworksRequest req;
  req.set_unit_kind(ParseUnitKind(a.kind, "--kind"));
  scoring_v1::ListFrameworksResponse out;
  Scoring().Check(Scoring().Stub().ListFrameworks(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : out.frameworks())
    rows.push_back({f.name(), f.code(), std::to_string(f.version()), scoring_v1::UnitKind_Name(f.unit_kind()),
                    std::to_string(f.year()), f.total_max(), f.in_use() ? "in use" : "", f.title()});
  PrintTable(std::cout, {"Tên", "Mã", "Phiên bản", "Loại đơn vị", "Năm", "Tối đa", "", "Bộ chỉ số"}, rows);
}

void RunGet(Client& client, const FrameworkArgs& a) {
  auto f = Get(client, a.name);
  if (client.options().json) return PrintJson(std::cout, f);
  std::cout << f.title() << " (" << f.code() << " v" << f.version() << ", " << scoring_v1::UnitKind_Name(f.unit_kind())
            << ", " << f.year() << (f.in_use() ? ", in use" : "") << ")\n";
  for (const auto& field : f.fields()) {
    std::cout << field.code() << ". " << field.name() << " — " << field.max_points() << "\n";
    for (const auto& c : field.criteria()) {
      std::cout << "  " << c.code() << " " << c.name() << " — " << c.max_points() << " " << Rule(c)
                << (c.evidence_required() ? " (evidence)" : "") << "\n";
      for (const auto& s : c.sub_criteria())
        std::cout << "    " << s.code() << " " << s.name() << " — " << s.max_points() << " " << Rule(s)
                  << (s.evidence_required() ? " (evidence)" : "") << "\n";
    }
  }
  std::cout << "Tổng: " << f.total_max() << "\n";
}

void RunExport(Client& client, const FrameworkArgs& a) {
  auto f = Get(client, a.name);
  if (a.format == "csv") return WriteFrameworkCsv(std::cout, f);
  PrintJson(std::cout, f);
}

void RunImport(Client& client, const FrameworkArgs& a) {
  scoring_v1::CreateFrameworkRequest req;
  if (a.format == "csv") {
    std::ifstream in(a.file);
    if (!in) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "cannot read " + a.file);
    auto* f = req.mutable_framework();
    f->set_code(a.code);
    f->set_title(a.title);
    f->set_unit_kind(ParseUnitKind(a.kind, "--kind"));
    f->set_year(a.year);
    ReadFrameworkCsv(in, f);
  } else {
    *req.mutable_framework() = ReadFrameworkJson(a.file);
  }
  scoring_v1::Framework out;
  Scoring().Check(Scoring().Stub().CreateFramework(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::cout << out.name() << " " << out.code() << " v" << out.version() << " (" << out.total_max() << ")\n";
}

void RunNewVersion(Client& client, const FrameworkArgs& a) {
  scoring_v1::NewFrameworkVersionRequest req;
  req.set_name(a.name);
  scoring_v1::Framework out;
  Scoring().Check(Scoring().Stub().NewFrameworkVersion(client.NewContext().get(), req, &out));
  std::cout << out.name() << " " << out.code() << " v" << out.version() << "\n";
}

void RunUnitList(Client& client, const FrameworkArgs& a) {
  scoring_v1::ListUnitsRequest req;
  req.set_kind(ParseUnitKind(a.kind, "--kind"));
  scoring_v1::ListUnitsResponse out;
  Scoring().Check(Scoring().Stub().ListUnits(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::vector<std::vector<std::string>> rows;
  auto joined = [](const google::protobuf::RepeatedPtrField<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : ", ") + c;
    return out;
  };
  for (const auto& u : out.units()) {
    // Hiệu lực (validity), dd/mm/yyyy; "← A, B" the units it came from, "→ C" what it became.
    std::string validity;
    if (!u.valid_from().empty() || !u.valid_to().empty())
      validity = (u.valid_from().empty() ? "" : "từ " + dates::IsoToDisplay(u.valid_from())) +
                 (u.valid_to().empty()
                      ? ""
                      : std::string(u.valid_from().empty() ? "" : " ") + "đến " + dates::IsoToDisplay(u.valid_to()));
    std::string lineage = (u.predecessors().empty() ? "" : "← " + joined(u.predecessors())) +
                          (u.successors().empty() ? "" : "→ " + joined(u.successors()));
    rows.push_back({u.code(), scoring_v1::UnitKind_Name(u.kind()), u.parent(), u.sample_data() ? "sample" : "",
                    u.display_name(), validity, lineage});
  }
  PrintTable(std::cout, {"Mã", "Loại", "Đơn vị cha", "", "Tên đơn vị", "Hiệu lực", "Kế thừa"}, rows);
}

void RunUnitCreate(Client& client, const FrameworkArgs& a) {
  scoring_v1::CreateUnitRequest req;
  req.mutable_unit()->set_code(a.code);
  req.mutable_unit()->set_display_name(a.title);
  req.mutable_unit()->set_kind(ParseUnitKind(a.kind, "--kind"));
  req.mutable_unit()->set_parent(a.parent);
  req.mutable_unit()->set_sample_data(a.sample);
  scoring_v1::Unit out;
  Scoring().Check(Scoring().Stub().CreateUnit(client.NewContext().get(), req, &out));
  std::cout << out.name() << "\n";
}

}  // namespace

void AddScoringFrameworkCommands(CLI::App* scoring, Action* slot) {
  auto args = std::make_shared<FrameworkArgs>();
  CLI::App* framework = scoring->add_subcommand("framework", "Bộ chỉ số: versioned trees of criteria");
  framework->require_subcommand(1);
  CLI::App* list = framework->add_subcommand("list", "Frameworks, newest year first");
  list->add_option("--kind", args->kind, "Only this unit kind");
  OnRun(list, slot, args, &RunList);
  CLI::App* get = framework->add_subcommand("get", "A framework as a tree");
  get->add_option("name", args->name, "frameworks/{id}")->required();
  OnRun(get, slot, args, &RunGet);
  CLI::App* exp = framework->add_subcommand("export", "A framework as JSON or CSV on stdout");
  exp->add_option("name", args->name, "frameworks/{id}")->required();
  exp->add_option("--format", args->format, "json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  OnRun(exp, slot, args, &RunExport);
  CLI::App* imp = framework->add_subcommand("import", "Create a framework from JSON (or CSV with --code …)");
  imp->add_option("file", args->file, "The file")->required();
  imp->add_option("--format", args->format, "json or csv")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  imp->add_option("--code", args->code, "CSV: framework code");
  imp->add_option("--title", args->title, "CSV: title");
  imp->add_option("--kind", args->kind, "CSV: unit kind");
  imp->add_option("--year", args->year, "CSV: first year");
  OnRun(imp, slot, args, &RunImport);
  CLI::App* version = framework->add_subcommand("new-version", "Copy a framework as the next version");
  version->add_option("name", args->name, "frameworks/{id}")->required();
  OnRun(version, slot, args, &RunNewVersion);

  CLI::App* unit = scoring->add_subcommand("unit", "Đơn vị: units assessed");
  unit->require_subcommand(1);
  CLI::App* ulist = unit->add_subcommand("list", "Units by kind and code");
  ulist->add_option("--kind", args->kind, "Only this kind");
  OnRun(ulist, slot, args, &RunUnitList);
  CLI::App* ucreate = unit->add_subcommand("create", "Create a unit (admin)");
  ucreate->add_option("--code", args->code, "Code, e.g. SGDDT")->required();
  ucreate->add_option("--name", args->title, "Tên đơn vị")->required();
  ucreate->add_option("--kind", args->kind, "Kind")->required();
  ucreate->add_option("--parent", args->parent, "Parent unit code");
  ucreate->add_flag("--sample", args->sample, "Mark as invented sample data");
  OnRun(ucreate, slot, args, &RunUnitCreate);
}

}  // namespace cchc::cchcctl
