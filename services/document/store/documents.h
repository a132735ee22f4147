#pragma once
// Documents (văn bản) in the service's PostgreSQL schema. Every write that changes what subscribers see writes its
// event to the outbox in the same transaction, and every write its audit row (store/audit.h), `actor` the caller; reads
// are single prepared statements outside a transaction (one round trip). Refusals are cchc::DomainError
// (platform/domain_error.h); the callbacks a write takes may throw to refuse, and then nothing is written.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "events.h"
#include "platform/db.h"
#include "rules/code.h"
#include "rules/versions.h"
#include "rules/visibility.h"
#include "store/audit.h"
#include "store/listing.h"

namespace cchc::document {

// The statements DocumentStore runs (and AuditStore's), for the pool to prepare on every connection.
std::vector<db::Statement> DocumentStatements();

// What a Modify callback decided: the event to emit (if any), the fields it changed, and the edited document's
// code (số ký hiệu) as the service parsed it.
struct Mutation {
  EventKind event = EventKind::kNone;
  std::vector<std::string> changed_fields;
  DocumentCode code;
};

// A publish or a withdrawal: the status it sets, the reason (withdrawals) and the event it emits.
struct StatusChange {
  v1::DocumentStatus status;
  std::string withdraw_reason;
  EventKind event;
};

class DocumentStore {
 public:
  // Modify keeps the state it replaces as a version (store/versions.h), at most `max_versions` per document.
  explicit DocumentStore(db::Pool& pool, int max_versions = kDefaultMaxVersions)
      : pool_(pool), max_versions_(max_versions) {}
  db::Pool& pool() { return pool_; }

  // Inserts a draft with the parsed `code`. A (principal, request_id) seen before returns the first answer. A code
  // already used by the issuer that year: kAlreadyExists. `also` (optional) runs in the insert's transaction with
  // the new document's id (the outgoing register marks its reservation used); when it throws nothing is written.
  using AlsoInCreate = std::function<void(pqxx::transaction_base&, const std::string& document_id)>;
  v1::Document Create(const v1::Document& doc, const DocumentCode& code, const Actor& actor,
                      const std::string& request_id, const AlsoInCreate& also = {});

  // The document with its body and attachments; nullopt when there is none.
  std::optional<v1::Document> Get(const std::string& id);
  // The newest document whose folded code equals `lookup_key` (in `year` when non-zero) among those `visibility`
  // sees.
  std::optional<v1::Document> GetByCode(const std::string& lookup_key, int year, const Visibility& visibility);

  // A page of a list whose shape is prepared (listing.h: every reader's list, the sidebar); nullopt for any other
  // shape, which SearchStore::List plans per call.
  std::optional<ListPage> ListPrepared(const ListQuery& q, v1::DocumentView view = v1::FULL) {
    return document::ListPrepared(pool_, q, view);
  }

  // Sets the status and enqueues the change's event: `check` sees the document as it is. Optimistic: the write
  // applies only to the version `check` saw, and a change in between makes it read again (kConflict after a few).
  // Nothing indexed changes, so PostgreSQL can update the row in place (HOT). kNotFound if there is none.
  v1::Document ChangeStatus(const std::string& id, const StatusChange& change,
                            const std::function<void(const v1::Document& before)>& check, const Actor& actor);
  // Locks the row, lets `change` edit a copy, writes the copy back with a new etag and the event it asked for, and
  // returns the stored document. kNotFound if there is none; kAlreadyExists if the new code is taken.
  v1::Document Modify(const std::string& id, const std::function<Mutation(v1::Document&)>& change, const Actor& actor);
  // Deletes after `check` approves the current state, with its audit row and, for a document that was published,
  // DocumentDeleted. kNotFound if there is none.
  void Delete(const std::string& id, const std::function<void(const v1::Document&)>& check, const Actor& actor);

 private:
  db::Pool& pool_;
  int max_versions_;
};

}  // namespace cchc::document
