#pragma once
// The scoring service's events, as outbox entries on topic cchc.scoring.v1 (proto/cchc/scoring/v1/events.proto),
// keyed by the period's name so one period's events stay in order (UnitsChanged by its first successor unit).
#include <string>

#include "cchc/scoring/v1/events.pb.h"
#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/outbox.h"

namespace cchc::scoring {

inline constexpr const char* kTopic = "cchc.scoring.v1";
inline constexpr const char* kSource = "/cchc/scoring";

outbox::PendingEvent MakePeriodOpened(const v1::Period& period);
outbox::PendingEvent MakeAssessmentSubmitted(const v1::AssessmentSubmitted& event);
outbox::PendingEvent MakeAssessmentAppraised(const v1::AssessmentAppraised& event);
outbox::PendingEvent MakeResultsPublished(const v1::ResultsPublished& event);
// Keyed by "units/<first successor>" (aggregate type "unit"), not by a period.
outbox::PendingEvent MakeUnitsChanged(const v1::UnitChange& change, v1::UnitKind kind);

}  // namespace cchc::scoring
