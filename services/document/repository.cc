#include "repository.h"

#include "attachment_store.h"
#include "document_rows.h"
#include "platform/cloudevents.h"
#include "platform/errors.h"
#include "platform/outbox.h"
#include "platform/request_replay.h"
#include "platform/text.h"

namespace cchc::document {

std::vector<db::Migration> AllMigrations() {
  auto all = db::PlatformMigrations();
  for (auto& m : Migrations()) all.push_back(std::move(m));
  return all;
}

namespace {

// A status change that keeps meeting a newer version gives up after this many reads (ABORTED).
constexpr int kStatusChangeAttempts = 5;

// $1 id and $2..$34 the row, shared by insert and update.
const std::string kSearchVector =
    "setweight(to_tsvector('simple', $30), 'A') || setweight(to_tsvector('simple', $31), 'B') || "
    "setweight(to_tsvector('simple', $32), 'C')";

std::vector<std::string> Folded(const google::protobuf::RepeatedPtrField<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(text::Fold(v));
  return out;
}

std::vector<std::string> Plain(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return {values.begin(), values.end()};
}

// Writes the row through the insert or update statement (same parameters).
pqxx::result WriteRow(pqxx::work& tx, const char* statement, const std::string& id, const v1::Document& d,
                      const DocumentCode& c, int status, const std::string& principal) {
  std::string weight_a = SearchWords(c.text + " " + d.subject());
  std::string weight_b = SearchWords(c.type_name + " " + c.issuer_code + " " + d.issuer_name() + " " +
                                     d.drafting_unit() + " " + d.signer().name() + " " + [&] {
                                       std::string all;
                                       for (const auto& f : d.fields()) all += f + " ";
                                       return all;
                                     }());
  std::string weight_c = SearchWords(d.body());
  std::string type_key = text::Fold(c.type_abbreviation);
  return tx.exec_prepared(statement, id, c.text, c.lookup_key, c.number, c.number_value, c.symbol,
                          static_cast<int>(c.form), c.type_abbreviation, type_key, c.type_name, c.issuer_code,
                          text::Fold(c.issuer_code), d.issuer_name(), d.drafting_unit(), d.issue_date(),
                          std::stoi(d.issue_date().substr(0, 4)), NullIfEmpty(d.effective_date()),
                          NullIfEmpty(d.expiry_date()), d.subject(), d.body(), db::TextArrayLiteral(Plain(d.fields())),
                          db::TextArrayLiteral(Folded(d.fields())), d.signer().name(), text::Fold(d.signer().name()),
                          d.signer().position(), d.signer().authority(), db::TextArrayLiteral(Plain(d.related_codes())),
                          db::TextArrayLiteral(Plain(d.replaces_codes())), status, weight_a, weight_b, weight_c,
                          principal, d.withdraw_reason());
}

[[noreturn]] void ThrowDuplicate(const v1::Document& d) {
  throw StatusError(grpc::StatusCode::ALREADY_EXISTS,
                    "document.code: " + d.code() + " already exists for this issuer in " + d.issue_date().substr(0, 4));
}

}  // namespace

std::vector<db::Statement> Statements() {
  const std::string row_params =
      "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::date, $16, $17::date, $18::date, $19, $20, "
      "$21::text[], $22::text[], $23, $24, $25, $26, $27::text[], $28::text[], $29::smallint, ";
  std::vector<db::Statement> all = {
      {"doc_get", "SELECT " + FullColumns() + " FROM documents d WHERE d.id = $1"},
      {"doc_get_for_update", "SELECT " + FullColumns() + " FROM documents d WHERE d.id = $1 FOR UPDATE OF d"},
      {"doc_get_by_code", "SELECT " + FullColumns() +
                              " FROM documents d WHERE d.code_key = $1 AND ($2 = 0 OR d.issue_year = $2)"
                              " AND ($3::text IS NULL OR d.status = 2 OR d.created_by = $3)"
                              " ORDER BY d.issue_date DESC, d.seq DESC LIMIT 1"},
      {"doc_insert",
       "INSERT INTO documents (id, code, code_key, number, number_value, symbol, code_form, type_abbreviation, "
       "type_key, type_name, issuer_code, issuer_key, issuer_name, drafting_unit, issue_date, issue_year, "
       "effective_date, expiry_date, subject, body, fields, field_keys, signer_name, signer_key, signer_position, "
       "signer_authority, related_codes, replaces_codes, status, search_vector, created_by, updated_by, "
       "withdraw_reason) VALUES ($1::uuid, " +
           row_params + kSearchVector + ", $33, $33, $34)"},
      {"doc_update",
       "UPDATE documents d SET (code, code_key, number, number_value, symbol, code_form, type_abbreviation, type_key, "
       "type_name, issuer_code, issuer_key, issuer_name, drafting_unit, issue_date, issue_year, effective_date, "
       "expiry_date, subject, body, fields, field_keys, signer_name, signer_key, signer_position, signer_authority, "
       "related_codes, replaces_codes, status, search_vector, updated_by, withdraw_reason) = (" +
           row_params + kSearchVector +
           ", $33, $34), version = version + 1, updated_at = clock_timestamp(), "
           "published_at = CASE WHEN $29 = 2 AND published_at IS NULL THEN clock_timestamp() ELSE published_at END "
           "WHERE id = $1::uuid RETURNING " +
           FullColumns()},
      // Publish and withdraw (ChangeStatus): the row changes only if it is still at version $2, and its event
      // goes into the outbox in the same statement. $7 = 0: no publish time.
      {"doc_set_status",
       "WITH changed AS (UPDATE documents SET status = $3::smallint, withdraw_reason = $4, updated_by = $5, "
       "version = version + 1, updated_at = " +
           db::FromEpochMicros("$6") + ", published_at = CASE WHEN $7::bigint = 0 THEN NULL ELSE " +
           db::FromEpochMicros("$7") +
           " END WHERE id = $1::uuid AND version = $2::bigint RETURNING id) INSERT INTO outbox " +
           outbox::kInsertColumns + " SELECT $8::uuid, $9, $10, $11, $12, $13, $14 FROM changed"},
      {"doc_delete", "DELETE FROM documents WHERE id = $1"},
  };
  for (auto& s : AttachmentStatements()) all.push_back(std::move(s));
  return all;
}

v1::Document Repository::Create(const v1::Document& doc, const DocumentCode& code, const std::string& principal,
                                const std::string& request_id) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (v1::Document first; replay::Find(tx, principal, request_id, &first)) return first;
    std::string id = events::NewUuid();
    try {
      // No savepoint: a duplicate code ends the transaction anyway.
      WriteRow(tx, "doc_insert", id, doc, code, v1::DRAFT, principal);
    } catch (const pqxx::unique_violation&) {
      ThrowDuplicate(doc);
    }
    auto stored = tx.exec_prepared("doc_get", id);
    v1::Document created = RowToDocument(stored[0], true);
    replay::Remember(tx, principal, request_id, created);
    tx.commit();
    return created;
  });
}

std::optional<v1::Document> Repository::Get(const std::string& id) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Document> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("doc_get", id);
        if (r.empty()) return std::nullopt;
        return RowToDocument(r[0], true);
      },
      true);
}

std::optional<v1::Document> Repository::GetByCode(const std::string& lookup_key, int year,
                                                  const Visibility& visibility) {
  return pool_.Run(
      [&](pqxx::connection& c) -> std::optional<v1::Document> {
        pqxx::nontransaction tx(c);
        auto r = tx.exec_prepared("doc_get_by_code", lookup_key, year, UnpublishedOf(visibility));
        if (r.empty()) return std::nullopt;
        return RowToDocument(r[0], true);
      },
      true);
}

v1::Document Repository::Modify(const std::string& id, const std::function<Mutation(v1::Document&)>& change,
                                const std::string& principal) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("doc_get_for_update", id);
    if (r.empty()) throw StatusError(grpc::StatusCode::NOT_FOUND, "name: documents/" + id + " does not exist");
    v1::Document doc = RowToDocument(r[0], true);
    Mutation m = change(doc);
    auto parsed = ParseCode(doc.code());
    if (!parsed.code) throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, "document.code: " + parsed.error);
    pqxx::result written;
    try {
      // No savepoint: a duplicate code ends the transaction anyway.
      written = WriteRow(tx, "doc_update", id, doc, *parsed.code, doc.status(), principal);
    } catch (const pqxx::unique_violation&) {
      ThrowDuplicate(doc);
    }
    v1::Document stored = RowToDocument(written[0], true);
    if (m.event != EventKind::kNone) outbox::Enqueue(tx, MakeEvent(m.event, stored, m.changed_fields));
    tx.commit();
    return stored;
  });
}

v1::Document Repository::ChangeStatus(const std::string& id, const StatusChange& change,
                                      const std::function<void(const v1::Document& before)>& check,
                                      const std::string& principal) {
  // Two round trips and no BEGIN/COMMIT: a read, then one statement that writes the change and its event if
  // the row is still the version read. Another writer's change in between (every change of the row's content
  // takes a new version) makes it write nothing, and the change starts again from a fresh read.
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (int attempt = 1;; ++attempt) {
      auto r = tx.exec_prepared("doc_get", id);
      if (r.empty()) throw StatusError(grpc::StatusCode::NOT_FOUND, "name: documents/" + id + " does not exist");
      const auto& row = r[0];
      v1::Document stored = RowToDocument(row, true);
      check(stored);  // throws to refuse: nothing was written
      const int64_t version = row[kVersionColumn].as<int64_t>();
      // This process's clock, never behind the row's last change.
      const int64_t now = std::max(db::NowMicros(), row[kUpdatedColumn].as<int64_t>() + 1);
      int64_t published = row[kPublishedColumn].as<int64_t>();
      if (change.status == v1::PUBLISHED && published == 0) published = now;
      stored.set_status(change.status);
      stored.set_withdraw_reason(change.withdraw_reason);
      stored.set_updated_by(principal);
      stored.set_etag(Etag(version + 1));
      db::SetTimestamp(stored.mutable_update_time(), now);
      if (published != 0) db::SetTimestamp(stored.mutable_publish_time(), published);
      outbox::PendingEvent e = MakeEvent(change.event, stored, {});
      outbox::CheckEventSize(e);  // this statement writes the outbox row itself
      auto written =
          tx.exec_prepared("doc_set_status", id, version, static_cast<int>(change.status), change.withdraw_reason,
                           principal, now, published, events::NewUuid(), e.topic, e.aggregate_type, e.aggregate_id,
                           e.type, e.subject, pqxx::binarystring(e.payload.data(), e.payload.size()));
      if (written.affected_rows() == 1) {
        outbox::WakeRelayAfterCommit();
        return stored;
      }
      if (attempt == kStatusChangeAttempts)
        throw StatusError(grpc::StatusCode::ABORTED, "name: documents/" + id + " changed " + std::to_string(attempt) +
                                                         " times while this ran; retry");
    }
  });
}

void Repository::Delete(const std::string& id, const std::function<void(const v1::Document&)>& check) {
  pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared("doc_get_for_update", id);
    if (r.empty()) throw StatusError(grpc::StatusCode::NOT_FOUND, "name: documents/" + id + " does not exist");
    check(RowToDocument(r[0], true));
    tx.exec_prepared("doc_delete", id);
    tx.commit();
  });
}

}  // namespace cchc::document
