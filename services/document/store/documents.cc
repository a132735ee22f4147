#include "documents.h"

#include <algorithm>

#include "platform/cloudevents.h"
#include "platform/domain_error.h"
#include "platform/outbox.h"
#include "platform/request_replay.h"
#include "platform/search_text.h"
#include "platform/text.h"
#include "store/audit.h"
#include "store/document_rows.h"
#include "store/versions.h"

namespace cchc::document {
namespace {

// A status change that keeps meeting a newer version gives up after this many reads (kConflict).
constexpr int kStatusChangeAttempts = 5;

// The row's parameters $2..$29 of kInsert and kUpdate, in WriteRow's order, then its search vector from the
// weighted words $30..$32; $33 the principal, $34 the withdrawal reason, $35 the folded codes it replaces; the
// audit row's $36..$39 (AuditCte).
const std::string kRowParams =
    "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::date, $16, $17::date, $18::date, $19, $20, "
    "$21::text[], $22::text[], $23, $24, $25, $26, $27::text[], $28::text[], $29::smallint, "
    "setweight(to_tsvector('simple', $30), 'A') || setweight(to_tsvector('simple', $31), 'B') || "
    "setweight(to_tsvector('simple', $32), 'C')";

// Get, Create (the stored row), ChangeStatus (the version it changes).
const db::Statement kGet{"doc_get", "SELECT " + FullColumns() + " FROM documents d WHERE d.id = $1"};
// Modify and Delete: the row, locked until the transaction ends.
const db::Statement kGetForUpdate{"doc_get_for_update",
                                  "SELECT " + FullColumns() + " FROM documents d WHERE d.id = $1 FOR UPDATE OF d"};
// GetByCode: $1 the lookup key, $2 the year (0: any), $3 as UnpublishedOf.
const db::Statement kGetByCode{"doc_get_by_code",
                               "SELECT " + FullColumns() +
                                   " FROM documents d WHERE d.code_key = $1 AND ($2 = 0 OR "
                                   "d.issue_year = $2) AND ($3::text IS NULL OR d.status = 2 OR "
                                   "d.created_by = $3) ORDER BY d.issue_date DESC, d.seq DESC LIMIT 1"};
// Create: $1 the new id, then the row (WriteRow); returns the stored row, so a create needs no read after it. Its
// audit row is written by the same statement.
const db::Statement kInsert{
    "doc_insert",
    "WITH d AS (INSERT INTO documents AS d (id, code, code_key, number, number_value, symbol, code_form, "
    "type_abbreviation, "
    "type_key, type_name, issuer_code, issuer_key, issuer_name, drafting_unit, issue_date, issue_year, "
    "effective_date, expiry_date, subject, body, fields, field_keys, signer_name, signer_key, signer_position, "
    "signer_authority, related_codes, replaces_codes, status, search_vector, created_by, updated_by, "
    "withdraw_reason, replaces_keys) VALUES ($1::uuid, " +
        kRowParams + ", $33, $33, $34, $35::text[]) RETURNING d.*), " + AuditCte("d", "$33", 36) + " SELECT " +
        FullColumns() + " FROM d"};
// Modify: $1 the id, then the row (WriteRow); a new version, and the publish time when it is published first. Its
// audit row is written by the same statement.
const db::Statement kUpdate{
    "doc_update",
    "WITH d AS (UPDATE documents d SET (code, code_key, number, number_value, symbol, code_form, type_abbreviation, "
    "type_key, "
    "type_name, issuer_code, issuer_key, issuer_name, drafting_unit, issue_date, issue_year, effective_date, "
    "expiry_date, subject, body, fields, field_keys, signer_name, signer_key, signer_position, signer_authority, "
    "related_codes, replaces_codes, status, search_vector, updated_by, withdraw_reason, replaces_keys) = (" +
        kRowParams +
        ", $33, $34, $35::text[]), version = version + 1, updated_at = clock_timestamp(), "
        "published_at = CASE WHEN $29 = 2 AND published_at IS NULL THEN clock_timestamp() ELSE published_at END "
        "WHERE id = $1::uuid RETURNING d.*), " +
        AuditCte("d", "$33", 36) + " SELECT " + FullColumns() + " FROM d"};
// ChangeStatus: the row changes only if it is still at version $2, and its event goes into the outbox and its audit
// row ($16..$19) into audit_events in the same statement. $7 = 0: no publish time.
const db::Statement kSetStatus{
    "doc_set_status",
    "WITH changed AS (UPDATE documents SET status = $3::smallint, withdraw_reason = $4, updated_by = $5, "
    "version = version + 1, updated_at = " +
        db::FromEpochMicros("$6") + ", published_at = CASE WHEN $7::bigint = 0 THEN NULL ELSE " +
        db::FromEpochMicros("$7") + " END WHERE id = $1::uuid AND version = $2::bigint RETURNING id), " +
        AuditCte("changed", "$5", 16) + " INSERT INTO outbox " + outbox::kInsertColumns +
        " SELECT $8::uuid, $9, $10, $11, $12, $13, $14, $15 FROM changed"};
// Delete.
const db::Statement kDelete{"doc_delete", "DELETE FROM documents WHERE id = $1"};
// Replacements: the published documents that the published document $1 replaces (migration 011's documents_replaced_by
// seen from r = $1), with the replacement claimed (lifecycle_events) by this transaction. A document is announced
// replaced once, at its first replacement: one already announced (by this or another document) is not returned.
const db::Statement kClaimReplaced{
    "doc_claim_replaced",
    "WITH replaced AS (SELECT d.id FROM documents d JOIN documents r ON r.id = $1::uuid WHERE d.status = 2 AND "
    "d.code_key = ANY(r.replaces_keys) AND d.id <> r.id AND d.issue_date <= r.issue_date AND NOT EXISTS (SELECT 1 "
    "FROM documents n WHERE n.code_key = d.code_key AND n.id <> r.id AND n.issue_date <= r.issue_date AND "
    "(n.issue_date, n.seq) > (d.issue_date, d.seq))), claimed AS (INSERT INTO lifecycle_events (document_id, kind, "
    "announced) SELECT id, 3, '' FROM replaced ON CONFLICT DO NOTHING RETURNING document_id) SELECT " +
        FullColumns() + " FROM documents d JOIN claimed c ON c.document_id = d.id ORDER BY d.issue_date, d.seq"};

// The folded forms (code_key) of the codes a document replaces.
std::vector<std::string> ReplacesKeys(const v1::Document& d) {
  std::vector<std::string> keys;
  for (const auto& code : d.replaces_codes())
    if (std::string key = LookupKey(code); !key.empty()) keys.push_back(std::move(key));
  return keys;
}

// Writes the row through kInsert or kUpdate (same parameters), and its audit row.
pqxx::result WriteRow(pqxx::transaction_base& tx, const db::Statement& statement, const std::string& id,
                      const v1::Document& d, const DocumentCode& c, int status, const Actor& actor,
                      v1::AuditAction action, const std::vector<std::string>& changed_fields = {}) {
  std::string weight_a = search::SearchWords(c.text + " " + d.subject());
  std::string weight_b = search::SearchWords(c.type_name + " " + c.issuer_code + " " + d.issuer_name() + " " +
                                             d.drafting_unit() + " " + d.signer().name() + " " + [&] {
                                               std::string all;
                                               for (const auto& f : d.fields()) all += f + " ";
                                               return all;
                                             }());
  std::string weight_c = search::SearchWords(d.body());
  std::string type_key = text::Fold(c.type_abbreviation);
  return tx.exec_prepared(
      statement.name, id, c.text, c.lookup_key, c.number, c.number_value, c.symbol, static_cast<int>(c.form),
      c.type_abbreviation, type_key, c.type_name, c.issuer_code, text::Fold(c.issuer_code), d.issuer_name(),
      d.drafting_unit(), d.issue_date(), std::stoi(d.issue_date().substr(0, 4)), db::NullIfEmpty(d.effective_date()),
      db::NullIfEmpty(d.expiry_date()), d.subject(), d.body(), db::TextArrayLiteral(d.fields()),
      db::TextArrayLiteral(text::FoldEach(d.fields())), d.signer().name(), text::Fold(d.signer().name()),
      d.signer().position(), d.signer().authority(), db::TextArrayLiteral(d.related_codes()),
      db::TextArrayLiteral(d.replaces_codes()), status, weight_a, weight_b, weight_c, actor.unit, d.withdraw_reason(),
      db::TextArrayLiteral(ReplacesKeys(d)), actor.roles, static_cast<int>(action),
      db::TextArrayLiteral(changed_fields), AuditDetails(c.text));
}

// Announces (DocumentReplaced) each published document that the published `replacing` replaces and that was not
// announced as replaced before, in `tx`. The snapshot in each event is read after the change: validity
// REPLACED, replaced_by set (the first replacing document, which may be an earlier one).
void AnnounceReplacements(pqxx::work& tx, const v1::Document& replacing) {
  if (replacing.status() != v1::PUBLISHED || replacing.replaces_codes().empty()) return;
  const std::string id = replacing.name().substr(std::string("documents/").size());
  for (const auto& row : tx.exec_prepared(kClaimReplaced.name, id))
    outbox::Enqueue(tx, MakeReplacedEvent(FullDocumentOf(tx, row), replacing));
}

[[noreturn]] void ThrowDuplicate(const v1::Document& d) {
  throw DomainError(DomainErrorKind::kAlreadyExists,
                    "document.code: " + d.code() + " already exists for this issuer in " + d.issue_date().substr(0, 4),
                    platform::v1::DUPLICATE_CODE);
}

[[noreturn]] void ThrowMissing(const std::string& id) {
  ThrowNotFound("name: documents/" + id + " does not exist");
}

}  // namespace

std::vector<db::Statement> DocumentStatements() {
  std::vector<db::Statement> out = {
      kGet, kGetForUpdate, kGetByCode, kInsert, kUpdate, kSetStatus, kDelete, kClaimReplaced, AttachmentsStatement()};
  for (auto& s : ListingStatements()) out.push_back(std::move(s));
  for (auto& s : SearchIndexStatements()) out.push_back(std::move(s));
  for (auto& s : VersionStatements()) out.push_back(std::move(s));
  for (auto& s : AuditStatements()) out.push_back(std::move(s));  // the writes' audit rows, and the audit store's
  return out;
}

v1::Document DocumentStore::Create(const v1::Document& doc, const DocumentCode& code, const Actor& actor,
                                   const std::string& request_id, const AlsoInCreate& also) {
  const std::string& principal = actor.unit;
  // The insert returns the stored row. Without a request id it is one autocommit statement (one round trip
  // instead of BEGIN, INSERT, SELECT, COMMIT); with one, the replay record commits with the row.
  auto insert = [&](pqxx::transaction_base& tx) {
    const std::string id = events::NewUuid();
    v1::Document created;
    try {
      // No savepoint: a duplicate code ends the transaction anyway.
      created = FullDocumentOf(tx, WriteRow(tx, kInsert, id, doc, code, v1::DRAFT, actor, v1::AuditAction::CREATE)[0]);
    } catch (const pqxx::unique_violation&) {
      ThrowDuplicate(doc);
    }
    if (also) also(tx, id);
    return created;
  };
  return pool_.Run([&](pqxx::connection& c) {
    if (request_id.empty() && !also) {
      pqxx::nontransaction tx(c);
      return insert(tx);
    }
    pqxx::work tx(c);
    if (v1::Document first; !request_id.empty() && replay::Find(tx, principal, request_id, &first)) return first;
    v1::Document created = insert(tx);
    if (!request_id.empty()) replay::Remember(tx, principal, request_id, created);
    tx.commit();
    return created;
  });
}

std::optional<v1::Document> DocumentStore::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Document> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGet.name, id);
        if (r.empty()) return std::nullopt;
        return FullDocumentOf(tx, r[0]);
      },
      true);
}

std::optional<v1::Document> DocumentStore::GetByCode(const std::string& lookup_key, int year,
                                                     const Visibility& visibility) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Document> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared(kGetByCode.name, lookup_key, year, UnpublishedOf(visibility));
        if (r.empty()) return std::nullopt;
        return FullDocumentOf(tx, r[0]);
      },
      true);
}

v1::Document DocumentStore::Modify(const std::string& id, const std::function<Mutation(v1::Document&)>& change,
                                   const Actor& actor) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kGetForUpdate.name, id);
    if (r.empty()) ThrowMissing(id);
    v1::Document doc = FullDocumentOf(tx, r[0]);
    const v1::Document before = doc;
    Mutation m = change(doc);
    KeepVersion(tx, id, before, m.changed_fields, actor.unit, max_versions_);  // the state replaced, a version
    pqxx::result written;
    try {
      // No savepoint: a duplicate code ends the transaction anyway.
      written = WriteRow(tx, kUpdate, id, doc, m.code, doc.status(), actor, v1::AuditAction::UPDATE, m.changed_fields);
    } catch (const pqxx::unique_violation&) {
      ThrowDuplicate(doc);
    }
    v1::Document stored = FullDocumentOf(tx, written[0]);
    if (m.event != EventKind::kNone) outbox::Enqueue(tx, MakeEvent(m.event, stored, m.changed_fields));
    AnnounceReplacements(tx, stored);  // a published document's replaces_codes may have gained a code
    tx.commit();
    return stored;
  });
}

v1::Document DocumentStore::ChangeStatus(const std::string& id, const StatusChange& change,
                                         const std::function<void(const v1::Document& before)>& check,
                                         const Actor& actor) {
  const std::string& principal = actor.unit;
  // Two round trips and no BEGIN/COMMIT: a read, then one statement that writes the change and its event if
  // the row is still the version read. Another writer's change in between (every change of the row's content
  // takes a new version) makes it write nothing, and the change starts again from a fresh read. Publishing a
  // document that replaces others also announces them (DocumentReplaced): that one is a transaction.
  return pool_.Run([&](pqxx::connection& c) {
    for (int attempt = 1;; ++attempt) {
      std::optional<pqxx::nontransaction> single;
      std::optional<pqxx::work> work;
      single.emplace(c);
      pqxx::transaction_base* tx = &*single;
      auto r = single->exec_prepared(kGet.name, id);
      if (r.empty()) ThrowMissing(id);
      v1::Document stored = FullDocumentOf(*tx, r[0]);
      if (change.status == v1::PUBLISHED && !stored.replaces_codes().empty()) {
        single.reset();
        work.emplace(c);
        tx = &*work;
        r = work->exec_prepared(kGetForUpdate.name, id);  // the row as it is now, locked
        if (r.empty()) ThrowMissing(id);
        stored = FullDocumentOf(*work, r[0]);
      }
      const auto& row = r[0];
      check(stored);  // throws to refuse: nothing was written
      const int64_t version = row["version"].as<int64_t>();
      // This process's clock, never behind the row's last change.
      const int64_t now = std::max(db::NowMicros(), row["updated_us"].as<int64_t>() + 1);
      int64_t published = row["published_us"].as<int64_t>();
      if (change.status == v1::PUBLISHED && published == 0) published = now;
      stored.set_status(change.status);
      stored.set_withdraw_reason(change.withdraw_reason);
      stored.set_updated_by(principal);
      stored.set_etag(Etag(version + 1));
      db::SetTimestamp(stored.mutable_update_time(), now);
      if (published != 0) db::SetTimestamp(stored.mutable_publish_time(), published);
      outbox::PendingEvent e = MakeEvent(change.event, stored, {});
      outbox::CheckEventSize(e);  // this statement writes the outbox row itself
      auto written = tx->exec_prepared(
          kSetStatus.name, id, version, static_cast<int>(change.status), change.withdraw_reason, principal, now,
          published, events::NewUuid(), e.topic, e.aggregate_type, e.aggregate_id, e.type, e.subject,
          pqxx::binarystring(e.payload.data(), e.payload.size()), outbox::TraceParentOfRow(), actor.roles,
          static_cast<int>(change.status == v1::PUBLISHED ? v1::AuditAction::PUBLISH : v1::AuditAction::WITHDRAW),
          db::TextArrayLiteral(std::vector<std::string>{}),
          AuditDetails(change.status == v1::PUBLISHED ? stored.code() : change.withdraw_reason));
      if (written.affected_rows() == 1) {
        if (work) {
          AnnounceReplacements(*work, stored);
          work->commit();
        }
        outbox::WakeRelayAfterCommit();
        return stored;
      }
      if (attempt == kStatusChangeAttempts)
        throw DomainError(DomainErrorKind::kConflict, "name: documents/" + id + " changed " + std::to_string(attempt) +
                                                          " times while this ran; retry");
    }
  });
}

void DocumentStore::Delete(const std::string& id, const std::function<void(const v1::Document&)>& check,
                           const Actor& actor) {
  pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(kGetForUpdate.name, id);
    if (r.empty()) ThrowMissing(id);
    const v1::Document doc = FullDocumentOf(tx, r[0]);
    check(doc);
    tx.exec_prepared(kDelete.name, id);
    AppendAudit(tx, actor, v1::AuditAction::DELETE, doc.name(), id, {}, doc.code());
    // Subscribers hear of a document that was published (and withdrawn since); a draft's existence stays its unit's.
    if (doc.has_publish_time()) outbox::Enqueue(tx, MakeDeletedEvent(doc, actor.unit));
    tx.commit();
  });
}

}  // namespace cchc::document
