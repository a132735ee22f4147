#include "document_rows.h"

#include "platform/db.h"
#include "rules/lifecycle.h"

namespace cchc::document {

const std::string& Columns() {
  static const std::string columns =
      "d.id::text AS id, d.code, d.number, d.symbol, d.code_form, d.type_abbreviation, d.type_name, d.issuer_code, "
      "d.issuer_name, d.drafting_unit, d.issue_date::text AS issue_date, "
      "COALESCE(d.effective_date::text, '') AS effective_date, COALESCE(d.expiry_date::text, '') AS expiry_date, "
      "d.subject, d.fields, d.signer_name, d.signer_position, d.signer_authority, d.related_codes, d.replaces_codes, "
      "d.status, d.view_count, d.download_count, d.version, "
      "(EXTRACT(EPOCH FROM d.created_at) * 1000000)::bigint AS created_us, "
      "(EXTRACT(EPOCH FROM d.updated_at) * 1000000)::bigint AS updated_us, "
      "COALESCE((EXTRACT(EPOCH FROM d.published_at) * 1000000)::bigint, 0) AS published_us, d.created_by, "
      "d.updated_by, d.withdraw_reason, d.seq, d.content_version, "
      // An aggregate rather than ORDER BY … LIMIT 1: with a LIMIT the planner may walk documents_newest from d's
      // issue date on, every newer document for an old d (seconds on 100,000 rows), instead of probing the GIN index.
      "COALESCE((SELECT (array_agg(r.id::text || ' ' || r.code ORDER BY r.issue_date, r.seq))[1] " +
      ReplacingSql() + "), '') AS replaced_by, current_date::text AS today";
  return columns;
}

const std::string& ReplacingSql() {
  // r replaces d when r is published, lists d's code and is issued on or after d — and d is the newest document
  // with that code issued by then (numbers restart every year: "05/QĐ-SGDĐT" of 2025 is not that of 2026).
  static const std::string sql =
      "FROM documents r WHERE r.status = 2 AND r.replaces_keys @> ARRAY[d.code_key] AND r.id <> d.id "
      "AND r.issue_date >= d.issue_date AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.code_key = d.code_key "
      "AND n.id <> r.id AND n.issue_date <= r.issue_date AND (n.issue_date, n.seq) > (d.issue_date, d.seq))";
  return sql;
}

const std::string& FullColumns() {
  static const std::string columns = Columns() + ", d.body, d.attachment_count";
  return columns;
}

const db::Statement& AttachmentsStatement() {
  static const db::Statement statement{
      "doc_attachments",
      "SELECT a.id::text AS id, a.file_name, a.media_type, a.size_bytes, a.sha256, a.download_count, a.version, "
      "ARRAY(SELECT e.id::text FROM attachments e WHERE e.document_id = a.document_id AND e.file_key = a.file_key "
      "AND NOT e.latest ORDER BY e.version DESC) AS earlier, " +
          db::EpochMicros("a.created_at") +
          " AS created_us FROM attachments a WHERE a.document_id = $1 AND a.latest ORDER BY a.created_at"};
  return statement;
}

std::string Etag(int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

namespace {

template <typename Source>
void Locate(const Source& r, DocumentColumns* c) {
  c->id = r.column_number("id");
  c->code = r.column_number("code");
  c->number = r.column_number("number");
  c->symbol = r.column_number("symbol");
  c->code_form = r.column_number("code_form");
  c->type_abbreviation = r.column_number("type_abbreviation");
  c->type_name = r.column_number("type_name");
  c->issuer_code = r.column_number("issuer_code");
  c->issuer_name = r.column_number("issuer_name");
  c->drafting_unit = r.column_number("drafting_unit");
  c->issue_date = r.column_number("issue_date");
  c->effective_date = r.column_number("effective_date");
  c->expiry_date = r.column_number("expiry_date");
  c->subject = r.column_number("subject");
  c->fields = r.column_number("fields");
  c->signer_name = r.column_number("signer_name");
  c->signer_position = r.column_number("signer_position");
  c->signer_authority = r.column_number("signer_authority");
  c->related_codes = r.column_number("related_codes");
  c->replaces_codes = r.column_number("replaces_codes");
  c->status = r.column_number("status");
  c->view_count = r.column_number("view_count");
  c->download_count = r.column_number("download_count");
  c->version = r.column_number("version");
  c->created_us = r.column_number("created_us");
  c->updated_us = r.column_number("updated_us");
  c->published_us = r.column_number("published_us");
  c->created_by = r.column_number("created_by");
  c->updated_by = r.column_number("updated_by");
  c->withdraw_reason = r.column_number("withdraw_reason");
  c->content_version = r.column_number("content_version");
  c->replaced_by = r.column_number("replaced_by");
  c->today = r.column_number("today");
}

}  // namespace

DocumentColumns::DocumentColumns(const pqxx::result& r) {
  Locate(r, this);
}

DocumentColumns::DocumentColumns(const pqxx::row& r) {
  Locate(r, this);
}

v1::Document DocumentOf(const pqxx::row& r, const DocumentColumns& c) {
  v1::Document d;
  d.set_name("documents/" + r[c.id].as<std::string>());
  d.set_code(r[c.code].as<std::string>());
  d.set_number(r[c.number].as<std::string>());
  d.set_symbol(r[c.symbol].as<std::string>());
  d.set_code_form(static_cast<v1::CodeForm>(r[c.code_form].as<int>()));
  d.set_type_abbreviation(r[c.type_abbreviation].as<std::string>());
  d.set_type_name(r[c.type_name].as<std::string>());
  d.set_issuer_code(r[c.issuer_code].as<std::string>());
  d.set_issuer_name(r[c.issuer_name].as<std::string>());
  d.set_drafting_unit(r[c.drafting_unit].as<std::string>());
  d.set_issue_date(r[c.issue_date].as<std::string>());
  d.set_effective_date(r[c.effective_date].as<std::string>());
  d.set_expiry_date(r[c.expiry_date].as<std::string>());
  d.set_subject(r[c.subject].as<std::string>());
  for (auto& f : db::ParseTextArray(r[c.fields])) d.add_fields(std::move(f));
  d.mutable_signer()->set_name(r[c.signer_name].as<std::string>());
  d.mutable_signer()->set_position(r[c.signer_position].as<std::string>());
  d.mutable_signer()->set_authority(r[c.signer_authority].as<std::string>());
  for (auto& c : db::ParseTextArray(r[c.related_codes])) d.add_related_codes(std::move(c));
  for (auto& c : db::ParseTextArray(r[c.replaces_codes])) d.add_replaces_codes(std::move(c));
  d.set_status(static_cast<v1::DocumentStatus>(r[c.status].as<int>()));
  d.set_view_count(r[c.view_count].as<int64_t>());
  d.set_download_count(r[c.download_count].as<int64_t>());
  d.set_etag(Etag(r[c.version].as<int64_t>()));
  db::SetTimestamp(d.mutable_create_time(), r[c.created_us].as<int64_t>());
  db::SetTimestamp(d.mutable_update_time(), r[c.updated_us].as<int64_t>());
  if (int64_t p = r[c.published_us].as<int64_t>()) db::SetTimestamp(d.mutable_publish_time(), p);
  d.set_created_by(r[c.created_by].as<std::string>());
  d.set_updated_by(r[c.updated_by].as<std::string>());
  d.set_withdraw_reason(r[c.withdraw_reason].as<std::string>());
  d.set_version(r[c.content_version].as<int64_t>());
  // "<id> <code>": an id has no space.
  if (auto replaced_by = r[c.replaced_by].as<std::string>(); !replaced_by.empty()) {
    const auto space = replaced_by.find(' ');
    d.set_replaced_by("documents/" + replaced_by.substr(0, space));
    d.set_replaced_by_code(replaced_by.substr(space + 1));
  }
  d.set_validity(
      ValidityOn(d.effective_date(), d.expiry_date(), !d.replaced_by().empty(), r[c.today].as<std::string>()));
  return d;
}

v1::Document DocumentOf(const pqxx::row& r) {
  return DocumentOf(r, DocumentColumns(r));
}

v1::Document FullDocumentOf(pqxx::transaction_base& tx, const pqxx::row& r) {
  v1::Document d = DocumentOf(r);
  d.set_body(r["body"].as<std::string>());
  if (r["attachment_count"].as<int>() == 0) return d;
  for (const auto& a : tx.exec_prepared(AttachmentsStatement().name, r["id"].c_str())) {
    auto* out = d.add_attachments();
    out->set_name(d.name() + "/attachments/" + a["id"].as<std::string>());
    out->set_file_name(a["file_name"].as<std::string>());
    out->set_media_type(a["media_type"].as<std::string>());
    out->set_size_bytes(a["size_bytes"].as<int64_t>());
    out->set_sha256(a["sha256"].as<std::string>());
    out->set_download_count(a["download_count"].as<int64_t>());
    db::SetTimestamp(out->mutable_create_time(), a["created_us"].as<int64_t>());
    out->set_version(a["version"].as<int>());
    for (const auto& earlier : db::ParseTextArray(a["earlier"]))
      out->add_earlier_versions(d.name() + "/attachments/" + earlier);
  }
  return d;
}

const char* UnpublishedOf(const Visibility& visibility) {
  return visibility.all ? nullptr : visibility.unit.c_str();
}

}  // namespace cchc::document
