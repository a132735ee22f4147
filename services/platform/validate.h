#pragma once
// Checks every text field the same way before it reaches storage: valid UTF-8, NFC, trimmed, bounded
// length in characters, no control characters (newlines only where allowed).
#include <google/protobuf/repeated_ptr_field.h>

#include <optional>
#include <string>
#include <string_view>

#include "field_error.h"

namespace cchc::validate {

struct TextRule {
  size_t max_chars;
  bool required = false;
  bool multiline = false;  // allow \n, \r and \t
};

// Normalises *value in place (NFC, trimmed) or returns what is wrong with it, naming `field`.
std::optional<FieldError> Text(std::string* value, std::string_view field, TextRule rule);

// A list of short texts (tags, fields, codes): at most `max_items`, each normalised as Text (required,
// `max_chars`), none repeating an earlier one once folded (accents and case ignored). Names the entry: "tags[2]".
std::optional<FieldError> TextList(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& field,
                                   size_t max_items, size_t max_chars);

// ISO date (yyyy-mm-dd) field; empty is accepted unless required.
std::optional<FieldError> IsoDate(const std::string& value, std::string_view field, bool required);

// page_size: 0 means the default; negative is an error; above the maximum is clamped (AIP-158).
std::optional<FieldError> PageSize(int requested, int* effective, std::string_view field = "page_size");

// A UUID in canonical lower-case text form (what PostgreSQL prints and resource names carry).
bool IsUuid(std::string_view s);

}  // namespace cchc::validate
