#pragma once
// The document pages' views (pure): the document service's answers → PageContent, rendered by
// templates/document_list.mustache and templates/document.mustache.
#include <string>
#include <vector>

#include "cchc/document/v1/document.pb.h"
#include "page.h"
#include "pages/document_query.h"

namespace cchc::portal::pages {

// "documents/<id>" → "<id>" (the URL's segment); empty when `name` is not a document's name.
std::string DocumentId(const std::string& name);
// "/van-ban/<id>".
std::string DocumentHref(const cchc::document::v1::Document& document);

// The list (or the search's results) with its filter form, the terms echoed in the box and the next page's
// link when `next_page_token` is not empty.
PageContent DocumentListView(const DocumentQuery& query,
                             const google::protobuf::RepeatedPtrField<cchc::document::v1::Document>& documents,
                             const std::string& next_page_token);

// A related or replaced document as the page links it: its code, and its id when the service knows it.
struct DocumentLink {
  std::string code;
  std::string id;  // empty: shown as text
};

// Hiệu lực of `document` on `day_iso` (yyyy-mm-dd in Asia/Ho_Chi_Minh), as the document service's validity
// filter decides it: "Còn hiệu lực", "Chưa có hiệu lực", "Hết hiệu lực"; "Đã thu hồi" for a withdrawn one.
std::string ValidityText(const cchc::document::v1::Document& document, const std::string& day_iso);

PageContent DocumentView(const cchc::document::v1::Document& document, const std::vector<DocumentLink>& related,
                         const std::vector<DocumentLink>& replaces, const std::string& day_iso);

}  // namespace cchc::portal::pages
