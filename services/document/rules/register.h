#pragma once
// The outgoing register (sổ văn bản đi, NĐ 30/2020 Điều 15): what a register may number, which register a document
// code belongs to, whether a reserved number fits a document, when a register's year is open and when a reservation
// has gone unused too long. Pure functions: no gRPC, no SQL.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "code.h"
#include "platform/auth.h"
#include "platform/field_error.h"

namespace cchc::document {

constexpr size_t kMaxRegisterNameChars = 200;
constexpr size_t kMaxRegisterTypes = 40;
constexpr int kMinRegisterYear = 2000;
constexpr int kMaxRegisterYear = 2100;

// What a register numbers, one key per kind: "t:QĐ" an administrative type, "cv" công văn, "l:QĐ" a VBQPPL type
// (văn bản quy phạm pháp luật). Two registers of one issuer and year never share a key.
std::string AdministrativeKind(const std::string& abbreviation);
std::string LegalNormativeKind(const std::string& abbreviation);
inline constexpr const char* kOfficialLetterKind = "cv";

// Validates and normalises a register for create (prefix "register"): display name, issuer code (one group of
// letters as in codes), year, and the types: canonical abbreviations from NĐ 30/2020 Phụ lục III, no repeat, at
// least one kind, and a VBQPPL type alone. Fills *kinds with the register's kind keys.
std::optional<FieldError> ValidateRegister(v1::Register* reg, std::vector<std::string>* kinds);

// The kind key a parsed code is numbered under.
std::string KindOf(const DocumentCode& code);

// The folded form issuers are compared by ("SGDĐT" → "sgddt").
std::string IssuerKey(const std::string& issuer_code);

// Whether `p` may reserve and cancel numbers of `issuer_code`'s registers: admin, or an editor of that issuer's
// units ("SGDĐT" and "SGDĐT-TCCB" for "SGDĐT").
bool MayNumberFor(const auth::Principal& p, const std::string& issuer_code);

// A number as written in a code: at least two digits ("01", "12", "123").
std::string FormatNumber(int64_t number);

// "registers/{uuid}" → the uuid.
std::optional<std::string> ParseRegisterName(const std::string& name);
// "registers/{uuid}/reservations/{n}" (n ≥ 1, digits, "01" allowed) → the uuid and n.
std::optional<std::pair<std::string, int64_t>> ParseReservationName(const std::string& name);
std::string ReservationName(const std::string& register_id, int64_t number);

// The register a reserved number belongs to, as the document check needs it.
struct RegisterScope {
  std::string name;        // registers/{id}
  std::string issuer_key;  // folded
  int year = 0;
  std::vector<std::string> kinds;
};

// Whether a document with `code`, issued on `issue_date` (ISO), may carry `number` reserved in `scope`: its number
// the reserved one, its issuer and kind the register's, its issue year the register's year. Names the field.
std::optional<FieldError> MatchReservation(const RegisterScope& scope, int64_t number, const DocumentCode& code,
                                           const std::string& issue_date);

// Why a register of `year` takes no reservation at `now` (its year over, or not begun, in Asia/Ho_Chi_Minh), or
// nullopt when it does.
std::optional<std::string> ClosedYear(int year, std::chrono::system_clock::time_point now);

// Microseconds since the epoch, as the stores take times.
int64_t Micros(std::chrono::system_clock::time_point t);

// Reservations made before this instant are expired at `now` (unused for `days` days).
std::chrono::system_clock::time_point ExpiryCutoff(std::chrono::system_clock::time_point now, int days);

}  // namespace cchc::document
