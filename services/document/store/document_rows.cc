#include "document_rows.h"

#include <nlohmann/json.hpp>

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
      "d.updated_by, d.withdraw_reason, d.seq, "
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
  static const std::string columns =
      Columns() +
      ", d.body, (SELECT COALESCE(json_agg(json_build_object('id', a.id, 'file_name', a.file_name, 'media_type', "
      "a.media_type, 'size_bytes', a.size_bytes, 'sha256', a.sha256, 'download_count', a.download_count, "
      "'created_us', (EXTRACT(EPOCH FROM a.created_at) * 1000000)::bigint) ORDER BY a.created_at), '[]') "
      "FROM attachments a WHERE a.document_id = d.id) AS attachments";
  return columns;
}

std::string Etag(int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

v1::Document DocumentOf(const pqxx::row& r) {
  v1::Document d;
  d.set_name("documents/" + r["id"].as<std::string>());
  d.set_code(r["code"].as<std::string>());
  d.set_number(r["number"].as<std::string>());
  d.set_symbol(r["symbol"].as<std::string>());
  d.set_code_form(static_cast<v1::CodeForm>(r["code_form"].as<int>()));
  d.set_type_abbreviation(r["type_abbreviation"].as<std::string>());
  d.set_type_name(r["type_name"].as<std::string>());
  d.set_issuer_code(r["issuer_code"].as<std::string>());
  d.set_issuer_name(r["issuer_name"].as<std::string>());
  d.set_drafting_unit(r["drafting_unit"].as<std::string>());
  d.set_issue_date(r["issue_date"].as<std::string>());
  d.set_effective_date(r["effective_date"].as<std::string>());
  d.set_expiry_date(r["expiry_date"].as<std::string>());
  d.set_subject(r["subject"].as<std::string>());
  for (auto& f : db::ParseTextArray(r["fields"])) d.add_fields(std::move(f));
  d.mutable_signer()->set_name(r["signer_name"].as<std::string>());
  d.mutable_signer()->set_position(r["signer_position"].as<std::string>());
  d.mutable_signer()->set_authority(r["signer_authority"].as<std::string>());
  for (auto& c : db::ParseTextArray(r["related_codes"])) d.add_related_codes(std::move(c));
  for (auto& c : db::ParseTextArray(r["replaces_codes"])) d.add_replaces_codes(std::move(c));
  d.set_status(static_cast<v1::DocumentStatus>(r["status"].as<int>()));
  d.set_view_count(r["view_count"].as<int64_t>());
  d.set_download_count(r["download_count"].as<int64_t>());
  d.set_etag(Etag(r["version"].as<int64_t>()));
  db::SetTimestamp(d.mutable_create_time(), r["created_us"].as<int64_t>());
  db::SetTimestamp(d.mutable_update_time(), r["updated_us"].as<int64_t>());
  if (int64_t p = r["published_us"].as<int64_t>()) db::SetTimestamp(d.mutable_publish_time(), p);
  d.set_created_by(r["created_by"].as<std::string>());
  d.set_updated_by(r["updated_by"].as<std::string>());
  d.set_withdraw_reason(r["withdraw_reason"].as<std::string>());
  // "<id> <code>": an id has no space.
  if (auto replaced_by = r["replaced_by"].as<std::string>(); !replaced_by.empty()) {
    const auto space = replaced_by.find(' ');
    d.set_replaced_by("documents/" + replaced_by.substr(0, space));
    d.set_replaced_by_code(replaced_by.substr(space + 1));
  }
  d.set_validity(
      ValidityOn(d.effective_date(), d.expiry_date(), !d.replaced_by().empty(), r["today"].as<std::string>()));
  return d;
}

v1::Document FullDocumentOf(const pqxx::row& r) {
  v1::Document d = DocumentOf(r);
  d.set_body(r["body"].as<std::string>());
  for (const auto& a : nlohmann::json::parse(r["attachments"].as<std::string>())) {
    auto* out = d.add_attachments();
    out->set_name(d.name() + "/attachments/" + a["id"].get<std::string>());
    out->set_file_name(a["file_name"].get<std::string>());
    out->set_media_type(a["media_type"].get<std::string>());
    out->set_size_bytes(a["size_bytes"].get<int64_t>());
    out->set_sha256(a["sha256"].get<std::string>());
    out->set_download_count(a["download_count"].get<int64_t>());
    db::SetTimestamp(out->mutable_create_time(), a["created_us"].get<int64_t>());
  }
  return d;
}

const char* UnpublishedOf(const Visibility& visibility) {
  return visibility.all ? nullptr : visibility.unit.c_str();
}

}  // namespace cchc::document
