#include "versions.h"

#include "platform/domain_error.h"
#include "rules/versions.h"
#include "store/document_rows.h"

namespace cchc::document {
namespace {

// KeepVersion: $1 the id, $2 the snapshot, $3 the body, $4 the paths, $5 the principal; the row's new number.
const db::Statement kKeep{
    "version_keep",
    "WITH kept AS (INSERT INTO document_versions (document_id, version, snapshot, body, changed_fields, author, "
    "created_at) SELECT d.id, d.content_version, $2, $3, d.content_changed, COALESCE(d.content_author, d.created_by), "
    "COALESCE(d.content_at, d.created_at) FROM documents d WHERE d.id = $1::uuid) UPDATE documents SET "
    "content_version = content_version + 1, content_changed = $4::text[], content_author = $5, content_at = "
    "clock_timestamp() WHERE id = $1::uuid RETURNING content_version"};
// KeepVersion: drops versions 2 .. $2 - 1 of document $1.
const db::Statement kPrune{"version_prune",
                           "DELETE FROM document_versions WHERE document_id = $1::uuid AND version >= 2 AND version < "
                           "$2::integer"};
// List and Get: the document as it is, and who made its current version, when and with which paths. The body
// comes last: right after Columns() a row reads as FullColumns() (document_rows.cc, Locate).
const db::Statement kCurrent{"version_current",
                             "SELECT " + Columns() +
                                 ", d.content_changed, COALESCE(d.content_author, d.created_by) AS content_author, " +
                                 db::EpochMicros("COALESCE(d.content_at, d.created_at)") +
                                 " AS content_us, d.body FROM documents d WHERE d.id = $1::uuid"};
// List: the kept versions of document $1 below number $2, newest first, at most $3; no body.
const db::Statement kListVersions{
    "version_list", "SELECT version, snapshot, changed_fields, author, " + db::EpochMicros("created_at") +
                        " AS created_us FROM document_versions WHERE document_id = $1::uuid AND version < "
                        "$2::integer ORDER BY version DESC LIMIT $3"};
// Get: version $2 of document $1.
const db::Statement kGetVersion{
    "version_get", "SELECT version, snapshot, body, changed_fields, author, " + db::EpochMicros("created_at") +
                       " AS created_us FROM document_versions WHERE document_id = $1::uuid AND "
                       "version = $2::integer"};

// The current version of the document of a kCurrent row, with its body when `with_body`.
v1::DocumentVersion CurrentVersionOf(const pqxx::row& r, const v1::Document& doc, bool with_body) {
  v1::DocumentVersion v;
  const std::string id = doc.name().substr(std::string("documents/").size());
  v.set_version(doc.version());
  v.set_name(VersionName(id, doc.version()));
  *v.mutable_document() = VersionSnapshot(doc, doc.version());
  if (!with_body) v.mutable_document()->clear_body();
  for (auto& path : db::ParseTextArray(r["content_changed"])) v.add_changed_fields(std::move(path));
  v.set_author(r["content_author"].as<std::string>());
  db::SetTimestamp(v.mutable_create_time(), r["content_us"].as<int64_t>());
  return v;
}

// A kept version of a kListVersions row, or of a kGetVersion row `with_body`.
v1::DocumentVersion KeptVersionOf(const std::string& id, const pqxx::row& r, bool with_body) {
  v1::DocumentVersion v;
  v.set_version(r["version"].as<int64_t>());
  v.set_name(VersionName(id, v.version()));
  pqxx::binarystring snapshot(r["snapshot"]);
  if (!v.mutable_document()->ParseFromString(snapshot.str()))
    throw std::runtime_error("document_versions: snapshot of " + v.name() + " does not parse");
  if (with_body) v.mutable_document()->set_body(r["body"].as<std::string>());
  for (auto& path : db::ParseTextArray(r["changed_fields"])) v.add_changed_fields(std::move(path));
  v.set_author(r["author"].as<std::string>());
  db::SetTimestamp(v.mutable_create_time(), r["created_us"].as<int64_t>());
  return v;
}

// The document as it is, after `check`; kNotFound when there is none.
std::pair<pqxx::result, v1::Document> Current(pqxx::transaction_base& tx, const std::string& id,
                                              const std::string& field, const VersionStore::Check& check) {
  auto r = tx.exec_prepared(kCurrent.name, id);
  if (r.empty()) ThrowNotFound(field + ": documents/" + id + " does not exist");
  v1::Document doc = DocumentOf(r[0]);
  doc.set_body(r[0]["body"].as<std::string>());
  check(doc);
  return {std::move(r), std::move(doc)};
}

}  // namespace

std::vector<db::Statement> VersionStatements() {
  return {kKeep, kPrune, kCurrent, kListVersions, kGetVersion};
}

void KeepVersion(pqxx::transaction_base& tx, const std::string& id, const v1::Document& before,
                 const std::vector<std::string>& changed, const std::string& principal, int max_kept) {
  v1::Document snapshot = VersionSnapshot(before, before.version());
  snapshot.clear_body();
  const std::string bytes = snapshot.SerializeAsString();
  auto r = tx.exec_prepared(kKeep.name, id, pqxx::binarystring(bytes.data(), bytes.size()), before.body(),
                            db::TextArrayLiteral(changed), principal);
  const int64_t newest = r[0]["content_version"].as<int64_t>();
  if (const int64_t first_kept = FirstKeptAfterTheFirst(newest, max_kept); first_kept > 2)
    tx.exec_prepared(kPrune.name, id, first_kept);
}

VersionPage VersionStore::List(const std::string& id, int64_t below, int limit, const Check& check) {
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto [current, doc] = Current(tx, id, "parent", check);
        VersionPage page;
        // The kept versions are read below the current number read first: an update in between adds the version
        // read as current, not listed twice.
        if (below == 0 || below > doc.version()) {
          page.versions.push_back(CurrentVersionOf(current[0], doc, false));
          below = doc.version();
        }
        // One more than the page holds: whether there is a next page.
        const int rest = limit - static_cast<int>(page.versions.size());
        for (const auto& row : tx.exec_prepared(kListVersions.name, id, below, rest + 1))
          page.versions.push_back(KeptVersionOf(id, row, false));
        if (static_cast<int>(page.versions.size()) > limit) {
          page.versions.pop_back();
          page.next = page.versions.back().version();
        }
        return page;
      },
      true);
}

std::optional<v1::DocumentVersion> VersionStore::Get(const std::string& id, int64_t version, const Check& check) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::DocumentVersion> {
        pqxx::nontransaction tx(c);
        auto [current, doc] = Current(tx, id, "name", check);
        if (version == doc.version()) return CurrentVersionOf(current[0], doc, true);
        if (version > doc.version()) return std::nullopt;
        auto r = tx.exec_prepared(kGetVersion.name, id, version);
        if (r.empty()) return std::nullopt;
        return KeptVersionOf(id, r[0], true);
      },
      true);
}

}  // namespace cchc::document
