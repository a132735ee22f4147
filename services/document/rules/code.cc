#include "code.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "platform/text.h"

namespace cchc::document {

const std::vector<DocumentType>& AdministrativeTypes() {
  static const std::vector<DocumentType> kTypes = {
      {"NQ", "Nghị quyết"},     {"QĐ", "Quyết định"},   {"CT", "Chỉ thị"},          {"QC", "Quy chế"},
      {"QyĐ", "Quy định"},      {"TC", "Thông cáo"},    {"TB", "Thông báo"},        {"HD", "Hướng dẫn"},
      {"CTr", "Chương trình"},  {"KH", "Kế hoạch"},     {"PA", "Phương án"},        {"ĐA", "Đề án"},
      {"DA", "Dự án"},          {"BC", "Báo cáo"},      {"BB", "Biên bản"},         {"TTr", "Tờ trình"},
      {"HĐ", "Hợp đồng"},       {"CĐ", "Công điện"},    {"BGN", "Bản ghi nhớ"},     {"BTT", "Bản thỏa thuận"},
      {"GUQ", "Giấy ủy quyền"}, {"GM", "Giấy mời"},     {"GGT", "Giấy giới thiệu"}, {"GNP", "Giấy nghỉ phép"},
      {"PG", "Phiếu gửi"},      {"PC", "Phiếu chuyển"}, {"PB", "Phiếu báo"},        {"SY", "Bản sao y"},
      {"TrS", "Bản trích sao"}, {"SL", "Bản sao lục"},
  };
  return kTypes;
}

const std::vector<DocumentType>& LegalNormativeTypes() {
  static const std::vector<DocumentType> kTypes = {
      {"NĐ", "Nghị định"},  {"TT", "Thông tư"},   {"TTLT", "Thông tư liên tịch"},
      {"QĐ", "Quyết định"}, {"NQ", "Nghị quyết"}, {"NQLT", "Nghị quyết liên tịch"},
      {"CT", "Chỉ thị"},    {"L", "Lệnh"},        {"VBHN", "Văn bản hợp nhất"},
      {"PL", "Pháp lệnh"},
  };
  return kTypes;
}

namespace {

constexpr size_t kMaxCodeChars = 80;
constexpr size_t kMaxGroupChars = 20;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A symbol group: letters (Vietnamese included) and digits, at least one letter.
bool ValidGroup(std::string_view g) {
  if (g.empty()) return false;
  bool letter = false;
  const auto* p = reinterpret_cast<const uint8_t*>(g.data());
  int32_t i = 0, n = static_cast<int32_t>(g.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
    if (u_isalpha(c))
      letter = true;
    else if (!(c >= '0' && c <= '9'))
      return false;
  }
  return letter;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

const DocumentType* FindType(const std::vector<DocumentType>& table, std::string_view group) {
  for (const auto& t : table)
    if (t.abbreviation == group) return &t;
  // Tolerate case and a missing stroke: "QD" or "qđ" for "QĐ"; but only when exactly one entry matches.
  const DocumentType* found = nullptr;
  std::string key = text::Fold(group);
  for (const auto& t : table) {
    if (text::Fold(t.abbreviation) == key) {
      if (found) return nullptr;
      found = &t;
    }
  }
  return found;
}

std::string StripLeadingZeros(std::string_view digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return std::string(digits.substr(i));
}

CodeParse Fail(std::string why) {
  return {std::nullopt, std::move(why)};
}

}  // namespace

std::string LookupKey(std::string_view input) {
  std::string folded = text::Fold(input);
  std::string compact;
  for (char c : folded)
    if (c != ' ') compact += c;
  auto slash = compact.find('/');
  if (slash == std::string::npos || !AllDigits(compact.substr(0, slash))) return compact;
  return StripLeadingZeros(compact.substr(0, slash)) + compact.substr(slash);
}

CodeParse ParseCode(std::string_view input) {
  if (!text::IsValidUtf8(input)) return Fail("is not valid UTF-8");
  auto nfc = text::ToNfc(text::Trim(input));
  std::string s = nfc.value_or("");
  if (s.empty()) return Fail("is required, e.g. 998/QĐ-SGDĐT");
  if (text::CodePointCount(s) > kMaxCodeChars) return Fail("must be at most 80 characters");
  if (s.find_first_of(" \t\r\n") != std::string::npos) return Fail("must not contain spaces");
  if (text::HasControlCharacters(s)) return Fail("must not contain control characters");

  auto parts = Split(s, '/');
  if (parts.size() < 2 || parts.size() > 3)
    return Fail("must be number/symbol (998/QĐ-SGDĐT) or number/year/symbol (01/2011/TT-BNV)");
  DocumentCode code;
  code.text = s;
  code.number = parts[0];
  if (!AllDigits(code.number)) return Fail("number '" + code.number + "' must be Arabic digits");
  if (code.number.size() > 7) return Fail("number must have at most 7 digits");
  code.number_value = std::stoll(code.number);
  if (code.number_value == 0) return Fail("number must be at least 1");

  std::string symbol = parts.back();
  if (parts.size() == 3) {
    if (parts[1].size() != 4 || !AllDigits(parts[1])) return Fail("year '" + parts[1] + "' must have 4 digits");
    code.year = std::stoi(parts[1]);
    if (code.year < 1945 || code.year > 2100) return Fail("year must be between 1945 and 2100");
    code.form = v1::LEGAL_NORMATIVE;
  }
  code.symbol = symbol;
  if (symbol.empty()) return Fail("symbol (ký hiệu) after '/' is missing");
  auto groups = Split(symbol, '-');
  for (const auto& g : groups) {
    if (g.empty()) return Fail("symbol '" + symbol + "' has an empty group between hyphens");
    if (text::CodePointCount(g) > kMaxGroupChars) return Fail("symbol group '" + g + "' is longer than 20 characters");
    if (!ValidGroup(g)) return Fail("symbol group '" + g + "' must be letters and digits with at least one letter");
  }

  if (code.form == v1::LEGAL_NORMATIVE) {
    if (groups.size() == 1) {
      // Laws and resolutions of the National Assembly: 45/2019/QH14.
      code.issuer_code = groups[0];
      code.type_name = "Luật";
    } else {
      const DocumentType* t = FindType(LegalNormativeTypes(), groups[0]);
      if (!t) t = FindType(AdministrativeTypes(), groups[0]);
      if (!t) return Fail("type '" + groups[0] + "' is not a legal normative document type (NĐ, TT, QĐ, NQ, …)");
      code.type_abbreviation = std::string(t->abbreviation);
      code.type_name = std::string(t->name);
      code.issuer_code = groups[1];
      code.units.assign(groups.begin() + 2, groups.end());
    }
  } else {
    if (groups.size() < 2)
      return Fail("symbol '" + symbol + "' must be TYPE-ISSUER (QĐ-SGDĐT) or, for công văn, ISSUER-UNIT (SGDĐT-TCCB)");
    if (const DocumentType* t = FindType(AdministrativeTypes(), groups[0])) {
      code.form = v1::TYPED;
      code.type_abbreviation = std::string(t->abbreviation);
      code.type_name = std::string(t->name);
      code.issuer_code = groups[1];
      code.units.assign(groups.begin() + 2, groups.end());
    } else {
      code.form = v1::OFFICIAL_LETTER;
      code.type_name = "Công văn";
      code.issuer_code = groups[0];
      code.units.assign(groups.begin() + 1, groups.end());
    }
  }
  code.lookup_key = LookupKey(s);
  return {std::move(code), ""};
}

}  // namespace cchc::document
