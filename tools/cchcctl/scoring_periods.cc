// `cchcctl scoring period …` (list, create, advance) and the assessment steps: assess, submit, appraise,
// complete-appraisal.
#include <iostream>

#include "document_format.h"
#include "platform/dates.h"
#include "platform/errors.h"
#include "scoring_client.h"
#include "table.h"

namespace cchc::cchcctl {
namespace {

struct PeriodArgs {
  std::string period, framework, title, kind, self_deadline, appraisal_deadline, unit, criterion, points, text;
  std::vector<std::string> evidence, attachments;
  int year = 0;
};

void Show(const Client& client, const scoring_v1::Period& p) {
  if (client.options().json) return PrintJson(std::cout, p);
  PrintKeyValues(std::cout, {{"Tên", p.name()},
                             {"Kỳ đánh giá", p.title()},
                             {"Năm", std::to_string(p.year())},
                             {"Loại đơn vị", scoring_v1::UnitKind_Name(p.unit_kind())},
                             {"Bộ chỉ số", p.framework()},
                             {"Hạn tự đánh giá", dates::IsoToDisplay(p.self_assessment_deadline())},
                             {"Hạn thẩm định", dates::IsoToDisplay(p.appraisal_deadline())},
                             {"Trạng thái", scoring_v1::PeriodState_Name(p.state())}});
}

void ShowAssessment(const Client& client, const scoring_v1::Assessment& a) {
  if (client.options().json) return PrintJson(std::cout, a);
  std::cout << a.period() << " " << a.unit_code() << ": " << scoring_v1::AssessmentState_Name(a.state()) << ", self "
            << a.self_total() << ", appraised " << a.appraised_total() << "\n";
}

void RunList(Client& client, const PeriodArgs& a) {
  scoring_v1::ListPeriodsRequest req;
  req.set_unit_kind(ParseUnitKind(a.kind, "--kind"));
  scoring_v1::ListPeriodsResponse out;
  Scoring().Check(Scoring().Stub().ListPeriods(client.NewContext().get(), req, &out));
  if (client.options().json) return PrintJson(std::cout, out);
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : out.periods())
    rows.push_back({p.name(), std::to_string(p.year()), scoring_v1::UnitKind_Name(p.unit_kind()),
                    scoring_v1::PeriodState_Name(p.state()), p.framework(), p.title()});
  PrintTable(std::cout, {"Tên", "Năm", "Loại đơn vị", "Trạng thái", "Bộ chỉ số", "Kỳ đánh giá"}, rows);
}

void RunCreate(Client& client, const PeriodArgs& a) {
  scoring_v1::CreatePeriodRequest req;
  auto* p = req.mutable_period();
  p->set_year(a.year);
  p->set_framework(a.framework);
  p->set_title(a.title);
  p->set_self_assessment_deadline(a.self_deadline);
  p->set_appraisal_deadline(a.appraisal_deadline);
  scoring_v1::Period out;
  Scoring().Check(Scoring().Stub().CreatePeriod(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunAdvance(Client& client, const PeriodArgs& a) {
  scoring_v1::GetPeriodRequest get;
  get.set_name(a.period);
  scoring_v1::Period current, out;
  Scoring().Check(Scoring().Stub().GetPeriod(client.NewContext().get(), get, &current));
  scoring_v1::AdvancePeriodRequest req;
  req.set_name(a.period);
  req.set_expected_state(current.state());  // refused if someone moved it meanwhile
  Scoring().Check(Scoring().Stub().AdvancePeriod(client.NewContext().get(), req, &out));
  Show(client, out);
}

void RunAssess(Client& client, const PeriodArgs& a) {
  scoring_v1::SaveSelfAssessmentRequest req;
  req.set_period(a.period);
  req.set_unit_code(a.unit);
  auto* s = req.add_scores();
  s->set_criterion_code(a.criterion);
  s->set_self_points(a.points);
  s->set_explanation(a.text);
  for (const auto& e : a.evidence) s->add_evidence_document_codes(e);
  for (const auto& f : a.attachments) s->add_evidence_attachments(f);
  scoring_v1::Assessment out;
  Scoring().Check(Scoring().Stub().SaveSelfAssessment(client.NewContext().get(), req, &out));
  ShowAssessment(client, out);
}

void RunSubmit(Client& client, const PeriodArgs& a) {
  scoring_v1::SubmitAssessmentRequest req;
  req.set_period(a.period);
  req.set_unit_code(a.unit);
  scoring_v1::Assessment out;
  Scoring().Check(Scoring().Stub().SubmitAssessment(client.NewContext().get(), req, &out));
  ShowAssessment(client, out);
}

void RunAppraise(Client& client, const PeriodArgs& a) {
  scoring_v1::SaveAppraisalRequest req;
  req.set_period(a.period);
  req.set_unit_code(a.unit);
  auto* s = req.add_scores();
  s->set_criterion_code(a.criterion);
  s->set_appraised_points(a.points);
  s->set_appraisal_comment(a.text);
  scoring_v1::Assessment out;
  Scoring().Check(Scoring().Stub().SaveAppraisal(client.NewContext().get(), req, &out));
  ShowAssessment(client, out);
}

void RunComplete(Client& client, const PeriodArgs& a) {
  scoring_v1::CompleteAppraisalRequest req;
  req.set_period(a.period);
  req.set_unit_code(a.unit);
  scoring_v1::Assessment out;
  Scoring().Check(Scoring().Stub().CompleteAppraisal(client.NewContext().get(), req, &out));
  ShowAssessment(client, out);
}

}  // namespace

void AddScoringPeriodCommands(CLI::App* scoring, Action* slot) {
  auto args = std::make_shared<PeriodArgs>();
  CLI::App* period = scoring->add_subcommand("period", "Kỳ đánh giá: open → self-assessment → appraisal → published");
  period->require_subcommand(1);
  CLI::App* list = period->add_subcommand("list", "Periods, newest year first");
  list->add_option("--kind", args->kind, "Only this unit kind");
  OnRun(list, slot, args, &RunList);
  CLI::App* create = period->add_subcommand("create", "Create a period in OPEN (admin)");
  create->add_option("--year", args->year, "Year assessed")->required();
  create->add_option("--framework", args->framework, "frameworks/{id}")->required();
  create->add_option("--title", args->title, "Title")->required();
  create->add_option("--self-deadline", args->self_deadline, "Self-assessment deadline, yyyy-mm-dd");
  create->add_option("--appraisal-deadline", args->appraisal_deadline, "Appraisal deadline, yyyy-mm-dd");
  OnRun(create, slot, args, &RunCreate);
  CLI::App* advance = period->add_subcommand("advance", "Move a period one state on (admin)");
  advance->add_option("period", args->period, "periods/{id}")->required();
  OnRun(advance, slot, args, &RunAdvance);

  CLI::App* assess = scoring->add_subcommand("assess", "Self-score one criterion of your unit (scorer)");
  assess->add_option("--period", args->period, "periods/{id}")->required();
  assess->add_option("--unit", args->unit, "Your unit's code")->required();
  assess->add_option("--criterion", args->criterion, "Criterion code, e.g. 1.1")->required();
  assess->add_option("--points", args->points, "Points, e.g. 2.5")->required();
  assess->add_option("--explanation", args->text, "Giải trình");
  assess->add_option("--evidence", args->evidence, "Số/ký hiệu of a document (repeatable)");
  assess->add_option("--attachment", args->attachments, "A file reference (repeatable)");
  OnRun(assess, slot, args, &RunAssess);
  CLI::App* submit = scoring->add_subcommand("submit", "Submit your unit's self-assessment (scorer)");
  submit->add_option("--period", args->period, "periods/{id}")->required();
  submit->add_option("--unit", args->unit, "Your unit's code")->required();
  OnRun(submit, slot, args, &RunSubmit);
  CLI::App* appraise = scoring->add_subcommand("appraise", "Appraise one criterion of another unit (appraiser)");
  appraise->add_option("--period", args->period, "periods/{id}")->required();
  appraise->add_option("--unit", args->unit, "The unit's code")->required();
  appraise->add_option("--criterion", args->criterion, "Criterion code")->required();
  appraise->add_option("--points", args->points, "Appraised points")->required();
  appraise->add_option("--comment", args->text, "Ý kiến thẩm định");
  OnRun(appraise, slot, args, &RunAppraise);
  CLI::App* complete = scoring->add_subcommand("complete-appraisal", "Mark a unit's appraisal done (appraiser)");
  complete->add_option("--period", args->period, "periods/{id}")->required();
  complete->add_option("--unit", args->unit, "The unit's code")->required();
  OnRun(complete, slot, args, &RunComplete);
}

}  // namespace cchc::cchcctl
