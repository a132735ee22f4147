#pragma once
// Số/ký hiệu (document number and symbol) — parsing and validation after NĐ 30/2020 Phụ lục I and III and
// the numbering rules for legal normative documents (Luật Ban hành VBQPPL 2015, Điều 10):
//   typed             998/QĐ-SGDĐT       NUMBER "/" TYPE "-" ISSUER ["-" UNIT]*
//   công văn          334/SGDĐT-TCCB     NUMBER "/" ISSUER "-" UNIT_OR_FIELD ["-" …]*
//   legal normative   01/2011/TT-BNV     NUMBER "/" YEAR "/" TYPE "-" ISSUER ["-" …]*   or 45/2019/QH14
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cchc/document/v1/document.pb.h"

namespace cchc::document {

struct DocumentType {
  std::string_view abbreviation;  // as in the official table: "QĐ", "QyĐ", "CTr"
  std::string_view name;          // "Quyết định"
};

// The 27 types of NĐ 30/2020 Phụ lục III plus the three kinds of copy.
const std::vector<DocumentType>& AdministrativeTypes();
// Types seen in legal normative numbers (NĐ, TT, TTLT, …).
const std::vector<DocumentType>& LegalNormativeTypes();

struct DocumentCode {
  std::string text;    // as written, trimmed, NFC
  std::string number;  // số as written, "05"
  long long number_value = 0;
  int year = 0;        // only in legal normative codes
  std::string symbol;  // ký hiệu, "QĐ-SGDĐT"
  v1::CodeForm form = v1::CODE_FORM_UNSPECIFIED;
  std::string type_abbreviation;   // canonical spelling from the table; empty for công văn
  std::string type_name;           // "Quyết định"; "Công văn" for công văn
  std::string issuer_code;         // "SGDĐT"
  std::vector<std::string> units;  // groups after the issuer, e.g. {"TCCB"}
  std::string lookup_key;          // folded, number without leading zeros: "998/qd-sgddt"
};

struct CodeParse {
  std::optional<DocumentCode> code;
  std::string error;  // why it was rejected, for a person; empty on success
};

// Parses a số/ký hiệu. Every rejection says what is wrong ("number must be at least 1", …).
CodeParse ParseCode(std::string_view input);

// The tolerant key of something a person typed to find a document: folded, spaces removed, leading zeros of
// the number dropped. "998/qd-sgddt", "998 / QĐ-SGDĐT" and "0998/QD-SGDDT" give the same key.
std::string LookupKey(std::string_view input);

}  // namespace cchc::document
