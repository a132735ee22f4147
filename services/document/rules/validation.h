#pragma once
// The rules a document must satisfy, apart from storage: every field normalised (NFC) and bounded, the
// code parsed, the dates consistent. No gRPC or SQL here.
#include <optional>
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "code.h"
#include "platform/field_error.h"

namespace cchc::document {

constexpr size_t kMaxSubjectChars = 500;  // trích yếu (NĐ 30/2020 Phụ lục VI: Subject, String 500)
constexpr size_t kMaxBodyChars = 200000;
constexpr size_t kMaxIssuerNameChars = 200;  // OrganName, String 200
constexpr size_t kMaxShortTextChars = 100;
constexpr size_t kMaxFields = 10;
constexpr size_t kMaxRelatedCodes = 50;
constexpr size_t kMaxQueryChars = 200;

// Fields a caller may set; the rest are output only.
const std::vector<std::string>& UpdatableFields();

// Validates and normalises a document for create (prefix "document"). Fills *code with the parsed code.
std::optional<FieldError> ValidateDocument(v1::Document* doc, DocumentCode* code);

// Checks an update mask's paths against UpdatableFields(); an empty mask becomes the fields `doc` sets.
std::optional<FieldError> ResolveUpdateMask(const v1::Document& doc, std::vector<std::string>* paths);

// Copies the masked fields of `from` onto `to`.
void ApplyMask(const v1::Document& from, const std::vector<std::string>& paths, v1::Document* to);

// Filter checks shared by List and Search (prefix "filter"); normalises text in place.
std::optional<FieldError> ValidateFilter(v1::DocumentFilter* filter);

// "documents/{uuid}" → the uuid; nullopt if malformed.
std::optional<std::string> ParseDocumentName(const std::string& name);
// "documents/{uuid}/attachments/{uuid}" → both ids.
std::optional<std::pair<std::string, std::string>> ParseAttachmentName(const std::string& name);

}  // namespace cchc::document
