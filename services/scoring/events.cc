#include "events.h"

namespace cchc::scoring {
namespace {

outbox::PendingEvent Entry(const std::string& period, const std::string& subject, const std::string& type,
                           const google::protobuf::Message& m) {
  outbox::PendingEvent e;
  e.topic = kTopic;
  e.aggregate_type = "period";
  e.aggregate_id = period;
  e.subject = subject;
  e.type = std::string("cchc.scoring.v1.") + type;
  e.payload = m.SerializeAsString();
  return e;
}

}  // namespace

outbox::PendingEvent MakePeriodOpened(const v1::Period& period) {
  v1::PeriodOpened m;
  m.set_period(period.name());
  m.set_year(period.year());
  m.set_framework(period.framework());
  m.set_unit_kind(v1::UnitKind_Name(period.unit_kind()));
  m.set_title(period.title());
  m.set_self_assessment_deadline(period.self_assessment_deadline());
  m.set_appraisal_deadline(period.appraisal_deadline());
  return Entry(period.name(), period.name(), "PeriodOpened", m);
}

outbox::PendingEvent MakeAssessmentSubmitted(const v1::AssessmentSubmitted& m) {
  return Entry(m.period(), m.period() + "/assessments/" + m.unit_code(), "AssessmentSubmitted", m);
}

outbox::PendingEvent MakeAssessmentAppraised(const v1::AssessmentAppraised& m) {
  return Entry(m.period(), m.period() + "/assessments/" + m.unit_code(), "AssessmentAppraised", m);
}

outbox::PendingEvent MakeResultsPublished(const v1::ResultsPublished& m) {
  return Entry(m.period(), m.period(), "ResultsPublished", m);
}

outbox::PendingEvent MakeUnitsChanged(const v1::UnitChange& change, v1::UnitKind kind) {
  v1::UnitsChanged m;
  m.set_kind(v1::UnitChangeKind_Name(change.kind()));
  m.set_effective_date(change.effective_date());
  m.set_unit_kind(v1::UnitKind_Name(kind));
  for (const auto& p : change.predecessors()) m.add_predecessors(p);
  for (const auto& s : change.successors()) m.add_successors(s.code());
  m.set_source(change.source());
  std::string unit = "units/" + change.successors(0).code();
  outbox::PendingEvent e = Entry(unit, unit, "UnitsChanged", m);
  e.aggregate_type = "unit";
  return e;
}

}  // namespace cchc::scoring
