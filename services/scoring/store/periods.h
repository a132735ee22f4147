#pragma once
// Assessment periods (kỳ đánh giá, table periods) and their state machine (rules/period_state.h). Every state
// change subscribers see writes its event to the outbox in the same transaction; checks run under the
// period's row lock, so two callers racing cannot both pass one. Failures are DomainErrors.
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"
#include "store/results.h"

namespace cchc::scoring {

// The statements this store runs; every pooled connection prepares them.
std::vector<db::Statement> PeriodStatements();

// A period row: the resource and the ids its names carry.
struct StoredPeriod {
  int64_t id = 0;
  int64_t framework_id = 0;
  v1::Period period;
};

// The period `id` read in `tx`; nullopt when there is none.
std::optional<StoredPeriod> ReadPeriod(pqxx::transaction_base& tx, int64_t id);
// The same, locked for update (`exclusive`) or for share until `tx` ends; kNotFound when there is none.
StoredPeriod LockPeriod(pqxx::work& tx, int64_t id, bool exclusive);
// kFailedPrecondition unless `period` is in `state`, which `action` (for the message) needs.
void RequirePeriodState(const v1::Period& period, v1::PeriodState state, const std::string& action);
// Moves the period to `state` (and marks it imported when `imported`).
void SetPeriodState(pqxx::work& tx, int64_t id, v1::PeriodState state, bool imported);

class PeriodStore {
 public:
  // `plan` ranks the results a period publishes and builds their event (results_publishing.h).
  PeriodStore(db::Pool& pool, PublicationPlanner plan) : pool_(pool), plan_(std::move(plan)) {}

  // A period in OPEN for the unit kind of framework `framework_id`. kNotFound (framework); kAlreadyExists for
  // a second period of that year and kind.
  v1::Period Create(const v1::Period& p, int64_t framework_id, const std::string& principal);
  // nullopt when there is none.
  std::optional<v1::Period> Get(int64_t id);
  std::optional<v1::Period> Find(int year, v1::UnitKind kind);
  // Newest first; UNIT_KIND_UNSPECIFIED lists every kind.
  std::vector<v1::Period> List(v1::UnitKind kind);
  // One step on from `expected` (kFailedPrecondition when the period is elsewhere), with its event; into
  // PUBLISHED it computes and publishes the results of every appraised assessment.
  v1::Period Advance(int64_t id, v1::PeriodState expected);
  // OPEN → PUBLISHED with the given totals. kFailedPrecondition (state), kNotFound (unknown unit), kInvalid
  // (unit of another kind, unknown field code, field points above the field's maximum).
  v1::Period ImportResults(int64_t id, const std::vector<UnitTotals>& results);

 private:
  db::Pool& pool_;
  PublicationPlanner plan_;
};

}  // namespace cchc::scoring
