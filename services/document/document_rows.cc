#include "document_rows.h"

#include <nlohmann/json.hpp>

#include "platform/db.h"

namespace cchc::document {

// Columns every read returns, in the order RowToDocument reads them.
const std::string& Columns() {
  static const std::string columns =
      "d.id::text, d.code, d.number, d.symbol, d.code_form, d.type_abbreviation, d.type_name, d.issuer_code, "
      "d.issuer_name, d.drafting_unit, d.issue_date::text, COALESCE(d.effective_date::text, ''), "
      "COALESCE(d.expiry_date::text, ''), d.subject, d.fields, d.signer_name, d.signer_position, "
      "d.signer_authority, d.related_codes, d.replaces_codes, d.status, d.view_count, d.download_count, d.version, "
      "(EXTRACT(EPOCH FROM d.created_at) * 1000000)::bigint, (EXTRACT(EPOCH FROM d.updated_at) * 1000000)::bigint, "
      "COALESCE((EXTRACT(EPOCH FROM d.published_at) * 1000000)::bigint, 0), d.created_by, d.updated_by, "
      "d.withdraw_reason, d.seq";
  return columns;
}

const std::string& FullColumns() {
  static const std::string columns =
      Columns() +
      ", d.body, (SELECT COALESCE(json_agg(json_build_object('id', a.id, 'file_name', a.file_name, 'media_type', "
      "a.media_type, 'size_bytes', a.size_bytes, 'sha256', a.sha256, 'download_count', a.download_count, "
      "'created_us', (EXTRACT(EPOCH FROM a.created_at) * 1000000)::bigint) ORDER BY a.created_at), '[]') "
      "FROM attachments a WHERE a.document_id = d.id)";
  return columns;
}

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

}  // namespace cchc::document
