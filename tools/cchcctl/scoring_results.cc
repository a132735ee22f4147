// `cchcctl scoring result | ranking | scorecard`: published figures as the seed page reports them, and a
// unit's sheet (phiếu chấm điểm) as a table.
#include <iostream>

#include "document_format.h"
#include "platform/errors.h"
#include "scoring_client.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

struct ResultArgs {
  int year = 0;
  std::string kind, unit, period;
  bool csv = false;
};

std::string Arrow(bool has_previous, int change) {
  if (!has_previous) return "";
  if (change > 0) return "▲" + std::to_string(change);
  if (change < 0) return "▼" + std::to_string(-change);
  return "=";
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void RunResult(Client& client, const ResultArgs& a) {
  scoring_v1::GetResultRequest req;
  req.set_period(a.period);
  req.set_year(a.year);
  req.set_unit_kind(ParseUnitKind(a.kind, "--kind"));
  req.set_unit_code(a.unit);
  scoring_v1::UnitResultDetail out;
  Scoring().Check(Scoring().Stub().GetResult(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  PrintUnitResult(std::cout, out);
}

void RunRanking(Client& client, const ResultArgs& a) {
  scoring_v1::GetRankingRequest req;
  req.set_period(a.period);
  req.set_year(a.year);
  req.set_unit_kind(ParseUnitKind(a.kind, "--kind"));
  scoring_v1::Ranking out;
  Scoring().Check(Scoring().Stub().GetRanking(client.NewContext().get(), req, &out));
  if (a.csv) return PrintRankingCsv(std::cout, out);
  if (client.options().json) return PrintJson(std::cout, out);
  PrintRanking(std::cout, out);
}

void RunScorecard(Client& client, const ResultArgs& a) {
  scoring_v1::GetAssessmentRequest req;
  req.set_period(a.period);
  req.set_unit_code(a.unit);
  scoring_v1::Assessment assessment;
  Scoring().Check(Scoring().Stub().GetAssessment(client.NewContext().get(), req, &assessment));
  scoring_v1::GetPeriodRequest preq;
  preq.set_name(a.period);
  scoring_v1::Period period;
  Scoring().Check(Scoring().Stub().GetPeriod(client.NewContext().get(), preq, &period));
  scoring_v1::GetFrameworkRequest freq;
  freq.set_name(period.framework());
  scoring_v1::Framework framework;
  Scoring().Check(Scoring().Stub().GetFramework(client.NewContext().get(), freq, &framework));
  if (client.options().json) return PrintJson(std::cout, assessment);
  std::map<std::string, const scoring_v1::Score*> scores;
  for (const auto& s : assessment.scores()) scores[s.criterion_code()] = &s;
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const std::string& indent, const std::string& code, const std::string& name, const std::string& max,
                 bool leaf) {
    std::vector<std::string> row{code, indent + name, max, "", "", "", ""};
    if (auto it = scores.find(code); leaf && it != scores.end()) {
      const auto& s = *it->second;
      row[3] = s.self_points();
      row[4] = s.appraised_points();
      std::string evidence;
      for (const auto& d : s.evidence_document_codes()) evidence += (evidence.empty() ? "" : ", ") + d;
      for (const auto& f : s.evidence_attachments()) evidence += (evidence.empty() ? "" : ", ") + f;
      row[5] = evidence;
      row[6] = s.appraisal_comment();
    }
    rows.push_back(std::move(row));
  };
  for (const auto& f : framework.fields()) {
    add("", f.code(), f.name(), f.max_points(), false);
    for (const auto& c : f.criteria()) {
      add("  ", c.code(), c.name(), c.max_points(), c.sub_criteria().empty());
      for (const auto& s : c.sub_criteria()) add("    ", s.code(), s.name(), s.max_points(), true);
    }
  }
  rows.push_back(
      {"", "Tổng cộng", framework.total_max(), assessment.self_total(), assessment.appraised_total(), "", ""});
  std::cout << period.title() << " — " << a.unit << " (" << scoring_v1::AssessmentState_Name(assessment.state())
            << ")\n";
  PrintTable(std::cout, {"STT", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định", "Tài liệu kiểm chứng", "Ý kiến"},
             rows);
}

}  // namespace

void PrintPredecessors(std::ostream& out, const scoring_v1::UnitResultDetail& r) {
  for (const auto& p : r.predecessors()) {
    out << "  from " << p.unit_name() << " (" << p.unit_code() << ", " << scoring_v1::UnitChangeKind_Name(p.change())
        << "): ";
    if (p.has_result())
      out << p.total() << " points, rank " << p.rank() << "/" << p.ranked_units() << " in " << r.year() - 1 << "\n";
    else
      out << "not ranked in " << r.year() - 1 << "\n";
  }
}

void PrintUnitResult(std::ostream& out, const scoring_v1::UnitResultDetail& r) {
  out << r.unit_name() << " (" << r.unit_code() << "), " << r.year() << ": " << r.total() << " points";
  if (r.has_previous()) out << " (" << r.total_change() << " vs " << r.year() - 1 << ": " << r.previous_total() << ")";
  out << ", rank " << r.rank() << "/" << r.ranked_units();
  if (r.has_previous())
    out << " (" << Arrow(true, r.rank_change()) << ", " << r.previous_rank() << " in " << r.year() - 1 << ")";
  out << (r.sample_data() ? "  [sample data]" : "") << "\n";
  PrintPredecessors(out, r);
  if (r.fields().empty()) return;
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : r.fields()) rows.push_back({f.code(), f.name(), f.points(), f.max_points(), f.percent() + "%"});
  PrintTable(out, {"Lĩnh vực", "Tên", "Điểm", "Tối đa", "Chỉ số thành phần"}, rows);
}

void PrintRanking(std::ostream& out, const scoring_v1::Ranking& ranking) {
  out << "Chỉ số CCHC " << ranking.year() << " — " << scoring_v1::UnitKind_Name(ranking.unit_kind()) << " ("
      << ranking.period() << ")\n";
  std::vector<std::vector<std::string>> rows;
  bool any_sample = false;
  for (const auto& r : ranking.results()) {
    any_sample = any_sample || r.sample_data();
    rows.push_back({std::to_string(r.rank()), r.unit_name() + (r.sample_data() ? " *" : ""), r.total(),
                    r.total_change(), r.has_previous() ? std::to_string(r.previous_rank()) : "",
                    Arrow(r.has_previous(), r.rank_change())});
  }
  PrintTable(out, {"Hạng", "Đơn vị", "Điểm", "± điểm", "Hạng " + std::to_string(ranking.year() - 1), "± hạng"}, rows);
  for (const auto& r : ranking.results()) {
    if (r.predecessors().empty() || r.has_previous()) continue;
    out << r.unit_name() << " (" << r.unit_code() << ") is new since " << ranking.year() - 1 << ", no change shown:\n";
    PrintPredecessors(out, r);
  }
  out << "average " << ranking.average() << "; " << ranking.improved_units() << "/" << ranking.compared_units()
      << " improved vs " << ranking.year() - 1 << "\n";
  if (any_sample) out << "* sample data (invented for the demo, not an official figure)\n";
}

void PrintRankingCsv(std::ostream& out, const scoring_v1::Ranking& ranking) {
  out << "rank,unit_code,unit_name,total,total_change,previous_rank,rank_change,sample_data\n";
  for (const auto& r : ranking.results())
    out << r.rank() << ',' << CsvCell(r.unit_code()) << ',' << CsvCell(r.unit_name()) << ',' << r.total() << ','
        << r.total_change() << ',' << (r.has_previous() ? std::to_string(r.previous_rank()) : "") << ','
        << (r.has_previous() ? std::to_string(r.rank_change()) : "") << ',' << (r.sample_data() ? "true" : "false")
        << '\n';
}

void AddScoringResultCommands(CLI::App* scoring, Action* slot) {
  auto args = std::make_shared<ResultArgs>();
  CLI::App* result = scoring->add_subcommand("result", "One unit's published result: points, change, rank, fields");
  result->add_option("--year", args->year, "Year assessed (with --kind)");
  result->add_option("--kind", args->kind, "PROVINCE, DEPARTMENT, DISTRICT or SUBORDINATE_UNIT");
  result->add_option("--period", args->period, "periods/{id} (instead of --year and --kind)");
  result->add_option("--unit", args->unit, "Unit code, e.g. SOC_TRANG")->required();
  OnRun(result, slot, args, &RunResult);

  CLI::App* ranking = scoring->add_subcommand("ranking", "A published ranking with changes (▲6 / ▼2 / =)");
  ranking->add_option("--year", args->year, "Year assessed (with --kind)");
  ranking->add_option("--kind", args->kind, "PROVINCE, DEPARTMENT, DISTRICT or SUBORDINATE_UNIT");
  ranking->add_option("--period", args->period, "periods/{id} (instead of --year and --kind)");
  ranking->add_flag("--csv", args->csv, "Print CSV instead of a table");
  OnRun(ranking, slot, args, &RunRanking);

  CLI::App* card = scoring->add_subcommand("scorecard", "A unit's sheet: every criterion, self and appraised");
  card->add_option("--period", args->period, "periods/{id}")->required();
  card->add_option("--unit", args->unit, "Unit code")->required();
  OnRun(card, slot, args, &RunScorecard);
}

}  // namespace cchc::cchcctl
