#pragma once
// Units (đơn vị) — departments, districts, communes — that are assessed and ranked (table units). Failures are
// DomainErrors (platform/domain_error.h).
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"

namespace cchc::scoring {

// The statements this store runs; every pooled connection prepares them.
std::vector<db::Statement> UnitStatements();

// The unit `code`, read in `tx`; nullopt when there is none.
std::optional<v1::Unit> ReadUnit(pqxx::transaction_base& tx, const std::string& code);
// The unit `code`, which a period of `kind` assesses. kNotFound, or kInvalid when it is of another kind; both
// messages start with `field`.
v1::Unit RequireUnitOfKind(pqxx::transaction_base& tx, const std::string& code, v1::UnitKind kind,
                           const std::string& field);

class UnitStore {
 public:
  explicit UnitStore(db::Pool& pool) : pool_(pool) {}

  // Stores a validated unit; kAlreadyExists when the code is taken.
  v1::Unit Create(const v1::Unit& unit);
  // nullopt when there is none.
  std::optional<v1::Unit> Get(const std::string& code);
  // By kind, then code; UNIT_KIND_UNSPECIFIED lists every kind.
  std::vector<v1::Unit> List(v1::UnitKind kind);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::scoring
