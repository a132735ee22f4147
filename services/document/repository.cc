#include "repository.h"

#include <nlohmann/json.hpp>

#include "downloads.h"
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

// Columns every read returns, in the order RowToDocument reads them.
const std::string kColumns =
    "d.id::text, d.code, d.number, d.symbol, d.code_form, d.type_abbreviation, d.type_name, d.issuer_code, "
    "d.issuer_name, d.drafting_unit, d.issue_date::text, COALESCE(d.effective_date::text, ''), "
    "COALESCE(d.expiry_date::text, ''), d.subject, d.fields, d.signer_name, d.signer_position, "
    "d.signer_authority, d.related_codes, d.replaces_codes, d.status, d.view_count, d.download_count, d.version, "
    "(EXTRACT(EPOCH FROM d.created_at) * 1000000)::bigint, (EXTRACT(EPOCH FROM d.updated_at) * 1000000)::bigint, "
    "COALESCE((EXTRACT(EPOCH FROM d.published_at) * 1000000)::bigint, 0), d.created_by, d.updated_by, "
    "d.withdraw_reason, d.seq";
// A status change that keeps meeting a newer version gives up after this many reads (ABORTED).
constexpr int kStatusChangeAttempts = 5;

constexpr int kVersionColumn = 23;
constexpr int kUpdatedColumn = 25;
constexpr int kPublishedColumn = 26;
constexpr int kBodyColumn = 31;         // only in single-document reads
constexpr int kAttachmentsColumn = 32;  // only in single-document reads

const std::string kFullColumns =
    kColumns +
    ", d.body, (SELECT COALESCE(json_agg(json_build_object('id', a.id, 'file_name', a.file_name, 'media_type', "
    "a.media_type, 'size_bytes', a.size_bytes, 'sha256', a.sha256, 'download_count', a.download_count, "
    "'created_us', (EXTRACT(EPOCH FROM a.created_at) * 1000000)::bigint) ORDER BY a.created_at), '[]') "
    "FROM attachments a WHERE a.document_id = d.id)";

// $1..$9 filters, shared by List and Search.
const std::string kFilterSql =
    " ($1::smallint IS NULL OR d.status = $1)"
    " AND ($2::text IS NULL OR d.field_keys @> ARRAY[$2::text])"
    " AND ($3::text IS NULL OR d.type_key = $3)"
    " AND ($4::text IS NULL OR d.issuer_key = $4)"
    " AND ($5::text IS NULL OR d.signer_key = $5)"
    " AND ($6::date IS NULL OR d.issue_date >= $6)"
    " AND ($7::date IS NULL OR d.issue_date <= $7)"
    " AND ($8::int = 0"
    "   OR ($8 = 1 AND (d.effective_date IS NULL OR d.effective_date <= current_date)"
    "              AND (d.expiry_date IS NULL OR d.expiry_date >= current_date))"
    "   OR ($8 = 2 AND d.effective_date > current_date)"
    "   OR ($8 = 3 AND d.expiry_date < current_date))"
    " AND ($9::smallint = 0 OR d.code_form = $9)";

// $1 id and $2..$34 the row, shared by insert and update.
const std::string kSearchVector =
    "setweight(to_tsvector('simple', $30), 'A') || setweight(to_tsvector('simple', $31), 'B') || "
    "setweight(to_tsvector('simple', $32), 'C')";

// Which unpublished documents a read returns ($n: NULL every unit's, else those created by $n; '' none).
std::string VisibleSql(int n) {
  std::string p = "$" + std::to_string(n);
  return " AND (" + p + "::text IS NULL OR d.status = 2 OR d.created_by = " + p + ")";
}

// List and Search have optional filters: they run unprepared, planned per call (see db::Statement).
const std::string kListSql = "SELECT " + kColumns + " FROM documents d WHERE" + kFilterSql +
                             " AND ($10::date IS NULL OR (d.issue_date, d.seq) < ($10::date, $11::bigint))" +
                             VisibleSql(13) + " ORDER BY d.issue_date DESC, d.seq DESC LIMIT $12";
// Best first among the newest kMaxSearchResults matches: the words as a phrase, then cover density
// (weights D C B A: code and subject count most) damped by length; newest first among equals. Ranking
// only the newest matches keeps broad queries ("cải cách hành chính" matches most of the corpus)
// from ranking every row; paging never goes past them anyway.
const std::string kSearchSql =
    "WITH candidates AS MATERIALIZED (SELECT d.id, d.issue_date, d.seq, d.search_vector"
    " FROM documents d WHERE" +
    kFilterSql + " AND d.search_vector @@ to_tsquery('simple', $10)" + VisibleSql(14) +
    " ORDER BY d.issue_date DESC, d.seq DESC LIMIT " + std::to_string(kMaxSearchResults) +
    "),"
    " ranked AS (SELECT c.id, c.issue_date, c.seq,"
    " (c.search_vector @@ to_tsquery('simple', $13))::int + ts_rank_cd('{0.1, 0.2, 0.4, 1.0}',"
    " c.search_vector, to_tsquery('simple', $10), 1) AS rank FROM candidates c"
    " ORDER BY rank DESC, c.issue_date DESC, c.seq DESC LIMIT $11 OFFSET $12)"
    " SELECT " +
    kColumns +
    " FROM ranked r JOIN documents d ON d.id = r.id"
    " ORDER BY r.rank DESC, r.issue_date DESC, r.seq DESC";

// The etag of a row version: the version, quoted.
std::string Etag(int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

v1::Document RowToDocument(const pqxx::row& r, bool full) {
  v1::Document d;
  d.set_name("documents/" + r[0].as<std::string>());
  d.set_code(r[1].as<std::string>());
  d.set_number(r[2].as<std::string>());
  d.set_symbol(r[3].as<std::string>());
  d.set_code_form(static_cast<v1::CodeForm>(r[4].as<int>()));
  d.set_type_abbreviation(r[5].as<std::string>());
  d.set_type_name(r[6].as<std::string>());
  d.set_issuer_code(r[7].as<std::string>());
  d.set_issuer_name(r[8].as<std::string>());
  d.set_drafting_unit(r[9].as<std::string>());
  d.set_issue_date(r[10].as<std::string>());
  d.set_effective_date(r[11].as<std::string>());
  d.set_expiry_date(r[12].as<std::string>());
  d.set_subject(r[13].as<std::string>());
  for (auto& f : db::ParseTextArray(r[14])) d.add_fields(std::move(f));
  d.mutable_signer()->set_name(r[15].as<std::string>());
  d.mutable_signer()->set_position(r[16].as<std::string>());
  d.mutable_signer()->set_authority(r[17].as<std::string>());
  for (auto& c : db::ParseTextArray(r[18])) d.add_related_codes(std::move(c));
  for (auto& c : db::ParseTextArray(r[19])) d.add_replaces_codes(std::move(c));
  d.set_status(static_cast<v1::DocumentStatus>(r[20].as<int>()));
  d.set_view_count(r[21].as<int64_t>());
  d.set_download_count(r[22].as<int64_t>());
  d.set_etag(Etag(r[kVersionColumn].as<int64_t>()));
  db::SetTimestamp(d.mutable_create_time(), r[24].as<int64_t>());
  db::SetTimestamp(d.mutable_update_time(), r[25].as<int64_t>());
  if (int64_t p = r[26].as<int64_t>()) db::SetTimestamp(d.mutable_publish_time(), p);
  d.set_created_by(r[27].as<std::string>());
  d.set_updated_by(r[28].as<std::string>());
  d.set_withdraw_reason(r[29].as<std::string>());
  if (full) {
    d.set_body(r[kBodyColumn].as<std::string>());
    auto attachments = nlohmann::json::parse(r[kAttachmentsColumn].as<std::string>());
    for (const auto& a : attachments) {
      auto* out = d.add_attachments();
      out->set_name(d.name() + "/attachments/" + a["id"].get<std::string>());
      out->set_file_name(a["file_name"].get<std::string>());
      out->set_media_type(a["media_type"].get<std::string>());
      out->set_size_bytes(a["size_bytes"].get<int64_t>());
      out->set_sha256(a["sha256"].get<std::string>());
      out->set_download_count(a["download_count"].get<int64_t>());
      db::SetTimestamp(out->mutable_create_time(), a["created_us"].get<int64_t>());
    }
  }
  return d;
}

const char* NullIfEmpty(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

// The VisibleSql parameter: NULL for every unit's unpublished documents, '' for none, else the unit.
const char* UnpublishedOf(const Visibility& v) {
  return v.all ? nullptr : v.unit.c_str();
}

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
      {"doc_get", "SELECT " + kFullColumns + " FROM documents d WHERE d.id = $1"},
      {"doc_get_for_update", "SELECT " + kFullColumns + " FROM documents d WHERE d.id = $1 FOR UPDATE OF d"},
      {"doc_get_by_code", "SELECT " + kFullColumns +
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
           kFullColumns},
      // Publish and withdraw (ChangeStatus): the row changes only if it is still at version $2, and its event
      // goes into the outbox in the same statement. $7 = 0: no publish time.
      {"doc_set_status",
       "WITH changed AS (UPDATE documents SET status = $3::smallint, withdraw_reason = $4, updated_by = $5, "
       "version = version + 1, updated_at = " +
           db::FromEpochMicros("$6") + ", published_at = CASE WHEN $7::bigint = 0 THEN NULL ELSE " +
           db::FromEpochMicros("$7") +
           " END WHERE id = $1::uuid AND version = $2::bigint RETURNING id) INSERT INTO outbox " +
           outbox::kInsertColumns + " SELECT $8::uuid, $9, $10, $11, $12, $13, $14 FROM changed"},
      // An attachment changes its document: a new version, so that an etag read before it is stale after it.
      {"doc_touch",
       "UPDATE documents SET version = version + 1, updated_at = clock_timestamp() WHERE id = $1::uuid RETURNING 1"},
      {"doc_delete", "DELETE FROM documents WHERE id = $1"},
      {"attachment_insert",
       "INSERT INTO attachments (id, document_id, file_name, media_type, size_bytes, sha256, content) "
       "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " +
           db::EpochMicros("created_at")},
      {"attachment_count", "SELECT count(*) FROM attachments WHERE document_id = $1"},
  };
  for (auto& s : DownloadStatements()) all.push_back(std::move(s));
  return all;
}

const std::string& ListSql() {
  return kListSql;
}

const std::string& SearchSql() {
  return kSearchSql;
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

namespace {
struct FilterParams {
  std::string status;  // empty: any
  std::string field_key, type_key, issuer_key, signer_key;
  int validity = 0, code_form = 0;
};
FilterParams ToParams(const v1::DocumentFilter& f) {
  FilterParams p;
  if (f.status() != v1::DOCUMENT_STATUS_UNSPECIFIED) p.status = std::to_string(f.status());
  p.field_key = text::Fold(f.field());
  p.type_key = text::Fold(f.type_abbreviation());
  p.issuer_key = text::Fold(f.issuer_code());
  p.signer_key = text::Fold(f.signer_name());
  p.validity = f.validity();
  p.code_form = f.code_form();
  return p;
}
}  // namespace

ListPage Repository::List(const ListQuery& q) {
  auto p = ToParams(q.filter);
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        std::string after_date = q.after ? q.after->first : "";
        int64_t after_seq = q.after ? q.after->second : 0;
        auto rows =
            tx.exec_params(kListSql, NullIfEmpty(p.status), NullIfEmpty(p.field_key), NullIfEmpty(p.type_key),
                           NullIfEmpty(p.issuer_key), NullIfEmpty(p.signer_key),
                           NullIfEmpty(q.filter.issue_date_from()), NullIfEmpty(q.filter.issue_date_to()), p.validity,
                           p.code_form, NullIfEmpty(after_date), after_seq, q.limit + 1, UnpublishedOf(q.visibility));
        ListPage page;
        for (size_t i = 0; i < rows.size() && static_cast<int>(i) < q.limit; ++i)
          page.documents.push_back(RowToDocument(rows[i], false));
        if (static_cast<int>(rows.size()) > q.limit) {
          const auto& last = rows[static_cast<size_t>(q.limit) - 1];
          page.last = std::make_pair(last[10].as<std::string>(), last[30].as<int64_t>());
        }
        return page;
      },
      true);
}

std::vector<v1::Document> Repository::Search(const SearchQuery& q) {
  auto p = ToParams(q.filter);
  return pool_.Run(
      [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        auto rows =
            tx.exec_params(kSearchSql, NullIfEmpty(p.status), NullIfEmpty(p.field_key), NullIfEmpty(p.type_key),
                           NullIfEmpty(p.issuer_key), NullIfEmpty(p.signer_key),
                           NullIfEmpty(q.filter.issue_date_from()), NullIfEmpty(q.filter.issue_date_to()), p.validity,
                           p.code_form, q.tsquery, q.limit, q.offset, q.phrase, UnpublishedOf(q.visibility));
        std::vector<v1::Document> out;
        for (const auto& r : rows) out.push_back(RowToDocument(r, false));
        return out;
      },
      true);
}

v1::Attachment Repository::AddAttachment(const std::string& document_id, const v1::Attachment& meta,
                                         const std::string& bytes, int max_attachments) {
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // doc_touch locks the document's row: concurrent uploads to one document count one after the other.
    if (tx.exec_prepared("doc_touch", document_id).empty())
      throw StatusError(grpc::StatusCode::NOT_FOUND, "header.document: documents/" + document_id + " does not exist");
    if (tx.exec_prepared("attachment_count", document_id)[0][0].as<int>() >= max_attachments)
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED, "header.document: documents/" + document_id +
                                                                  " already has the most attachments a document "
                                                                  "may have (" +
                                                                  std::to_string(max_attachments) +
                                                                  ", --max-attachments-per-document)");
    std::string id = events::NewUuid();
    auto r = tx.exec_prepared("attachment_insert", id, document_id, meta.file_name(), meta.media_type(),
                              static_cast<int64_t>(bytes.size()), meta.sha256(),
                              pqxx::binarystring(bytes.data(), bytes.size()));
    tx.commit();
    v1::Attachment out = meta;
    out.set_name("documents/" + document_id + "/attachments/" + id);
    out.set_size_bytes(static_cast<int64_t>(bytes.size()));
    db::SetTimestamp(out.mutable_create_time(), r[0][0].as<int64_t>());
    return out;
  });
}

}  // namespace cchc::document
