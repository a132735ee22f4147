#pragma once
// Plain-text tables and "key: value" blocks for a terminal, aligned by display width: one column per UTF-8
// code point, so Vietnamese text lines up as long as it is NFC (what the service stores).
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cchc::cchcctl {

// Number of code points in `s` (continuation bytes are not counted).
size_t DisplayWidth(std::string_view s);

// `s` followed by spaces up to `width` display columns.
std::string PadRight(std::string_view s, size_t width);

// A header row, a rule, then the rows; columns separated by " | ". The last column is not padded.
// Every row must have as many cells as `headers`.
void PrintTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);

// "key: value" lines with the values aligned; a value holding '\n' continues on indented lines.
using KeyValues = std::vector<std::pair<std::string, std::string>>;
void PrintKeyValues(std::ostream& out, const KeyValues& lines);

}  // namespace cchc::cchcctl
