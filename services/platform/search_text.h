#pragma once
// Search keys for PostgreSQL full-text search ('simple' configuration) built from folded text, the same way
// for what is stored and what is asked: "998/QĐ-SGDĐT Cải cách" → "998 qd sgddt cai cach".
#include <string>
#include <string_view>

namespace cchc::search {

// The words of folded text: letters and digits only, one space apart.
std::string SearchWords(std::string_view text);
// A to_tsquery text that matches every word of `query` (the last one as a prefix); empty when the query has
// no word. Words are quoted lexemes of letters and digits only, so nothing a caller types is tsquery syntax.
std::string BuildTsQuery(std::string_view query);
// The same words as a phrase query ("'cai' <-> 'cach':*").
std::string BuildTsPhrase(std::string_view query);

}  // namespace cchc::search
