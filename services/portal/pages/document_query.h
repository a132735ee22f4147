#pragma once
// The /van-ban page's query string as the document service's requests: filters, the search box, the page
// token; bad values are refused with a Vietnamese message before any call.
#include <optional>
#include <string>

#include "cchc/document/v1/document.pb.h"
#include "page.h"

namespace cchc::portal::pages {

struct DocumentQuery {
  std::string q;         // the search box; empty: a plain list
  std::string field;     // lĩnh vực
  std::string type;      // loại (type abbreviation, "QĐ")
  std::string issuer;    // cơ quan ban hành (issuer code, "SGDĐT")
  std::string year;      // năm ban hành, "2016" or empty
  std::string validity;  // con-hieu-luc, chua-hieu-luc, het-hieu-luc or empty
  std::string page_token;
};

inline constexpr size_t kMaxQueryChars = 200;  // the document service's limit for a search
inline constexpr size_t kMaxFilterChars = 100;
inline constexpr size_t kMaxPageTokenBytes = 1024;
inline constexpr int kDocumentsPerPage = 20;

// The query of `request`, trimmed; nullopt with `error` set (Vietnamese, naming the parameter) when a value is
// not valid UTF-8, too long, has control characters, or is not one of its allowed values.
std::optional<DocumentQuery> ParseDocumentQuery(const PageRequest& request, std::string* error);
cchc::document::v1::DocumentFilter FilterOf(const DocumentQuery& query);
cchc::document::v1::ListDocumentsRequest ListRequestOf(const DocumentQuery& query);
cchc::document::v1::SearchDocumentsRequest SearchRequestOf(const DocumentQuery& query);
// "/van-ban?q=…&field=…" with the non-empty values of `query` and `page_token` (percent-encoded).
std::string DocumentListHref(const DocumentQuery& query, const std::string& page_token);

}  // namespace cchc::portal::pages
