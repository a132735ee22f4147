#pragma once
// Versions (phiên bản) of documents in storage, issue 29. DocumentStore::Modify keeps the state an update replaces
// (KeepVersion, in its transaction); VersionStore reads them. The current version is the documents row itself
// (content_version and who made it); the earlier ones are rows of document_versions (migration 008), at most
// --max-document-versions in all, the first always kept.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "platform/db.h"

namespace cchc::document {

// The statements KeepVersion and VersionStore run, for the pool to prepare on every connection.
std::vector<db::Statement> VersionStatements();

// In `tx`, before the update of document `id` (its row locked): copies the row as it is — `before`, the document
// read from it — into document_versions, gives the row the next version number, made by `principal` with
// `changed` (the update mask's paths), and drops the oldest versions but the first past `max_kept` (≥ 2).
void KeepVersion(pqxx::transaction_base& tx, const std::string& id, const v1::Document& before,
                 const std::vector<std::string>& changed, const std::string& principal, int max_kept);

// A page of versions, newest first: `next` is the number to continue below (0: no more).
struct VersionPage {
  std::vector<v1::DocumentVersion> versions;
  int64_t next = 0;
};

class VersionStore {
 public:
  explicit VersionStore(db::Pool& pool) : pool_(pool) {}

  // `check` sees the document as it is and throws to refuse. kNotFound when it does not exist.
  using Check = std::function<void(const v1::Document&)>;

  // Versions numbered below `below` (0: from the current one), at most `limit`, without their bodies.
  VersionPage List(const std::string& id, int64_t below, int limit, const Check& check);
  // Version `version` with the document's body; nullopt when there is no such version (never made, or dropped).
  std::optional<v1::DocumentVersion> Get(const std::string& id, int64_t version, const Check& check);

 private:
  db::Pool& pool_;
};

}  // namespace cchc::document
