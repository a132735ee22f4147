#include "encoding.h"

namespace cchc::portal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsBrotli(std::string_view coding) {
  std::string_view name = Trim(coding.substr(0, coding.find(';')));
  return name.size() == 2 && (name[0] == 'b' || name[0] == 'B') && (name[1] == 'r' || name[1] == 'R');
}

}  // namespace

std::string WithoutBrotli(std::string_view accept_encoding) {
  std::string kept;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view coding = Trim(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    if (coding.empty() || IsBrotli(coding)) continue;
    if (!kept.empty()) kept += ", ";
    kept += coding;
  }
  return kept;
}

}  // namespace cchc::portal
