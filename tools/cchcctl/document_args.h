#pragma once
// Command-line arguments shared by the document commands: dates and the list/search filter.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cchc/document/v1/document.pb.h"

namespace cchc::cchcctl {

// "07/06/2018", "7/6/2018" or "2018-06-07" → "2018-06-07"; nullopt for anything else.
std::optional<std::string> NormalizeDate(std::string_view s);

// A CLI11 transform accepting what NormalizeDate accepts and leaving the ISO form in the option.
CLI::Validator DateArg();

struct FilterArgs {
  std::string field;
  std::string type;  // "KH"; "CV" selects công văn (code_form OFFICIAL_LETTER)
  std::string issuer;
  std::string signer;
  std::string from;  // ISO after DateArg
  std::string to;
  std::string status;    // draft | published | withdrawn
  std::string validity;  // in-force | not-yet | expired
  int page_size = 0;     // 0: the service's default
  std::string page_token;
  bool all = false;  // follow next_page_token to the end
};

// Adds --field, --type, --issuer, --signer, --from, --to, --status, --validity, --page-size, --page-token, --all.
void AddFilterOptions(CLI::App* cmd, FilterArgs* args);

cchc::document::v1::DocumentFilter ToFilter(const FilterArgs& args);

}  // namespace cchc::cchcctl
