#include "store/units.h"

#include "platform/domain_error.h"
#include "store/params.h"

namespace cchc::scoring {
namespace {

using Kind = DomainErrorKind;

v1::Unit UnitFromRow(const pqxx::row& r) {
  v1::Unit u;
  u.set_name("units/" + r["code"].as<std::string>());
  u.set_code(r["code"].as<std::string>());
  u.set_display_name(r["display_name"].as<std::string>());
  u.set_kind(static_cast<v1::UnitKind>(r["kind"].as<int>()));
  u.set_parent(r["parent"].as<std::string>());
  u.set_sample_data(r["sample_data"].as<bool>());
  return u;
}

const db::Statement kGetUnit{"scoring_unit_get",
                             "SELECT code, display_name, kind, parent, sample_data FROM units WHERE code = $1"};

// The code; no row when it is taken.
const db::Statement kInsertUnit{"scoring_unit_insert",
                                "INSERT INTO units (code, display_name, kind, parent, sample_data) "
                                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code) DO NOTHING RETURNING code"};

const db::Statement kListUnits{"scoring_unit_list",
                               "SELECT code, display_name, kind, parent, sample_data FROM units "
                               "WHERE ($1::smallint IS NULL OR kind = $1) ORDER BY kind, code LIMIT 10000"};

}  // namespace

std::vector<db::Statement> UnitStatements() {
  return {kGetUnit, kInsertUnit, kListUnits};
}

std::optional<v1::Unit> ReadUnit(pqxx::transaction_base& tx, const std::string& code) {
  auto r = tx.exec_prepared(kGetUnit.name, code);
  if (r.empty()) return std::nullopt;
  return UnitFromRow(r[0]);
}

v1::Unit RequireUnitOfKind(pqxx::transaction_base& tx, const std::string& code, v1::UnitKind kind,
                           const std::string& field) {
  auto u = ReadUnit(tx, code);
  if (!u) throw DomainError(Kind::kNotFound, field + ": no unit " + code);
  if (u->kind() != kind)
    throw DomainError(Kind::kInvalid,
                      field + ": unit " + code + " is a " + v1::UnitKind_Name(u->kind()) + ", the period assesses " +
                          v1::UnitKind_Name(kind),
                      platform::v1::WRONG_UNIT_KIND);
  return *u;
}

v1::Unit UnitStore::Create(const v1::Unit& u) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_prepared(kInsertUnit.name, u.code(), u.display_name(), static_cast<int>(u.kind()), u.parent(),
                         u.sample_data())
            .empty())
      throw DomainError(Kind::kAlreadyExists, "unit.code: " + u.code() + " already exists",
                        platform::v1::DUPLICATE_CODE);
    v1::Unit out = *ReadUnit(tx, u.code());
    tx.commit();
    return out;
  });
}

std::optional<v1::Unit> UnitStore::Get(const std::string& code) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        return ReadUnit(tx, code);
      },
      true);
}

std::vector<v1::Unit> UnitStore::List(v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string k;
        std::vector<v1::Unit> out;
        for (const auto& r : tx.exec_prepared(kListUnits.name, KindParam(kind, &k))) out.push_back(UnitFromRow(r));
        return out;
      },
      true);
}

}  // namespace cchc::scoring
