#pragma once
// Units (đơn vị) — departments, districts, communes — that are assessed and ranked (table units). Failures are
// DomainErrors (platform/domain_error.h).
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"
#include "rules/lineage.h"

namespace cchc::scoring {

// The statements this store runs; every pooled connection prepares them.
std::vector<db::Statement> UnitStatements();

// The unit `code`, read in `tx`; nullopt when there is none.
std::optional<v1::Unit> ReadUnit(pqxx::transaction_base& tx, const std::string& code);
// The unit `code`, which a period of `kind` assesses. kNotFound, or kInvalid when it is of another kind; both
// messages start with `field`.
v1::Unit RequireUnitOfKind(pqxx::transaction_base& tx, const std::string& code, v1::UnitKind kind,
                           const std::string& field);

// Every lineage link whose successor is a unit of `kind`.
std::vector<LineageLink> LineageOfKind(pqxx::transaction_base& tx, v1::UnitKind kind);

class UnitStore {
 public:
  explicit UnitStore(db::Pool& pool) : pool_(pool) {}

  // Stores a validated unit; kAlreadyExists when the code is taken.
  v1::Unit Create(const v1::Unit& unit);
  // nullopt when there is none.
  std::optional<v1::Unit> Get(const std::string& code);
  // By kind, then code; UNIT_KIND_UNSPECIFIED lists every kind.
  std::vector<v1::Unit> List(v1::UnitKind kind);
  // Records a validated change (shape checked, successors' kinds unset) in one transaction: the successors
  // created valid from the effective date, the predecessors ended the day before, the links. The same change
  // again returns it unchanged. kNotFound (a predecessor), kInvalid (predecessors of several kinds, or not
  // valid the day before), kAlreadyExists (a successor's code taken), kFailedPrecondition (a predecessor
  // already ended by another change). A new change enqueues UnitsChanged in the same transaction.
  v1::UnitChange RecordChange(const v1::UnitChange& change, const std::string& principal);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::scoring
