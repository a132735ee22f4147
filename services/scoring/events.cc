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

}  // namespace cchc::scoring
