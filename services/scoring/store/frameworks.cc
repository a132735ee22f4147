#include "store/frameworks.h"

#include "platform/domain_error.h"
#include "store/params.h"

namespace cchc::scoring {
namespace {

using Kind = DomainErrorKind;

v1::Framework FrameworkFromRow(const pqxx::row& r) {
  v1::Framework f;
  f.set_name("frameworks/" + r["id"].as<std::string>());
  f.set_code(r["code"].as<std::string>());
  f.set_version(r["version"].as<int>());
  f.set_title(r["title"].as<std::string>());
  f.set_unit_kind(static_cast<v1::UnitKind>(r["unit_kind"].as<int>()));
  f.set_year(r["year"].as<int>());
  f.set_source(r["source"].as<std::string>());
  f.set_total_max(r["total_max"].as<std::string>());
  f.set_in_use(r["in_use"].as<bool>());
  return f;
}

const db::Statement kGetFramework{
    "scoring_framework_get",
    "SELECT f.id, f.code, f.version, f.title, f.unit_kind, f.year, f.source, f.total_max::text AS total_max, "
    "EXISTS (SELECT 1 FROM periods p WHERE p.framework_id = f.id) AS in_use FROM frameworks f WHERE f.id = $1"};

// A tree's nodes in order: fields (level 0), criteria (1) and sub-criteria (2), each after its parent.
const db::Statement kFrameworkNodes{
    "scoring_framework_nodes",
    "SELECT level, code, name, max_points::text AS max_points, rule, evidence_required, scoring_guide "
    "FROM framework_nodes WHERE framework_id = $1 ORDER BY position"};

void LoadTree(pqxx::transaction_base& tx, int64_t id, v1::Framework* f) {
  v1::Field* field = nullptr;
  v1::Criterion* criterion = nullptr;
  for (const auto& r : tx.exec_prepared(kFrameworkNodes.name, id)) {
    int level = r["level"].as<int>();
    if (level == 0) {
      field = f->add_fields();
      field->set_code(r["code"].as<std::string>());
      field->set_name(r["name"].as<std::string>());
      field->set_max_points(r["max_points"].as<std::string>());
      continue;
    }
    v1::Criterion* c = level == 1 || criterion == nullptr ? field->add_criteria() : criterion->add_sub_criteria();
    if (level == 1) criterion = c;
    c->set_code(r["code"].as<std::string>());
    c->set_name(r["name"].as<std::string>());
    c->set_max_points(r["max_points"].as<std::string>());
    c->set_rule(static_cast<v1::ScoringRule>(r["rule"].as<int>()));
    c->set_evidence_required(r["evidence_required"].as<bool>());
    c->set_scoring_guide(r["scoring_guide"].as<std::string>());
  }
}

const db::Statement kInsertNode{
    "scoring_framework_node_insert",
    "INSERT INTO framework_nodes (framework_id, position, level, code, name, max_points, rule, evidence_required, "
    "scoring_guide) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7, $8, $9)"};

void WriteTree(pqxx::work& tx, int64_t id, const v1::Framework& f) {
  int position = 0;
  auto node = [&](int level, const std::string& code, const std::string& name, const std::string& max, int rule,
                  bool evidence, const std::string& guide) {
    tx.exec_prepared(kInsertNode.name, id, position++, level, code, name, max, rule, evidence, guide);
  };
  for (const auto& field : f.fields()) {
    node(0, field.code(), field.name(), field.max_points(), 0, false, "");
    for (const auto& c : field.criteria()) {
      node(1, c.code(), c.name(), c.max_points(), c.rule(), c.evidence_required(), c.scoring_guide());
      for (const auto& s : c.sub_criteria())
        node(2, s.code(), s.name(), s.max_points(), s.rule(), s.evidence_required(), s.scoring_guide());
    }
  }
}

// The new framework's id; no row when (code, version) is taken.
const db::Statement kInsertFramework{
    "scoring_framework_insert",
    "INSERT INTO frameworks (code, version, title, unit_kind, year, source, total_max, created_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8) ON CONFLICT (code, version) DO NOTHING RETURNING id"};

const db::Statement kListFrameworks{
    "scoring_framework_list",
    "SELECT f.id, f.code, f.version, f.title, f.unit_kind, f.year, f.source, f.total_max::text AS total_max, "
    "EXISTS (SELECT 1 FROM periods p WHERE p.framework_id = f.id) AS in_use FROM frameworks f "
    "WHERE ($1::smallint IS NULL OR f.unit_kind = $1) ORDER BY f.year DESC, f.code, f.version DESC LIMIT 500"};

const db::Statement kLockFramework{"scoring_framework_lock", "SELECT id FROM frameworks WHERE id = $1 FOR UPDATE"};
const db::Statement kUpdateFramework{
    "scoring_framework_update",
    "UPDATE frameworks SET title = $2, unit_kind = $3, year = $4, source = $5, total_max = $6::numeric "
    "WHERE id = $1"};
const db::Statement kDeleteNodes{"scoring_framework_nodes_delete",
                                 "DELETE FROM framework_nodes WHERE framework_id = $1"};

const db::Statement kMaxVersion{"scoring_framework_max_version",
                                "SELECT max(version) AS version FROM frameworks WHERE code = $1"};

}  // namespace

std::vector<db::Statement> FrameworkStatements() {
  return {kGetFramework,  kFrameworkNodes,  kInsertNode,  kInsertFramework, kListFrameworks,
          kLockFramework, kUpdateFramework, kDeleteNodes, kMaxVersion};
}

std::optional<v1::Framework> ReadFrameworkHeader(pqxx::transaction_base& tx, int64_t id) {
  auto r = tx.exec_prepared(kGetFramework.name, id);
  if (r.empty()) return std::nullopt;
  return FrameworkFromRow(r[0]);
}

std::optional<v1::Framework> ReadFramework(pqxx::transaction_base& tx, int64_t id) {
  auto f = ReadFrameworkHeader(tx, id);
  if (f) LoadTree(tx, id, &*f);
  return f;
}

v1::Framework FrameworkStore::Create(const v1::Framework& f, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kInsertFramework.name, f.code(), f.version(), f.title(), static_cast<int>(f.unit_kind()),
                              f.year(), f.source(), f.total_max(), principal);
    if (r.empty())
      throw DomainError(
          Kind::kAlreadyExists,
          "framework.version: " + f.code() + " version " + std::to_string(f.version()) + " already exists",
          platform::v1::DUPLICATE_VERSION);
    int64_t id = r[0]["id"].as<int64_t>();
    WriteTree(tx, id, f);
    v1::Framework out = *ReadFramework(tx, id);
    tx.commit();
    return out;
  });
}

std::optional<v1::Framework> FrameworkStore::Get(int64_t id) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::read_transaction tx(c);
        return ReadFramework(tx, id);
      },
      true);
}

std::vector<v1::Framework> FrameworkStore::List(v1::UnitKind kind) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string k;
        std::vector<v1::Framework> out;
        for (const auto& r : tx.exec_prepared(kListFrameworks.name, KindParam(kind, &k)))
          out.push_back(FrameworkFromRow(r));
        return out;
      },
      true);
}

v1::Framework FrameworkStore::Update(int64_t id, const v1::Framework& f) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (tx.exec_prepared(kLockFramework.name, id).empty())
      throw DomainError(Kind::kNotFound, "framework.name: frameworks/" + std::to_string(id) + " does not exist");
    auto current = *ReadFramework(tx, id);
    if (current.in_use())
      throw DomainError(Kind::kFailedPrecondition,
                        "framework.name: " + current.name() + " (" + current.code() + " version " +
                            std::to_string(current.version()) +
                            ") is used by a period and can no longer change; create a "
                            "new version",
                        platform::v1::FRAMEWORK_IN_USE);
    tx.exec_prepared(kUpdateFramework.name, id, f.title(), static_cast<int>(f.unit_kind()), f.year(), f.source(),
                     f.total_max());
    tx.exec_prepared(kDeleteNodes.name, id);
    WriteTree(tx, id, f);
    v1::Framework out = *ReadFramework(tx, id);
    tx.commit();
    return out;
  });
}

v1::Framework FrameworkStore::NewVersion(int64_t id, const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto source = ReadFramework(tx, id);
    if (!source) throw DomainError(Kind::kNotFound, "name: frameworks/" + std::to_string(id) + " does not exist");
    int version = tx.exec_prepared(kMaxVersion.name, source->code())[0]["version"].as<int>() + 1;
    auto r = tx.exec_prepared(kInsertFramework.name, source->code(), version, source->title(),
                              static_cast<int>(source->unit_kind()), source->year(), source->source(),
                              source->total_max(), principal);
    if (r.empty()) throw DomainError(Kind::kConflict, "name: another version was created at the same time; retry");
    int64_t copy = r[0]["id"].as<int64_t>();
    WriteTree(tx, copy, *source);
    v1::Framework out = *ReadFramework(tx, copy);
    tx.commit();
    return out;
  });
}

}  // namespace cchc::scoring
