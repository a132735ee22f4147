#pragma once
// The scoring service's stores over one pool, one per aggregate, and what the pool and the migrator need.
#include <vector>

#include "platform/db.h"
#include "platform/migrations.h"
#include "store/assessments.h"
#include "store/frameworks.h"
#include "store/periods.h"
#include "store/results.h"
#include "store/units.h"

namespace cchc::scoring {

// The service's own migrations (generated from migrations/*.sql), in name order.
std::vector<db::Migration> Migrations();
// The statements every pooled connection prepares: every store's.
std::vector<db::Statement> Statements();

struct Stores {
  // `plan` ranks the results a period publishes (results_publishing.h: PlanPublication).
  Stores(db::Pool& pool, PublicationPlanner plan)
      : frameworks(pool), units(pool), periods(pool, std::move(plan)), assessments(pool), results(pool) {}

  FrameworkStore frameworks;
  UnitStore units;
  PeriodStore periods;
  AssessmentStore assessments;
  ResultStore results;
};

}  // namespace cchc::scoring
