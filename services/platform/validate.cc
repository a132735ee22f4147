#include "validate.h"

#include <set>

#include "dates.h"
#include "page_token.h"
#include "text.h"

namespace cchc::validate {

std::optional<FieldError> Text(std::string* value, std::string_view field, TextRule rule) {
  std::string f(field);
  if (!text::IsValidUtf8(*value)) return FieldError{f, "is not valid UTF-8"};
  if (value->size() > rule.max_chars * 4 + 64)
    return FieldError{f, "must be at most " + std::to_string(rule.max_chars) + " characters"};
  auto nfc = text::ToNfc(text::Trim(*value));
  if (!nfc) return FieldError{f, "is not valid UTF-8"};
  if (rule.required && nfc->empty()) return FieldError{f, "is required"};
  if (text::CodePointCount(*nfc) > rule.max_chars)
    return FieldError{f, "must be at most " + std::to_string(rule.max_chars) + " characters"};
  if (nfc->find('\0') != std::string::npos) return FieldError{f, "must not contain NUL characters"};
  if (text::HasControlCharacters(*nfc) || (!rule.multiline && nfc->find_first_of("\r\n\t") != std::string::npos))
    return FieldError{
        f, rule.multiline ? "must not contain control characters" : "must be one line without control characters"};
  *value = std::move(*nfc);
  return std::nullopt;
}

std::optional<FieldError> TextList(google::protobuf::RepeatedPtrField<std::string>* list, const std::string& field,
                                   size_t max_items, size_t max_chars) {
  if (static_cast<size_t>(list->size()) > max_items)
    return FieldError{field, "must have at most " + std::to_string(max_items) + " entries"};
  std::set<std::string> seen;
  for (int i = 0; i < list->size(); ++i) {
    auto name = field + "[" + std::to_string(i) + "]";
    if (auto e = Text(list->Mutable(i), name, {max_chars, true})) return e;
    if (!seen.insert(text::Fold(list->Get(i))).second) return FieldError{name, "repeats an earlier entry"};
  }
  return std::nullopt;
}

std::optional<FieldError> IsoDate(const std::string& value, std::string_view field, bool required) {
  if (value.empty()) {
    if (required) return FieldError{std::string(field), "is required (yyyy-mm-dd)"};
    return std::nullopt;
  }
  if (!dates::ParseIso(value))
    return FieldError{std::string(field), "must be a real date written yyyy-mm-dd between 1900 and 2199"};
  return std::nullopt;
}

std::optional<FieldError> PageSize(int requested, int* effective, std::string_view field) {
  if (requested < 0) return FieldError{std::string(field), "must not be negative"};
  *effective = requested == 0 ? paging::kDefaultPageSize : std::min(requested, paging::kMaxPageSize);
  return std::nullopt;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace cchc::validate
