#include "validation.h"

#include <algorithm>
#include <set>

#include "platform/dates.h"
#include "platform/text.h"
#include "platform/validate.h"

namespace cchc::document {

const std::vector<std::string>& UpdatableFields() {
  static const std::vector<std::string> kFields = {"code",           "issuer_name", "drafting_unit", "issue_date",
                                                   "effective_date", "expiry_date", "subject",       "body",
                                                   "fields",         "signer",      "related_codes", "replaces_codes"};
  return kFields;
}

namespace {

std::optional<FieldError> CodeList(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& field) {
  if (auto e = validate::TextList(list, field, kMaxRelatedCodes, 80)) return e;
  for (int i = 0; i < list->size(); ++i) {
    auto parsed = ParseCode(list->Get(i));
    if (!parsed.code)
      return FieldError{field + "[" + std::to_string(i) + "]", parsed.error, platform::v1::INVALID_DOCUMENT_CODE};
  }
  return std::nullopt;
}

}  // namespace

std::optional<FieldError> ValidateDocument(v1::Document* doc, DocumentCode* code) {
  auto parsed = ParseCode(doc->code());
  if (!parsed.code) return FieldError{"document.code", parsed.error, platform::v1::INVALID_DOCUMENT_CODE};
  *code = *parsed.code;
  doc->set_code(code->text);
  if (auto e = validate::IsoDate(doc->issue_date(), "document.issue_date", true)) return e;
  if (auto e = validate::IsoDate(doc->effective_date(), "document.effective_date", false)) return e;
  if (auto e = validate::IsoDate(doc->expiry_date(), "document.expiry_date", false)) return e;
  // ISO dates compare correctly as strings.
  if (!doc->expiry_date().empty() && doc->expiry_date() < doc->issue_date())
    return FieldError{"document.expiry_date", "must not be before issue_date " + doc->issue_date()};
  if (!doc->expiry_date().empty() && !doc->effective_date().empty() && doc->expiry_date() < doc->effective_date())
    return FieldError{"document.expiry_date", "must not be before effective_date " + doc->effective_date()};
  if (!doc->effective_date().empty() && doc->effective_date() < doc->issue_date())
    return FieldError{"document.effective_date", "must not be before issue_date " + doc->issue_date()};
  if (code->year != 0 && std::to_string(code->year) != doc->issue_date().substr(0, 4))
    return FieldError{"document.code", "year " + std::to_string(code->year) + " differs from the issue_date's year",
                      platform::v1::INVALID_DOCUMENT_CODE};
  if (auto e = validate::Text(doc->mutable_subject(), "document.subject", {kMaxSubjectChars, true})) return e;
  if (auto e = validate::Text(doc->mutable_body(), "document.body", {kMaxBodyChars, false, true})) return e;
  if (auto e = validate::Text(doc->mutable_issuer_name(), "document.issuer_name", {kMaxIssuerNameChars})) return e;
  if (auto e = validate::Text(doc->mutable_drafting_unit(), "document.drafting_unit", {kMaxShortTextChars})) return e;
  if (doc->drafting_unit().empty() && code->form == v1::OFFICIAL_LETTER && !code->units.empty())
    doc->set_drafting_unit(code->units.front());
  if (auto e = validate::TextList(doc->mutable_fields(), "document.fields", kMaxFields, kMaxShortTextChars)) return e;
  auto* signer = doc->mutable_signer();
  if (auto e = validate::Text(signer->mutable_name(), "document.signer.name", {kMaxShortTextChars})) return e;
  if (auto e = validate::Text(signer->mutable_position(), "document.signer.position", {kMaxShortTextChars})) return e;
  static const std::set<std::string> kAuthorities = {"", "TM.", "KT.", "TL.", "Q.", "TUQ."};
  if (auto e = validate::Text(signer->mutable_authority(), "document.signer.authority", {8})) return e;
  if (!kAuthorities.count(signer->authority()))
    return FieldError{"document.signer.authority", "must be empty or one of TM., KT., TL., Q., TUQ."};
  if (auto e = CodeList(doc->mutable_related_codes(), "document.related_codes")) return e;
  if (auto e = CodeList(doc->mutable_replaces_codes(), "document.replaces_codes")) return e;
  return std::nullopt;
}

std::optional<FieldError> ResolveUpdateMask(const v1::Document& doc, std::vector<std::string>* paths) {
  const auto& allowed = UpdatableFields();
  if (paths->empty()) {
    // AIP-134: no mask means every field the request sets.
    const auto* reflection = doc.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> set;
    reflection->ListFields(doc, &set);
    for (const auto* f : set)
      if (std::find(allowed.begin(), allowed.end(), f->name()) != allowed.end()) paths->push_back(f->name());
    if (paths->empty()) return FieldError{"update_mask", "names no field to update", platform::v1::INVALID_UPDATE_MASK};
    return std::nullopt;
  }
  if (paths->size() > allowed.size())
    return FieldError{"update_mask", "has too many paths", platform::v1::INVALID_UPDATE_MASK};
  for (const auto& p : *paths) {
    if (p == "*") {
      *paths = allowed;
      return std::nullopt;
    }
    if (std::find(allowed.begin(), allowed.end(), p) == allowed.end())
      return FieldError{"update_mask", "'" + p.substr(0, 64) + "' is not a field that can be updated",
                        platform::v1::INVALID_UPDATE_MASK};
  }
  return std::nullopt;
}

void ApplyMask(const v1::Document& from, const std::vector<std::string>& paths, v1::Document* to) {
  for (const auto& p : paths) {
    if (p == "code")
      to->set_code(from.code());
    else if (p == "issuer_name")
      to->set_issuer_name(from.issuer_name());
    else if (p == "drafting_unit")
      to->set_drafting_unit(from.drafting_unit());
    else if (p == "issue_date")
      to->set_issue_date(from.issue_date());
    else if (p == "effective_date")
      to->set_effective_date(from.effective_date());
    else if (p == "expiry_date")
      to->set_expiry_date(from.expiry_date());
    else if (p == "subject")
      to->set_subject(from.subject());
    else if (p == "body")
      to->set_body(from.body());
    else if (p == "fields")
      *to->mutable_fields() = from.fields();
    else if (p == "signer")
      *to->mutable_signer() = from.signer();
    else if (p == "related_codes")
      *to->mutable_related_codes() = from.related_codes();
    else if (p == "replaces_codes")
      *to->mutable_replaces_codes() = from.replaces_codes();
  }
}

std::optional<FieldError> ValidateFilter(v1::DocumentFilter* f) {
  if (auto e = validate::Text(f->mutable_field(), "filter.field", {kMaxShortTextChars})) return e;
  if (auto e = validate::Text(f->mutable_type_abbreviation(), "filter.type_abbreviation", {8})) return e;
  if (auto e = validate::Text(f->mutable_issuer_code(), "filter.issuer_code", {20})) return e;
  if (auto e = validate::Text(f->mutable_signer_name(), "filter.signer_name", {kMaxShortTextChars})) return e;
  if (auto e = validate::IsoDate(f->issue_date_from(), "filter.issue_date_from", false)) return e;
  if (auto e = validate::IsoDate(f->issue_date_to(), "filter.issue_date_to", false)) return e;
  if (!f->issue_date_from().empty() && !f->issue_date_to().empty() && f->issue_date_to() < f->issue_date_from())
    return FieldError{"filter.issue_date_to", "must not be before issue_date_from"};
  if (!v1::Validity_IsValid(f->validity())) return FieldError{"filter.validity", "is not a known validity"};
  if (!v1::DocumentStatus_IsValid(f->status())) return FieldError{"filter.status", "is not a known status"};
  if (!v1::CodeForm_IsValid(f->code_form())) return FieldError{"filter.code_form", "is not a known code form"};
  if (!f->type_abbreviation().empty()) {
    bool known = false;
    for (const auto& t : AdministrativeTypes())
      known = known || text::Fold(t.abbreviation) == text::Fold(f->type_abbreviation());
    for (const auto& t : LegalNormativeTypes())
      known = known || text::Fold(t.abbreviation) == text::Fold(f->type_abbreviation());
    if (!known) return FieldError{"filter.type_abbreviation", "is not a document type (QĐ, KH, BC, TB, …)"};
  }
  return std::nullopt;
}

std::optional<std::string> ParseDocumentName(const std::string& name) {
  constexpr std::string_view kPrefix = "documents/";
  if (name.size() != kPrefix.size() + 36 || name.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  std::string id = name.substr(kPrefix.size());
  if (!validate::IsUuid(id)) return std::nullopt;
  return id;
}

std::optional<std::pair<std::string, std::string>> ParseAttachmentName(const std::string& name) {
  constexpr std::string_view kMiddle = "/attachments/";
  if (name.size() != 10 + 36 + kMiddle.size() + 36) return std::nullopt;
  auto doc = ParseDocumentName(name.substr(0, 46));
  if (!doc || name.compare(46, kMiddle.size(), kMiddle) != 0) return std::nullopt;
  std::string att = name.substr(46 + kMiddle.size());
  if (!validate::IsUuid(att)) return std::nullopt;
  return std::make_pair(*doc, att);
}

}  // namespace cchc::document
