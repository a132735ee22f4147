#pragma once
// Frameworks (bộ chỉ số) and their trees of fields and criteria (tables frameworks, framework_nodes). Input
// reaches the store validated (rules/framework.h); failures are DomainErrors (platform/domain_error.h).
#include <optional>
#include <pqxx/pqxx>
#include <vector>

#include "cchc/scoring/v1/scoring.pb.h"
#include "platform/db.h"

namespace cchc::scoring {

// The statements this store runs; every pooled connection prepares them.
std::vector<db::Statement> FrameworkStatements();

// The framework `id` with its tree, read in `tx`; nullopt when there is none.
std::optional<v1::Framework> ReadFramework(pqxx::transaction_base& tx, int64_t id);
// The same without the tree.
std::optional<v1::Framework> ReadFrameworkHeader(pqxx::transaction_base& tx, int64_t id);

class FrameworkStore {
 public:
  explicit FrameworkStore(db::Pool& pool) : pool_(pool) {}

  // Stores a validated framework; kAlreadyExists when its (code, version) is taken.
  v1::Framework Create(const v1::Framework& f, const std::string& principal);
  // nullopt when there is none.
  std::optional<v1::Framework> Get(int64_t id);
  // Without the trees, newest first; UNIT_KIND_UNSPECIFIED lists every kind.
  std::vector<v1::Framework> List(v1::UnitKind kind);
  // Replaces title, source, kind, year and tree. kNotFound; kFailedPrecondition when a period uses it.
  v1::Framework Update(int64_t id, const v1::Framework& f);
  // A copy at the code's highest version + 1. kNotFound; kConflict when another version won the race.
  v1::Framework NewVersion(int64_t id, const std::string& principal);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::scoring
