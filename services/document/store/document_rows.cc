#include "document_rows.h"

#include <cstring>
#include <iterator>
#include <stdexcept>
#include <string_view>

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
      "d.replaced_by, current_date::text AS today";
  return columns;
}

const std::string& BasicColumns() {
  static const std::string columns =
      "d.id::text AS id, d.code, d.type_name, d.issuer_name, d.issue_date::text AS issue_date, "
      "COALESCE(d.effective_date::text, '') AS effective_date, COALESCE(d.expiry_date::text, '') AS expiry_date, "
      "d.subject, d.status, d.version, (EXTRACT(EPOCH FROM d.updated_at) * 1000000)::bigint AS updated_us, d.seq, "
      "d.replaced_by, current_date::text AS today";
  return columns;
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

// Columns() in its order ("seq" is read by the listings' cursors, not here), then FullColumns()'s two.
using Member = pqxx::row::size_type DocumentColumns::*;
struct Named {
  const char* name;
  Member member;
};
const Named kOrder[] = {{"id", &DocumentColumns::id},
                        {"code", &DocumentColumns::code},
                        {"number", &DocumentColumns::number},
                        {"symbol", &DocumentColumns::symbol},
                        {"code_form", &DocumentColumns::code_form},
                        {"type_abbreviation", &DocumentColumns::type_abbreviation},
                        {"type_name", &DocumentColumns::type_name},
                        {"issuer_code", &DocumentColumns::issuer_code},
                        {"issuer_name", &DocumentColumns::issuer_name},
                        {"drafting_unit", &DocumentColumns::drafting_unit},
                        {"issue_date", &DocumentColumns::issue_date},
                        {"effective_date", &DocumentColumns::effective_date},
                        {"expiry_date", &DocumentColumns::expiry_date},
                        {"subject", &DocumentColumns::subject},
                        {"fields", &DocumentColumns::fields},
                        {"signer_name", &DocumentColumns::signer_name},
                        {"signer_position", &DocumentColumns::signer_position},
                        {"signer_authority", &DocumentColumns::signer_authority},
                        {"related_codes", &DocumentColumns::related_codes},
                        {"replaces_codes", &DocumentColumns::replaces_codes},
                        {"status", &DocumentColumns::status},
                        {"view_count", &DocumentColumns::view_count},
                        {"download_count", &DocumentColumns::download_count},
                        {"version", &DocumentColumns::version},
                        {"created_us", &DocumentColumns::created_us},
                        {"updated_us", &DocumentColumns::updated_us},
                        {"published_us", &DocumentColumns::published_us},
                        {"created_by", &DocumentColumns::created_by},
                        {"updated_by", &DocumentColumns::updated_by},
                        {"withdraw_reason", &DocumentColumns::withdraw_reason},
                        {"seq", nullptr},
                        {"content_version", &DocumentColumns::content_version},
                        {"replaced_by", &DocumentColumns::replaced_by},
                        {"today", &DocumentColumns::today},
                        {"body", &DocumentColumns::body},
                        {"attachment_count", &DocumentColumns::attachment_count}};
constexpr size_t kListed = std::size(kOrder) - 2;  // Columns(); FullColumns() adds body and attachment_count

// Columns() sits in a row as one run from "id": one search of the names (PQfnumber compares the name with every
// column's, and did so for 32 names per row: ~3 % of a keyed read's CPU), then each name checked at its place.
void Locate(const pqxx::row& r, DocumentColumns* c) {
  const auto base = r.column_number("id");
  const auto body_at = static_cast<pqxx::row::size_type>(base + kListed);
  const size_t present =
      body_at < r.size() && std::strcmp(r[body_at].name(), "body") == 0 ? std::size(kOrder) : kListed;
  for (size_t k = 0; k < present; ++k) {
    const auto at = static_cast<pqxx::row::size_type>(base + k);
    if (at >= r.size() || std::strcmp(r[at].name(), kOrder[k].name) != 0)
      throw std::logic_error(std::string("document row: column ") + kOrder[k].name + " is not where Columns() puts it");
    if (kOrder[k].member) c->*kOrder[k].member = at;
  }
  c->full = present == std::size(kOrder);
}

using BasicMember = pqxx::row::size_type BasicDocumentColumns::*;
struct BasicNamed {
  const char* name;
  BasicMember member;
};
const BasicNamed kBasicOrder[] = {{"id", &BasicDocumentColumns::id},
                                  {"code", &BasicDocumentColumns::code},
                                  {"type_name", &BasicDocumentColumns::type_name},
                                  {"issuer_name", &BasicDocumentColumns::issuer_name},
                                  {"issue_date", &BasicDocumentColumns::issue_date},
                                  {"effective_date", &BasicDocumentColumns::effective_date},
                                  {"expiry_date", &BasicDocumentColumns::expiry_date},
                                  {"subject", &BasicDocumentColumns::subject},
                                  {"status", &BasicDocumentColumns::status},
                                  {"version", &BasicDocumentColumns::version},
                                  {"updated_us", &BasicDocumentColumns::updated_us},
                                  {"seq", nullptr},
                                  {"replaced_by", &BasicDocumentColumns::replaced_by},
                                  {"today", &BasicDocumentColumns::today}};

// "<id> <code>" of the replacing document (an id has no space), or "".
void SetReplacedBy(const pqxx::field& f, v1::Document* d) {
  const std::string_view replaced_by(f.c_str(), f.size());
  if (replaced_by.empty()) return;
  const auto space = replaced_by.find(' ');
  d->set_replaced_by("documents/" + std::string(replaced_by.substr(0, space)));
  if (space != std::string_view::npos) d->set_replaced_by_code(std::string(replaced_by.substr(space + 1)));
}

}  // namespace

BasicDocumentColumns::BasicDocumentColumns(const pqxx::result& r) {
  if (r.empty()) return;
  const pqxx::row row = r[0];
  const auto base = row.column_number("id");
  for (size_t k = 0; k < std::size(kBasicOrder); ++k) {
    const auto at = static_cast<pqxx::row::size_type>(base + k);
    if (at >= row.size() || std::strcmp(row[at].name(), kBasicOrder[k].name) != 0)
      throw std::logic_error(std::string("document row: column ") + kBasicOrder[k].name +
                             " is not where BasicColumns() puts it");
    if (kBasicOrder[k].member) this->*kBasicOrder[k].member = at;
  }
}

// Text is copied from the result's bytes (pointer and size): no std::string of each field before protobuf's own.
v1::Document BasicDocumentOf(const pqxx::row& r, const BasicDocumentColumns& c) {
  v1::Document d;
  const std::string_view id(r[c.id].c_str(), r[c.id].size());
  std::string name;
  name.reserve(10 + id.size());
  name.append("documents/").append(id);
  d.set_name(std::move(name));
  d.set_code(r[c.code].c_str(), r[c.code].size());
  d.set_type_name(r[c.type_name].c_str(), r[c.type_name].size());
  d.set_issuer_name(r[c.issuer_name].c_str(), r[c.issuer_name].size());
  d.set_issue_date(r[c.issue_date].c_str(), r[c.issue_date].size());
  d.set_effective_date(r[c.effective_date].c_str(), r[c.effective_date].size());
  d.set_expiry_date(r[c.expiry_date].c_str(), r[c.expiry_date].size());
  d.set_subject(r[c.subject].c_str(), r[c.subject].size());
  d.set_status(static_cast<v1::DocumentStatus>(r[c.status].as<int>()));
  d.set_etag(Etag(r[c.version].as<int64_t>()));
  db::SetTimestamp(d.mutable_update_time(), r[c.updated_us].as<int64_t>());
  SetReplacedBy(r[c.replaced_by], &d);
  d.set_validity(ValidityOn(d.effective_date(), d.expiry_date(), !d.replaced_by().empty(), r[c.today].c_str()));
  return d;
}

void KeepBasic(v1::Document* d) {
  v1::Document basic;
  basic.set_name(std::move(*d->mutable_name()));
  basic.set_code(std::move(*d->mutable_code()));
  basic.set_type_name(std::move(*d->mutable_type_name()));
  basic.set_issuer_name(std::move(*d->mutable_issuer_name()));
  basic.set_issue_date(std::move(*d->mutable_issue_date()));
  basic.set_effective_date(std::move(*d->mutable_effective_date()));
  basic.set_expiry_date(std::move(*d->mutable_expiry_date()));
  basic.set_subject(std::move(*d->mutable_subject()));
  basic.set_status(d->status());
  basic.set_validity(d->validity());
  basic.set_replaced_by(std::move(*d->mutable_replaced_by()));
  basic.set_replaced_by_code(std::move(*d->mutable_replaced_by_code()));
  basic.set_etag(std::move(*d->mutable_etag()));
  if (d->has_update_time()) *basic.mutable_update_time() = d->update_time();
  *d = std::move(basic);
}

DocumentColumns::DocumentColumns(const pqxx::result& r) {
  if (r.empty()) return;  // no row to read
  Locate(r[0], this);
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
  const DocumentColumns c(r);
  if (!c.full) throw std::logic_error("document row: FullColumns() expected, no body");
  v1::Document d = DocumentOf(r, c);
  d.set_body(r[c.body].as<std::string>());
  if (r[c.attachment_count].as<int>() == 0) return d;
  for (const auto& a : tx.exec_prepared(AttachmentsStatement().name, r[c.id].c_str())) {
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
