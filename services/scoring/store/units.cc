#include "store/units.h"

#include <algorithm>

#include "events.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "store/params.h"

namespace cchc::scoring {
namespace {

using Kind = DomainErrorKind;

std::vector<std::string> SplitCodes(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    out.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

v1::Unit UnitFromRow(const pqxx::row& r) {
  v1::Unit u;
  u.set_name("units/" + r["code"].as<std::string>());
  u.set_code(r["code"].as<std::string>());
  u.set_display_name(r["display_name"].as<std::string>());
  u.set_kind(static_cast<v1::UnitKind>(r["kind"].as<int>()));
  u.set_parent(r["parent"].as<std::string>());
  u.set_sample_data(r["sample_data"].as<bool>());
  u.set_valid_from(r["valid_from"].as<std::string>());
  u.set_valid_to(r["valid_to"].as<std::string>());
  for (const auto& p : SplitCodes(r["predecessors"].as<std::string>())) u.add_predecessors(p);
  for (const auto& s : SplitCodes(r["successors"].as<std::string>())) u.add_successors(s);
  return u;
}

// The unit columns with validity and links ("A,B": codes never hold a comma).
const std::string kUnitColumns =
    "code, display_name, kind, parent, sample_data, COALESCE(valid_from::text, '') AS valid_from, "
    "COALESCE(valid_to::text, '') AS valid_to, "
    "COALESCE((SELECT string_agg(predecessor, ',' ORDER BY predecessor) FROM unit_lineage WHERE successor = "
    "units.code), '') AS predecessors, "
    "COALESCE((SELECT string_agg(successor, ',' ORDER BY successor) FROM unit_lineage WHERE predecessor = "
    "units.code), '') AS successors";

const db::Statement kGetUnit{"scoring_unit_get", "SELECT " + kUnitColumns + " FROM units WHERE code = $1"};
const db::Statement kLockUnit{"scoring_unit_lock", "SELECT " + kUnitColumns + " FROM units WHERE code = $1 FOR UPDATE"};

// The code; no row when it is taken.
const db::Statement kInsertUnit{"scoring_unit_insert",
                                "INSERT INTO units (code, display_name, kind, parent, sample_data, valid_from) "
                                "VALUES ($1, $2, $3, $4, $5, $6::date) ON CONFLICT (code) DO NOTHING RETURNING code"};

const db::Statement kListUnits{
    "scoring_unit_list",
    "SELECT " + kUnitColumns + " FROM units WHERE ($1::smallint IS NULL OR kind = $1) ORDER BY kind, code LIMIT 10000"};

const db::Statement kEndUnit{"scoring_unit_end", "UPDATE units SET valid_to = $2::date WHERE code = $1"};
const db::Statement kInsertLink{
    "scoring_lineage_insert",
    "INSERT INTO unit_lineage (predecessor, successor, change_kind, effective_date, source, created_by) "
    "VALUES ($1, $2, $3, $4::date, $5, $6)"};
const db::Statement kLinksOfKind{
    "scoring_lineage_of_kind",
    "SELECT l.predecessor, l.successor, l.change_kind, l.effective_date::text AS effective_date "
    "FROM unit_lineage l JOIN units u ON u.code = l.successor WHERE u.kind = $1 ORDER BY 1, 2"};
const db::Statement kLinksFrom{
    "scoring_lineage_from",
    "SELECT successor, change_kind, effective_date::text AS effective_date, source FROM unit_lineage "
    "WHERE predecessor = $1 ORDER BY successor"};

// Whether `change` is already recorded exactly (the same links, kind, date and source); kAlreadyExists when a
// successor's code is taken otherwise, kFailedPrecondition when a predecessor ended in another change.
bool AlreadyRecorded(pqxx::work& tx, const v1::UnitChange& change, const std::vector<v1::Unit>& predecessors) {
  std::vector<std::string> wanted;
  for (const auto& s : change.successors()) wanted.push_back(s.code());
  std::sort(wanted.begin(), wanted.end());
  bool any_ended = false;
  for (const auto& p : predecessors) {
    if (p.valid_to().empty()) continue;
    any_ended = true;
    std::vector<std::string> got;
    bool same = true;
    for (const auto& r : tx.exec_prepared(kLinksFrom.name, p.code())) {
      got.push_back(r["successor"].as<std::string>());
      same = same && r["change_kind"].as<int>() == static_cast<int>(change.kind()) &&
             r["effective_date"].as<std::string>() == change.effective_date() &&
             r["source"].as<std::string>() == change.source();
    }
    if (!same || got != wanted)
      throw DomainError(Kind::kFailedPrecondition,
                        "change.predecessors: " + p.code() + " already ended on " + p.valid_to() + " in another change",
                        platform::v1::WRONG_STATE);
  }
  if (any_ended) {
    for (const auto& p : predecessors)
      if (p.valid_to().empty())
        throw DomainError(Kind::kFailedPrecondition,
                          "change.predecessors: " + p.code() + " is still valid while the others ended",
                          platform::v1::WRONG_STATE);
    return true;
  }
  for (const auto& s : change.successors())
    if (ReadUnit(tx, s.code()))
      throw DomainError(Kind::kAlreadyExists, "change.successors: " + s.code() + " already exists",
                        platform::v1::DUPLICATE_CODE);
  return false;
}

}  // namespace

std::vector<db::Statement> UnitStatements() {
  return {kGetUnit, kLockUnit, kInsertUnit, kListUnits, kEndUnit, kInsertLink, kLinksOfKind, kLinksFrom};
}

std::vector<LineageLink> LineageOfKind(pqxx::transaction_base& tx, v1::UnitKind kind) {
  std::vector<LineageLink> out;
  for (const auto& r : tx.exec_prepared(kLinksOfKind.name, static_cast<int>(kind)))
    out.push_back({r["predecessor"].as<std::string>(), r["successor"].as<std::string>(),
                   static_cast<ChangeKind>(r["change_kind"].as<int>()), r["effective_date"].as<std::string>()});
  return out;
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
                         u.sample_data(), db::NullIfEmpty(u.valid_from()))
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

namespace cchc::scoring {

v1::UnitChange UnitStore::RecordChange(const v1::UnitChange& change, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::string day_before = *DayBefore(change.effective_date());
    std::vector<v1::Unit> predecessors;
    for (int i = 0; i < change.predecessors_size(); ++i) {
      std::string path = "change.predecessors[" + std::to_string(i) + "]";
      auto r = tx.exec_prepared(kLockUnit.name, change.predecessors(i));
      if (r.empty()) throw DomainError(Kind::kNotFound, path + ": no unit " + change.predecessors(i));
      predecessors.push_back(UnitFromRow(r[0]));
      const v1::Unit& p = predecessors.back();
      if (p.kind() != predecessors.front().kind())
        throw DomainError(Kind::kInvalid,
                          path + ": " + p.code() + " is a " + v1::UnitKind_Name(p.kind()) + ", " +
                              predecessors.front().code() + " a " + v1::UnitKind_Name(predecessors.front().kind()),
                          platform::v1::WRONG_UNIT_KIND);
      if (!p.valid_from().empty() && p.valid_from() > day_before)
        throw DomainError(Kind::kInvalid,
                          "change.effective_date: " + p.code() + " is valid only from " + p.valid_from(),
                          platform::v1::INVALID_FIELD);
    }
    v1::UnitChange out = change;
    if (!AlreadyRecorded(tx, change, predecessors)) {
      v1::UnitKind kind = predecessors.front().kind();
      for (auto& s : *out.mutable_successors()) {
        if (s.kind() != v1::UNIT_KIND_UNSPECIFIED && s.kind() != kind)
          throw DomainError(Kind::kInvalid,
                            "change.successors: " + s.code() + " would be a " + v1::UnitKind_Name(s.kind()) +
                                ", its predecessors are " + v1::UnitKind_Name(kind),
                            platform::v1::WRONG_UNIT_KIND);
        s.set_kind(kind);
        tx.exec_prepared(kInsertUnit.name, s.code(), s.display_name(), static_cast<int>(kind), s.parent(),
                         s.sample_data(), change.effective_date());
      }
      for (const auto& p : predecessors) {
        tx.exec_prepared(kEndUnit.name, p.code(), day_before);
        for (const auto& s : change.successors())
          tx.exec_prepared(kInsertLink.name, p.code(), s.code(), static_cast<int>(change.kind()),
                           change.effective_date(), change.source(), principal);
      }
      outbox::Enqueue(tx, MakeUnitsChanged(change, kind));
    }
    for (auto& s : *out.mutable_successors()) s = *ReadUnit(tx, s.code());
    tx.commit();
    return out;
  });
}

}  // namespace cchc::scoring
