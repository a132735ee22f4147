#include "register.h"

#include <algorithm>
#include <cstdio>

#include "platform/dates.h"
#include "platform/text.h"
#include "platform/validate.h"

namespace cchc::document {
namespace {

constexpr size_t kMaxIssuerCodeChars = 20;

FieldError Invalid(std::string field, std::string description) {
  return {std::move(field), std::move(description), platform::v1::INVALID_FIELD};
}

// The canonical abbreviation of `given` in `table`: exact, or the one entry equal once folded ("qd" → "QĐ").
std::optional<std::string> Canonical(const std::vector<DocumentType>& table, const std::string& given) {
  for (const auto& t : table)
    if (t.abbreviation == given) return std::string(t.abbreviation);
  std::optional<std::string> found;
  const std::string key = text::Fold(given);
  for (const auto& t : table) {
    if (text::Fold(t.abbreviation) != key) continue;
    if (found) return std::nullopt;
    found = std::string(t.abbreviation);
  }
  return found;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string AdministrativeKind(const std::string& abbreviation) {
  return "t:" + abbreviation;
}

std::string LegalNormativeKind(const std::string& abbreviation) {
  return "l:" + abbreviation;
}

std::optional<FieldError> ValidateRegister(v1::Register* reg, std::vector<std::string>* kinds) {
  kinds->clear();
  if (auto e = validate::Text(reg->mutable_display_name(), "register.display_name", {kMaxRegisterNameChars, true}))
    return e;
  if (auto e = validate::Text(reg->mutable_issuer_code(), "register.issuer_code", {kMaxIssuerCodeChars, true}))
    return e;
  for (char c : reg->issuer_code())
    if (c == '/' || c == '-' || c == ' ' || c == '.')
      return Invalid("register.issuer_code", "must be one group of a code's symbol, as in codes (SGDĐT)");
  if (reg->year() < kMinRegisterYear || reg->year() > kMaxRegisterYear)
    return Invalid("register.year",
                   "must be between " + std::to_string(kMinRegisterYear) + " and " + std::to_string(kMaxRegisterYear));
  if (reg->type_abbreviations_size() > static_cast<int>(kMaxRegisterTypes))
    return Invalid("register.type_abbreviations", "must have at most " + std::to_string(kMaxRegisterTypes) + " types");
  if (auto e = validate::Text(reg->mutable_legal_normative_type(), "register.legal_normative_type", {10})) return e;
  if (!reg->legal_normative_type().empty()) {
    // Each VBQPPL type has a register of its own (NĐ 30/2020 Điều 15.1.a).
    if (reg->type_abbreviations_size() > 0 || reg->official_letters())
      return Invalid("register.legal_normative_type",
                     "a legal normative (VBQPPL) type is numbered in a register of its own: no other type or công văn");
    auto canonical = Canonical(LegalNormativeTypes(), reg->legal_normative_type());
    if (!canonical)
      return Invalid(
          "register.legal_normative_type",
          "'" + reg->legal_normative_type() + "' is not a legal normative document type (NĐ, TT, QĐ, NQ, …)");
    reg->set_legal_normative_type(*canonical);
    kinds->push_back(LegalNormativeKind(*canonical));
    return std::nullopt;
  }
  for (int i = 0; i < reg->type_abbreviations_size(); ++i) {
    const std::string field = "register.type_abbreviations[" + std::to_string(i) + "]";
    auto canonical = Canonical(AdministrativeTypes(), reg->type_abbreviations(i));
    if (!canonical)
      return Invalid(field, "'" + reg->type_abbreviations(i) +
                                "' is not an administrative document type of NĐ 30/2020 Phụ lục III (QĐ, KH, TB, …)");
    const std::string kind = AdministrativeKind(*canonical);
    if (std::find(kinds->begin(), kinds->end(), kind) != kinds->end()) return Invalid(field, "repeats " + *canonical);
    reg->set_type_abbreviations(i, *canonical);
    kinds->push_back(kind);
  }
  if (reg->official_letters()) kinds->push_back(kOfficialLetterKind);
  if (kinds->empty())
    return Invalid("register.type_abbreviations",
                   "a register numbers at least one type (or công văn, or one legal normative type)");
  return std::nullopt;
}

std::string KindOf(const DocumentCode& code) {
  switch (code.form) {
    case v1::LEGAL_NORMATIVE:
      return LegalNormativeKind(code.type_abbreviation);
    case v1::OFFICIAL_LETTER:
      return kOfficialLetterKind;
    default:
      return AdministrativeKind(code.type_abbreviation);
  }
}

std::string IssuerKey(const std::string& issuer_code) {
  return text::Fold(issuer_code);
}

bool MayNumberFor(const auth::Principal& p, const std::string& issuer_code) {
  if (p.Has(auth::Role::kAdmin)) return true;
  if (!p.Has(auth::Role::kEditor)) return false;
  const std::string unit = text::Fold(p.unit);
  const std::string issuer = IssuerKey(issuer_code);
  return unit == issuer || unit.rfind(issuer + "-", 0) == 0;
}

std::string FormatNumber(int64_t number) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%02lld", static_cast<long long>(number));
  return buffer;
}

std::optional<std::string> ParseRegisterName(const std::string& name) {
  constexpr std::string_view kPrefix = "registers/";
  if (name.size() != kPrefix.size() + 36 || name.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  std::string id = name.substr(kPrefix.size());
  if (!validate::IsUuid(id)) return std::nullopt;
  return id;
}

std::optional<std::pair<std::string, int64_t>> ParseReservationName(const std::string& name) {
  constexpr std::string_view kMiddle = "/reservations/";
  constexpr size_t kRegisterChars = 10 + 36;
  if (name.size() <= kRegisterChars + kMiddle.size() || name.size() > kRegisterChars + kMiddle.size() + 12)
    return std::nullopt;
  auto id = ParseRegisterName(name.substr(0, kRegisterChars));
  if (!id || name.compare(kRegisterChars, kMiddle.size(), kMiddle) != 0) return std::nullopt;
  const std::string digits = name.substr(kRegisterChars + kMiddle.size());
  if (!AllDigits(digits)) return std::nullopt;
  const int64_t n = std::stoll(digits);
  if (n < 1) return std::nullopt;
  return std::make_pair(*id, n);
}

std::string ReservationName(const std::string& register_id, int64_t number) {
  return "registers/" + register_id + "/reservations/" + std::to_string(number);
}

std::optional<FieldError> MatchReservation(const RegisterScope& scope, int64_t number, const DocumentCode& code,
                                           const std::string& issue_date) {
  if (IssuerKey(code.issuer_code) != scope.issuer_key)
    return Invalid("document.code", "issuer " + code.issuer_code + " is not the issuer of " + scope.name);
  const std::string kind = KindOf(code);
  if (std::find(scope.kinds.begin(), scope.kinds.end(), kind) == scope.kinds.end()) {
    const std::string what = code.form == v1::OFFICIAL_LETTER   ? std::string("công văn")
                             : code.form == v1::LEGAL_NORMATIVE ? "legal normative type " + code.type_abbreviation
                                                                : "type " + code.type_abbreviation;
    return Invalid("document.code", what + " is not numbered in " + scope.name);
  }
  if (code.number_value != number)
    return Invalid("document.code", "number " + code.number + " is not the reserved " + FormatNumber(number));
  if (issue_date.size() < 4 || issue_date.substr(0, 4) != std::to_string(scope.year))
    return Invalid("document.issue_date", "must fall in " + std::to_string(scope.year) + ", the year of " + scope.name);
  return std::nullopt;
}

std::optional<std::string> ClosedYear(int year, std::chrono::system_clock::time_point now) {
  const int current = static_cast<int>(dates::VietnamDay(now).year());
  if (year < current)
    return "the register's year " + std::to_string(year) + " is over; numbers start again from 01 in the register of " +
           std::to_string(current);
  if (year > current) return "the register's year " + std::to_string(year) + " has not begun";
  return std::nullopt;
}

int64_t Micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::chrono::system_clock::time_point ExpiryCutoff(std::chrono::system_clock::time_point now, int days) {
  return now - std::chrono::hours(24) * days;
}

}  // namespace cchc::document
