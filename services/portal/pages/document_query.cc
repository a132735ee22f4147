#include "pages/document_query.h"

#include <array>
#include <utility>

#include "pages/format.h"
#include "platform/text.h"

namespace cchc::portal::pages {
namespace {

namespace dv1 = cchc::document::v1;

struct ValidityInfo {
  const char* slug;
  dv1::Validity validity;
};
constexpr std::array<ValidityInfo, 3> kValidities = {{
    {"con-hieu-luc", dv1::IN_FORCE},
    {"chua-hieu-luc", dv1::NOT_YET_IN_FORCE},
    {"het-hieu-luc", dv1::EXPIRED},
}};

// The value of `name` in the query, trimmed; empty when absent.
std::string Value(const PageRequest& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? "" : std::string(text::Trim(it->second));
}

// Checks text a reader typed: UTF-8, no control characters, at most `max_chars` characters.
bool TextOk(const std::string& value, size_t max_chars) {
  return text::IsValidUtf8(value) && !text::HasControlCharacters(value) && text::CodePointCount(value) <= max_chars;
}

}  // namespace

std::optional<DocumentQuery> ParseDocumentQuery(const PageRequest& request, std::string* error) {
  DocumentQuery q;
  q.q = Value(request, "q");
  q.field = Value(request, "field");
  q.type = Value(request, "type");
  q.issuer = Value(request, "issuer");
  q.year = Value(request, "year");
  q.validity = Value(request, "validity");
  q.page_token = Value(request, "page_token");
  if (!TextOk(q.q, kMaxQueryChars)) {
    *error = "Từ khóa tìm kiếm (q) không hợp lệ: tối đa " + std::to_string(kMaxQueryChars) + " ký tự.";
    return std::nullopt;
  }
  const std::array<std::pair<const char*, std::string*>, 3> filters = {
      {{"field (lĩnh vực)", &q.field}, {"type (loại văn bản)", &q.type}, {"issuer (cơ quan ban hành)", &q.issuer}}};
  for (const auto& [label, value] : filters) {
    if (!TextOk(*value, kMaxFilterChars)) {
      *error = std::string("Bộ lọc ") + label + " không hợp lệ: tối đa " + std::to_string(kMaxFilterChars) + " ký tự.";
      return std::nullopt;
    }
  }
  if (!q.year.empty()) {
    bool digits = q.year.size() == 4 && q.year.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || q.year < "1900" || q.year > "2199") {
      *error = "Năm ban hành (year) không hợp lệ: cần một năm như 2016.";
      return std::nullopt;
    }
  }
  if (!q.validity.empty()) {
    bool known = false;
    for (const auto& v : kValidities) known = known || q.validity == v.slug;
    if (!known) {
      *error = "Hiệu lực (validity) không hợp lệ: con-hieu-luc, chua-hieu-luc hoặc het-hieu-luc.";
      return std::nullopt;
    }
  }
  if (q.page_token.size() > kMaxPageTokenBytes || text::HasControlCharacters(q.page_token)) {
    *error = "Mã trang (page_token) không hợp lệ.";
    return std::nullopt;
  }
  return q;
}

dv1::DocumentFilter FilterOf(const DocumentQuery& query) {
  dv1::DocumentFilter f;
  f.set_field(query.field);
  f.set_type_abbreviation(query.type);
  f.set_issuer_code(query.issuer);
  if (!query.year.empty()) {
    f.set_issue_date_from(query.year + "-01-01");
    f.set_issue_date_to(query.year + "-12-31");
  }
  for (const auto& v : kValidities)
    if (query.validity == v.slug) f.set_validity(v.validity);
  f.set_status(dv1::PUBLISHED);
  return f;
}

dv1::ListDocumentsRequest ListRequestOf(const DocumentQuery& query) {
  dv1::ListDocumentsRequest r;
  *r.mutable_filter() = FilterOf(query);
  r.set_page_size(kDocumentsPerPage);
  r.set_page_token(query.page_token);
  r.set_view(dv1::BASIC);  // the list shows code, dates, subject and issuer (DocumentListView)
  return r;
}

dv1::SearchDocumentsRequest SearchRequestOf(const DocumentQuery& query) {
  dv1::SearchDocumentsRequest r;
  r.set_query(query.q);
  *r.mutable_filter() = FilterOf(query);
  r.set_page_size(kDocumentsPerPage);
  r.set_page_token(query.page_token);
  return r;
}

std::string DocumentListHref(const DocumentQuery& query, const std::string& page_token) {
  const std::array<std::pair<const char*, const std::string*>, 7> params = {{{"q", &query.q},
                                                                             {"field", &query.field},
                                                                             {"type", &query.type},
                                                                             {"issuer", &query.issuer},
                                                                             {"year", &query.year},
                                                                             {"validity", &query.validity},
                                                                             {"page_token", &page_token}}};
  std::string href = "/van-ban";
  char sep = '?';
  for (const auto& [name, value] : params) {
    if (value->empty()) continue;
    href += sep;
    href += name;
    href += '=' + PercentEncode(*value);
    sep = '&';
  }
  return href;
}

}  // namespace cchc::portal::pages
