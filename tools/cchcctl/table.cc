#include "table.h"

#include <algorithm>

namespace cchc::cchcctl {

size_t DisplayWidth(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string PadRight(std::string_view s, size_t width) {
  std::string out(s);
  size_t have = DisplayWidth(s);
  if (have < width) out.append(width - have, ' ');
  return out;
}

void PrintTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) widths[c] = DisplayWidth(headers[c]);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));

  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string& cell = c < cells.size() ? cells[c] : std::string();
      if (c > 0) line += " | ";
      line += c + 1 < widths.size() ? PadRight(cell, widths[c]) : cell;
    }
    out << line << '\n';
  };
  print_row(headers);
  std::string rule;
  for (size_t c = 0; c < widths.size(); ++c) {
    if (c > 0) rule += "-+-";
    rule.append(widths[c], '-');
  }
  out << rule << '\n';
  for (const auto& row : rows) print_row(row);
}

void PrintKeyValues(std::ostream& out, const KeyValues& lines) {
  size_t width = 0;
  for (const auto& [key, value] : lines) width = std::max(width, DisplayWidth(key) + 1);
  const std::string indent(width + 1, ' ');
  for (const auto& [key, value] : lines) {
    out << PadRight(key + ":", width) << ' ';
    for (char c : value) {
      out << c;
      if (c == '\n') out << indent;
    }
    out << '\n';
  }
}

}  // namespace cchc::cchcctl
